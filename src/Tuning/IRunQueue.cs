namespace RlExperiments.Tuning;

/// <summary>
/// The queue of a submitted seed collection's runs: the collection submits its runs, workers claim one at a time (never
/// the same run twice), beat while it runs and finish it. A run whose worker died (heartbeat older than the stale time,
/// or its process on this machine gone) goes back to waiting, and the next worker resumes it from its last checkpoint.
/// Open one with <see cref="RunQueue.Open"/>.
/// </summary>
public interface IRunQueue : IDisposable
{
    /// <summary>The collection's name.</summary>
    string Collection { get; }

    /// <summary>Adds the runs that are not queued yet (a second submission of the same runs adds nothing).</summary>
    /// <param name="directory">The collection directory (on a filesystem every worker sees).</param>
    /// <param name="runNames">The runs' names.</param>
    void Submit(string directory, IEnumerable<string> runNames);

    /// <summary>
    /// Atomically: puts the running runs whose worker is dead back to waiting (see <see cref="StudyStorageChecks.StaleReason"/>),
    /// then starts the waiting run with the lowest name for <paramref name="sessionId"/>. Null when none waits.
    /// </summary>
    /// <param name="sessionId">The claiming worker's session id (<see cref="RunQueue.NewSessionId"/>).</param>
    /// <param name="staleAfter">A heartbeat older than this marks a dead worker.</param>
    /// <param name="nowUtc">Current time.</param>
    QueuedRun? Claim(string sessionId, TimeSpan staleAfter, DateTime nowUtc);

    /// <summary>Refreshes the heartbeat of a run this session runs.</summary>
    /// <param name="name">The run.</param>
    /// <param name="sessionId">The session running it.</param>
    /// <param name="nowUtc">Current time.</param>
    void Heartbeat(string name, string sessionId, DateTime nowUtc);

    /// <summary>Finishes a run this session runs; false (nothing changed) when it was taken from this session meanwhile.</summary>
    /// <param name="name">The run.</param>
    /// <param name="sessionId">The session running it.</param>
    /// <param name="state"><see cref="TrialState.Complete"/> or <see cref="TrialState.Failed"/>.</param>
    /// <param name="error">Why it failed.</param>
    /// <param name="nowUtc">Current time.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="state"/> is neither Complete nor Failed.</exception>
    bool Finish(string name, string sessionId, TrialState state, string? error, DateTime nowUtc);

    /// <summary>Every run of the collection, by name.</summary>
    IReadOnlyList<QueuedRun> Runs();
}
