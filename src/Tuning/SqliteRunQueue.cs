using System.Globalization;
using Microsoft.Data.Sqlite;

namespace RlExperiments.Tuning;

/// <summary>
/// A collection's run queue in an SQLite file (table <c>rlx_runs</c>; it may share the file with a study), for worker
/// processes on one machine: every claim is an IMMEDIATE transaction, which takes SQLite's write lock first, so two
/// processes never claim the same run. SQLite's locking is not reliable on network filesystems: workers on several
/// machines need a <c>postgresql://</c> queue.
/// </summary>
internal sealed class SqliteRunQueue : IRunQueue
{
    private readonly object _gate = new();
    private readonly SqliteConnection _connection;
    private readonly string _path;

    /// <summary>Opens (creating file and table when missing) the queue of <paramref name="collection"/> in the file of <paramref name="url"/>.</summary>
    /// <exception cref="StudyStorageUnavailableException">The file cannot be opened as an SQLite database.</exception>
    public SqliteRunQueue(StudyStorageUrl url, string collection)
    {
        Collection = collection;
        _path = url.SqlitePath!;
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        var cs = new SqliteConnectionStringBuilder { DataSource = _path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false, DefaultTimeout = 30 };
        _connection = new SqliteConnection(cs.ToString());
        try
        {
            _connection.Open();
            Exec("PRAGMA busy_timeout=30000;");
            Exec("PRAGMA journal_mode=WAL;");
            Exec("""
                CREATE TABLE IF NOT EXISTS rlx_runs(
                    collection TEXT NOT NULL, name TEXT NOT NULL, directory TEXT NOT NULL, state TEXT NOT NULL,
                    session_id TEXT, started_utc TEXT, heartbeat_utc TEXT, completed_utc TEXT, error TEXT,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (collection, name));
                """);
        }
        catch (SqliteException e)
        {
            _connection.Dispose();
            throw new StudyStorageUnavailableException($"Could not open the run queue {url}: {_path} is not a usable SQLite database ({e.Message}).", e);
        }
    }

    /// <inheritdoc/>
    public string Collection { get; }

    /// <inheritdoc/>
    public void Submit(string directory, IEnumerable<string> runNames)
    {
        lock (_gate)
        {
            using var tx = _connection.BeginTransaction(deferred: false);
            foreach (var name in runNames)
            {
                using var cmd = Command("INSERT OR IGNORE INTO rlx_runs(collection, name, directory, state) VALUES ($c, $n, $d, 'Waiting')", tx);
                cmd.Parameters.AddWithValue("$n", name);
                cmd.Parameters.AddWithValue("$d", directory);
                cmd.ExecuteNonQuery();
            }
            tx.Commit();
        }
    }

    /// <inheritdoc/>
    public QueuedRun? Claim(string sessionId, TimeSpan staleAfter, DateTime nowUtc)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        lock (_gate)
        {
            using var tx = _connection.BeginTransaction(deferred: false);
            foreach (var run in Read(tx, "AND state = 'Running'"))
            {
                if (run.SessionId == sessionId) continue;
                var probe = new StudyTrial(0, TrialState.Running, new Configuration([]), null, null, run.HeartbeatUtc, null, run.HeartbeatUtc, run.SessionId, null, []);
                if (StudyStorageChecks.StaleReason(probe, nowUtc - staleAfter) is not { } reason) continue;
                using var back = Command("UPDATE rlx_runs SET state = 'Waiting', error = $e WHERE collection = $c AND name = $n", tx);
                back.Parameters.AddWithValue("$e", RunQueue.StaleRunReason(reason));
                back.Parameters.AddWithValue("$n", run.Name);
                back.ExecuteNonQuery();
            }
            using var claim = Command("""
                UPDATE rlx_runs SET state = 'Running', session_id = $s, started_utc = $t, heartbeat_utc = $t, attempts = attempts + 1
                WHERE collection = $c AND name = (SELECT name FROM rlx_runs WHERE collection = $c AND state = 'Waiting' ORDER BY name LIMIT 1)
                RETURNING name
                """, tx);
            claim.Parameters.AddWithValue("$s", sessionId);
            claim.Parameters.AddWithValue("$t", FormatTime(nowUtc));
            var name = claim.ExecuteScalar() as string;
            var claimed = name is null ? null : Read(tx, "AND name = $n", ("$n", name)).Single();
            tx.Commit();
            return claimed;
        }
    }

    /// <inheritdoc/>
    public void Heartbeat(string name, string sessionId, DateTime nowUtc)
    {
        lock (_gate)
        {
            using var cmd = Command("UPDATE rlx_runs SET heartbeat_utc = $t WHERE collection = $c AND name = $n AND session_id = $s AND state = 'Running'", null);
            cmd.Parameters.AddWithValue("$t", FormatTime(nowUtc));
            cmd.Parameters.AddWithValue("$n", name);
            cmd.Parameters.AddWithValue("$s", sessionId);
            cmd.ExecuteNonQuery();
        }
    }

    /// <inheritdoc/>
    public bool Finish(string name, string sessionId, TrialState state, string? error, DateTime nowUtc)
    {
        RunQueue.CheckFinishedState(state);
        lock (_gate)
        {
            using var cmd = Command("""
                UPDATE rlx_runs SET state = $st, error = $e, completed_utc = $t, heartbeat_utc = $t
                WHERE collection = $c AND name = $n AND session_id = $s AND state = 'Running'
                """, null);
            cmd.Parameters.AddWithValue("$st", state.ToString());
            cmd.Parameters.AddWithValue("$e", (object?)error ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$t", FormatTime(nowUtc));
            cmd.Parameters.AddWithValue("$n", name);
            cmd.Parameters.AddWithValue("$s", sessionId);
            return cmd.ExecuteNonQuery() == 1;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<QueuedRun> Runs()
    {
        lock (_gate) return Read(null, "");
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate) _connection.Dispose();
    }

    private SqliteCommand Command(string sql, SqliteTransaction? tx)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        cmd.Parameters.AddWithValue("$c", Collection);
        return cmd;
    }

    private List<QueuedRun> Read(SqliteTransaction? tx, string filter, params (string Name, object Value)[] parameters)
    {
        using var cmd = Command("SELECT name, directory, state, session_id, heartbeat_utc, error, attempts FROM rlx_runs WHERE collection = $c " + filter + " ORDER BY name", tx);
        foreach (var (n, v) in parameters) cmd.Parameters.AddWithValue(n, v);
        using var r = cmd.ExecuteReader();
        var runs = new List<QueuedRun>();
        while (r.Read())
            runs.Add(new QueuedRun(r.GetString(0), r.GetString(1), Enum.Parse<TrialState>(r.GetString(2)),
                r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : ParseTime(r.GetString(4)), r.IsDBNull(5) ? null : r.GetString(5), r.GetInt32(6)));
        return runs;
    }

    private void Exec(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static string FormatTime(DateTime t) =>
        DateTime.SpecifyKind(t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture);

    private static DateTime ParseTime(string s) => DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
