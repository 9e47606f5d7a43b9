using Npgsql;

namespace RlExperiments.Tuning;

/// <summary>
/// The queue of a seed collection's runs in PostgreSQL (table <c>rlx_runs</c>, beside the studies): a collection
/// submits its runs, and workers on any machine claim one at a time (<c>FOR UPDATE SKIP LOCKED</c>: no run is claimed
/// twice), beat while it runs and finish it. A run whose worker died (heartbeat older than the stale time, or its
/// process on this machine gone) is put back to waiting for the next worker, which resumes it from its last checkpoint.
/// </summary>
public sealed class RunQueue : IDisposable
{
    private readonly NpgsqlDataSource _source;
    private readonly StudyStorageUrl _url;

    /// <summary>Connects to the queue of collection <paramref name="collection"/> in <paramref name="url"/> (a <c>postgresql://</c> URL).</summary>
    /// <param name="url">The storage URL.</param>
    /// <param name="collection">The collection's name.</param>
    /// <exception cref="ArgumentException">The URL is malformed or not PostgreSQL (a queue shared by machines needs a server).</exception>
    /// <exception cref="StudyStorageUnavailableException">The server cannot be reached or refuses the credentials.</exception>
    public RunQueue(string url, string collection)
    {
        _url = StudyStorageUrl.Parse(url);
        if (!_url.IsPostgres)
            throw new ArgumentException($"The storage URL '{_url}' is not a postgresql:// URL; a collection's run queue lives in a PostgreSQL server.", nameof(url));
        ArgumentException.ThrowIfNullOrWhiteSpace(collection);
        Collection = collection;
        _source = NpgsqlDataSource.Create(_url.ConnectionString!);
        try { PostgresStudyStorage.EnsureSchema(_source, _url); }
        catch (NpgsqlException e)
        {
            _source.Dispose();
            throw new StudyStorageUnavailableException($"Could not open the study storage {_url}: {e.Message}", e);
        }
    }

    /// <summary>The collection's name.</summary>
    public string Collection { get; }

    /// <summary>Adds the runs that are not queued yet (a second submission of the same runs adds nothing).</summary>
    /// <param name="directory">The collection directory (shared filesystem).</param>
    /// <param name="runNames">The runs' names.</param>
    public void Submit(string directory, IEnumerable<string> runNames)
    {
        using var c = _source.OpenConnection();
        using var tx = c.BeginTransaction();
        foreach (var name in runNames)
        {
            using var cmd = new NpgsqlCommand("INSERT INTO rlx_runs(collection, name, directory, state) VALUES (@c, @n, @d, 'Waiting') ON CONFLICT DO NOTHING", c, tx);
            cmd.Parameters.AddWithValue("c", Collection);
            cmd.Parameters.AddWithValue("n", name);
            cmd.Parameters.AddWithValue("d", directory);
            cmd.ExecuteNonQuery();
        }
        tx.Commit();
    }

    /// <summary>
    /// In one transaction: puts the running runs whose worker is dead back to waiting (see <see cref="StudyStorageChecks.StaleReason"/>),
    /// then starts the waiting run with the lowest name for <paramref name="sessionId"/>. Null when none waits.
    /// </summary>
    /// <param name="sessionId">The claiming worker's session id (<see cref="NewSessionId"/>).</param>
    /// <param name="staleAfter">A heartbeat older than this marks a dead worker.</param>
    /// <param name="nowUtc">Current time.</param>
    public QueuedRun? Claim(string sessionId, TimeSpan staleAfter, DateTime nowUtc)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        using var c = _source.OpenConnection();
        using var tx = c.BeginTransaction();
        foreach (var run in Read(c, tx, "AND state = 'Running' FOR UPDATE SKIP LOCKED"))
        {
            if (run.SessionId == sessionId) continue;
            var probe = new StudyTrial(0, TrialState.Running, new Configuration([]), null, null, run.HeartbeatUtc, null, run.HeartbeatUtc, run.SessionId, null, []);
            if (StudyStorageChecks.StaleReason(probe, nowUtc - staleAfter) is not { } reason) continue;
            using var back = new NpgsqlCommand("UPDATE rlx_runs SET state = 'Waiting', error = @e WHERE collection = @c AND name = @n", c, tx);
            back.Parameters.AddWithValue("e", reason.Replace("the configuration was re-queued", "the run was re-queued to resume from its last checkpoint"));
            back.Parameters.AddWithValue("c", Collection);
            back.Parameters.AddWithValue("n", run.Name);
            back.ExecuteNonQuery();
        }
        using var claim = new NpgsqlCommand("""
            UPDATE rlx_runs SET state = 'Running', session_id = @s, started_utc = @t, heartbeat_utc = @t, attempts = attempts + 1
            WHERE collection = @c AND name = (
                SELECT name FROM rlx_runs WHERE collection = @c AND state = 'Waiting' ORDER BY name LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING name
            """, c, tx);
        claim.Parameters.AddWithValue("s", sessionId);
        claim.Parameters.AddWithValue("t", nowUtc);
        claim.Parameters.AddWithValue("c", Collection);
        var name = claim.ExecuteScalar() as string;
        tx.Commit();
        return name is null ? null : Runs().Single(r => r.Name == name);
    }

    /// <summary>Refreshes the heartbeat of a run this session runs.</summary>
    /// <param name="name">The run.</param>
    /// <param name="sessionId">The session running it.</param>
    /// <param name="nowUtc">Current time.</param>
    public void Heartbeat(string name, string sessionId, DateTime nowUtc)
    {
        using var c = _source.OpenConnection();
        using var cmd = new NpgsqlCommand("UPDATE rlx_runs SET heartbeat_utc = @t WHERE collection = @c AND name = @n AND session_id = @s AND state = 'Running'", c);
        cmd.Parameters.AddWithValue("t", nowUtc);
        cmd.Parameters.AddWithValue("c", Collection);
        cmd.Parameters.AddWithValue("n", name);
        cmd.Parameters.AddWithValue("s", sessionId);
        cmd.ExecuteNonQuery();
    }

    /// <summary>Finishes a run this session runs; false (nothing changed) when it was taken from this session meanwhile.</summary>
    /// <param name="name">The run.</param>
    /// <param name="sessionId">The session running it.</param>
    /// <param name="state"><see cref="TrialState.Complete"/> or <see cref="TrialState.Failed"/>.</param>
    /// <param name="error">Why it failed.</param>
    /// <param name="nowUtc">Current time.</param>
    public bool Finish(string name, string sessionId, TrialState state, string? error, DateTime nowUtc)
    {
        if (state is not (TrialState.Complete or TrialState.Failed))
            throw new ArgumentOutOfRangeException(nameof(state), state, $"A finished run's state = {state} is invalid; allowed: Complete, Failed.");
        using var c = _source.OpenConnection();
        using var cmd = new NpgsqlCommand("""
            UPDATE rlx_runs SET state = @st, error = @e, completed_utc = @t, heartbeat_utc = @t
            WHERE collection = @c AND name = @n AND session_id = @s AND state = 'Running'
            """, c);
        cmd.Parameters.AddWithValue("st", state.ToString());
        cmd.Parameters.Add(new NpgsqlParameter("e", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)error ?? DBNull.Value });
        cmd.Parameters.AddWithValue("t", nowUtc);
        cmd.Parameters.AddWithValue("c", Collection);
        cmd.Parameters.AddWithValue("n", name);
        cmd.Parameters.AddWithValue("s", sessionId);
        return cmd.ExecuteNonQuery() == 1;
    }

    /// <summary>Every run of the collection, by name.</summary>
    public IReadOnlyList<QueuedRun> Runs()
    {
        using var c = _source.OpenConnection();
        return Read(c, null, "");
    }

    /// <summary>A new worker session id naming this process (so a dead worker on this machine is recognised at once).</summary>
    public static string NewSessionId() => SessionOwner.NewSessionId();

    /// <summary>Closes the pooled connections.</summary>
    public void Dispose() => _source.Dispose();

    private List<QueuedRun> Read(NpgsqlConnection c, NpgsqlTransaction? tx, string filter)
    {
        using var cmd = new NpgsqlCommand(
            "SELECT name, directory, state, session_id, heartbeat_utc, error, attempts FROM rlx_runs WHERE collection = @c " + filter.Replace("FOR UPDATE", "ORDER BY name FOR UPDATE"), c, tx);
        if (!filter.Contains("FOR UPDATE")) cmd.CommandText += " ORDER BY name";
        cmd.Parameters.AddWithValue("c", Collection);
        using var r = cmd.ExecuteReader();
        var runs = new List<QueuedRun>();
        while (r.Read())
            runs.Add(new QueuedRun(r.GetString(0), r.GetString(1), Enum.Parse<TrialState>(r.GetString(2)),
                r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetDateTime(4), r.IsDBNull(5) ? null : r.GetString(5), r.GetInt32(6)));
        return runs;
    }
}
