namespace RlExperiments.Tuning;

/// <summary>Opens the run queue of a submitted collection in the storage a URL names.</summary>
public static class RunQueue
{
    /// <summary>
    /// Opens (creating its table when missing) the queue of <paramref name="collection"/>: in a PostgreSQL server for
    /// <c>postgresql://</c> URLs (workers on any machine that reaches it), or in an SQLite file for <c>sqlite:///</c> URLs
    /// (worker processes on this machine; SQLite's locking is not safe on network filesystems).
    /// </summary>
    /// <param name="url">The storage URL (<see cref="StudyStorageUrl"/>).</param>
    /// <param name="collection">The collection's name.</param>
    /// <exception cref="ArgumentException">The URL is malformed, or the name is empty.</exception>
    /// <exception cref="StudyStorageUnavailableException">The server cannot be reached or refuses the credentials, or the file cannot be opened as a database.</exception>
    public static IRunQueue Open(string url, string collection)
    {
        var parsed = StudyStorageUrl.Parse(url);
        ArgumentException.ThrowIfNullOrWhiteSpace(collection);
        return parsed.IsPostgres ? new PostgresRunQueue(parsed, collection) : new SqliteRunQueue(parsed, collection);
    }

    /// <summary>A new worker session id naming this process (so a dead worker on this machine is recognised at once).</summary>
    public static string NewSessionId() => SessionOwner.NewSessionId();

    /// <summary>The error recorded on a run taken from a dead worker.</summary>
    internal static string StaleRunReason(string studyReason) =>
        studyReason.Replace("the configuration was re-queued", "the run was re-queued to resume from its last checkpoint");

    /// <summary>Refuses a finished state that is not Complete or Failed.</summary>
    internal static void CheckFinishedState(TrialState state)
    {
        if (state is not (TrialState.Complete or TrialState.Failed))
            throw new ArgumentOutOfRangeException(nameof(state), state, $"A finished run's state = {state} is invalid; allowed: Complete, Failed.");
    }
}
