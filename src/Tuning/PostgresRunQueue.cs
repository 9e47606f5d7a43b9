using Npgsql;

namespace RlExperiments.Tuning;

/// <summary>
/// A collection's run queue in PostgreSQL (table <c>rlx_runs</c>, beside the studies), shared by workers on any machine
/// that reaches the server: a claim locks the waiting row it takes (<c>FOR UPDATE SKIP LOCKED</c>), so no run is
/// claimed twice and claimers do not wait for each other.
/// </summary>
internal sealed class PostgresRunQueue : IRunQueue
{
    private readonly NpgsqlDataSource _source;
    private readonly StudyStorageUrl _url;

    /// <summary>Connects to the queue of collection <paramref name="collection"/> in the server of <paramref name="url"/>.</summary>
    /// <exception cref="StudyStorageUnavailableException">The server cannot be reached or refuses the credentials.</exception>
    public PostgresRunQueue(StudyStorageUrl url, string collection)
    {
        _url = url;
        Collection = collection;
        _source = NpgsqlDataSource.Create(_url.ConnectionString!);
        try { PostgresStudyStorage.EnsureSchema(_source, _url); }
        catch (NpgsqlException e)
        {
            _source.Dispose();
            throw new StudyStorageUnavailableException($"Could not open the study storage {_url}: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public string Collection { get; }

    /// <inheritdoc/>
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

    /// <inheritdoc/>
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
            back.Parameters.AddWithValue("e", RunQueue.StaleRunReason(reason));
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

    /// <inheritdoc/>
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

    /// <inheritdoc/>
    public bool Finish(string name, string sessionId, TrialState state, string? error, DateTime nowUtc)
    {
        RunQueue.CheckFinishedState(state);
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

    /// <inheritdoc/>
    public IReadOnlyList<QueuedRun> Runs()
    {
        using var c = _source.OpenConnection();
        return Read(c, null, "");
    }

    /// <inheritdoc/>
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
