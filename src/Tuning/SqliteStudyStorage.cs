using System.Globalization;
using Microsoft.Data.Sqlite;

namespace RlExperiments.Tuning;

/// <summary>
/// A study stored in an SQLite file (<see cref="FileName"/> inside the study directory): write-ahead logging, a busy
/// timeout so several processes can share it, and one connection guarded by a lock so the parallel trials of one process
/// can use it from their threads. Every write is its own (immediate) transaction, so a crash loses at most the write in flight.
/// </summary>
/// <remarks>
/// Tables: <c>study</c> (name, direction, space_name, created_utc, schema_version), <c>trials</c> (number, state,
/// params as <see cref="Configuration.ToJson"/> text, value, error, started_utc, completed_utc, heartbeat_utc,
/// session_id, requeued_from), <c>intermediate_values</c> (trial, step, value) and <c>study_user_attrs</c> (key, value;
/// added without a schema version change: older files gain the empty table when opened). Times are ISO-8601 UTC text.
/// </remarks>
public sealed class SqliteStudyStorage : IStudyStorage
{
    /// <summary>The database file name inside a study directory.</summary>
    public const string FileName = "study.db";

    private const int SchemaVersion = 1;
    private readonly object _gate = new();
    private readonly SqliteConnection _connection;
    // A trial's parameters never change once written, so each is parsed once (pruners read all trials at every report).
    private readonly Dictionary<int, Configuration> _configurations = new();
    private bool _disposed;

    /// <summary>Opens (creating when missing) the database file at <paramref name="path"/>.</summary>
    /// <param name="path">Database file path; its directory is created when missing.</param>
    /// <param name="busyTimeout">How long a write waits for another process's lock (default 30 s).</param>
    public SqliteStudyStorage(string path, TimeSpan? busyTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var timeout = busyTimeout ?? TimeSpan.FromSeconds(30);
        var cs = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)),
        };
        _connection = new SqliteConnection(cs.ToString());
        try
        {
            _connection.Open();
            Exec($"PRAGMA busy_timeout={(long)timeout.TotalMilliseconds};");
            Exec("PRAGMA journal_mode=WAL;");
            Exec("PRAGMA synchronous=NORMAL;");
            Exec("""
                CREATE TABLE IF NOT EXISTS study(
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    name TEXT NOT NULL, direction TEXT NOT NULL, space_name TEXT NOT NULL,
                    created_utc TEXT NOT NULL, schema_version INTEGER NOT NULL);
                CREATE TABLE IF NOT EXISTS trials(
                    number INTEGER PRIMARY KEY, state TEXT NOT NULL, params TEXT NOT NULL, value REAL, error TEXT,
                    started_utc TEXT, completed_utc TEXT, heartbeat_utc TEXT, session_id TEXT, requeued_from INTEGER);
                CREATE TABLE IF NOT EXISTS intermediate_values(
                    trial INTEGER NOT NULL, step INTEGER NOT NULL, value REAL,
                    PRIMARY KEY (trial, step));
                CREATE INDEX IF NOT EXISTS trials_state ON trials(state);
                CREATE TABLE IF NOT EXISTS study_user_attrs(key TEXT PRIMARY KEY, value TEXT NOT NULL);
                """);
        }
        catch (SqliteException e)
        {
            _connection.Dispose();
            throw new InvalidDataException($"{Path} could not be opened as a study database: {e.Message}", e);
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    /// <summary>Opens the storage of a study directory (<c>directory/study.db</c>).</summary>
    /// <param name="directory">Study directory.</param>
    public static SqliteStudyStorage InDirectory(string directory) => new(System.IO.Path.Combine(directory, FileName));

    /// <summary>Full path of the database file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public StudyInfo? GetStudy()
    {
        lock (_gate)
        {
            using var cmd = Command("SELECT name, direction, space_name, created_utc, schema_version FROM study WHERE id = 1");
            using var r = cmd.ExecuteReader();
            if (!r.Read()) return null;
            var version = r.GetInt64(4);
            if (version > SchemaVersion)
                throw new InvalidDataException($"{Path} has study schema version {version}; this version of RlExperiments reads up to {SchemaVersion}.");
            if (!Enum.TryParse<StudyDirection>(r.GetString(1), out var direction))
                throw new InvalidDataException($"{Path}: the study direction '{r.GetString(1)}' is invalid; allowed: Minimize, Maximize.");
            return new StudyInfo(r.GetString(0), direction, r.GetString(2), ParseTime(r.GetString(3)));
        }
    }

    /// <inheritdoc />
    public void CreateStudy(StudyInfo study)
    {
        ArgumentNullException.ThrowIfNull(study);
        lock (_gate)
        {
            using var tx = _connection.BeginTransaction();
            using (var check = Command("SELECT name FROM study WHERE id = 1", tx))
                if (check.ExecuteScalar() is string existing)
                    throw new InvalidOperationException($"{Path} already holds study '{existing}'.");
            using var cmd = Command("INSERT INTO study(id, name, direction, space_name, created_utc, schema_version) VALUES (1, $n, $d, $s, $c, $v)", tx);
            cmd.Parameters.AddWithValue("$n", study.Name);
            cmd.Parameters.AddWithValue("$d", study.Direction.ToString());
            cmd.Parameters.AddWithValue("$s", study.SpaceName);
            cmd.Parameters.AddWithValue("$c", FormatTime(study.CreatedUtc));
            cmd.Parameters.AddWithValue("$v", SchemaVersion);
            cmd.ExecuteNonQuery();
            tx.Commit();
        }
    }

    /// <inheritdoc />
    public int CreateTrial(Configuration configuration, TrialState state, string? sessionId, int? requeuedFrom, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        StudyStorageChecks.NewTrial(state, sessionId);
        lock (_gate)
        {
            using var tx = _connection.BeginTransaction();
            int number = Insert(tx, configuration, state, sessionId, requeuedFrom, nowUtc);
            tx.Commit();
            return number;
        }
    }

    /// <inheritdoc />
    public StudyTrial? StartNextWaitingTrial(string sessionId, DateTime nowUtc)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        lock (_gate)
        {
            int number;
            using (var tx = _connection.BeginTransaction())
            {
                using (var find = Command("SELECT number FROM trials WHERE state = 'Waiting' ORDER BY number LIMIT 1", tx))
                {
                    if (find.ExecuteScalar() is not long n) return null;
                    number = (int)n;
                }
                using var cmd = Command("UPDATE trials SET state = 'Running', started_utc = $t, heartbeat_utc = $t, session_id = $s WHERE number = $n", tx);
                cmd.Parameters.AddWithValue("$t", FormatTime(nowUtc));
                cmd.Parameters.AddWithValue("$s", sessionId);
                cmd.Parameters.AddWithValue("$n", number);
                cmd.ExecuteNonQuery();
                tx.Commit();
            }
            return ReadTrials(number).Single();
        }
    }

    /// <inheritdoc />
    /// <remarks>The transaction is IMMEDIATE: it takes SQLite's write lock first, so claims of several processes are serialised.</remarks>
    public StudyTrial? ClaimTrial(int nTrials, Func<IReadOnlyList<StudyTrial>, Configuration> suggest, string sessionId, DateTime nowUtc)
    {
        StudyStorageChecks.Claim(nTrials, suggest, sessionId);
        lock (_gate)
        {
            int number;
            using (var tx = _connection.BeginTransaction(deferred: false))
            {
                var trials = ReadTrials(null, tx, allValues: false);
                if (StudyStorageChecks.Counted(trials) >= nTrials) return null;
                if (trials.FirstOrDefault(t => t.State == TrialState.Waiting) is { } waiting)
                {
                    number = waiting.Number;
                    using var cmd = Command("UPDATE trials SET state = 'Running', started_utc = $t, heartbeat_utc = $t, session_id = $s WHERE number = $n", tx);
                    cmd.Parameters.AddWithValue("$t", FormatTime(nowUtc));
                    cmd.Parameters.AddWithValue("$s", sessionId);
                    cmd.Parameters.AddWithValue("$n", number);
                    cmd.ExecuteNonQuery();
                }
                else number = Insert(tx, suggest(trials), TrialState.Running, sessionId, null, nowUtc);
                tx.Commit();
            }
            return ReadTrials(number).Single();
        }
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> GetUserAttributes()
    {
        lock (_gate)
        {
            var attributes = new Dictionary<string, string>();
            using var cmd = Command("SELECT key, value FROM study_user_attrs ORDER BY key");
            using var r = cmd.ExecuteReader();
            while (r.Read()) attributes[r.GetString(0)] = r.GetString(1);
            return attributes;
        }
    }

    /// <inheritdoc />
    public void SetUserAttribute(string key, string value)
    {
        StudyStorageChecks.Attribute(key, value);
        lock (_gate)
        {
            using var tx = _connection.BeginTransaction();
            using (var check = Command("SELECT COUNT(*) FROM study", tx))
                if ((long)check.ExecuteScalar()! == 0)
                    throw new InvalidOperationException($"{Path} holds no study yet; create it before setting its attributes.");
            using var cmd = Command("INSERT INTO study_user_attrs(key, value) VALUES ($k, $v) ON CONFLICT(key) DO UPDATE SET value = excluded.value", tx);
            cmd.Parameters.AddWithValue("$k", key);
            cmd.Parameters.AddWithValue("$v", value);
            cmd.ExecuteNonQuery();
            tx.Commit();
        }
    }

    /// <inheritdoc />
    public bool FinishTrial(int number, TrialState state, double? value, string? error, DateTime nowUtc)
    {
        StudyStorageChecks.Finish(state);
        lock (_gate)
        {
            using var tx = _connection.BeginTransaction();
            RequireTrial(number, tx);
            using var cmd = Command("""
                UPDATE trials SET state = $st, value = $v, error = $e, completed_utc = $t, heartbeat_utc = $t
                WHERE number = $n AND state = 'Running'
                """, tx);
            cmd.Parameters.AddWithValue("$st", state.ToString());
            cmd.Parameters.AddWithValue("$v", value is double d && double.IsFinite(d) ? d : DBNull.Value);
            cmd.Parameters.AddWithValue("$e", (object?)error ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$t", FormatTime(nowUtc));
            cmd.Parameters.AddWithValue("$n", number);
            bool changed = cmd.ExecuteNonQuery() == 1;
            tx.Commit();
            return changed;
        }
    }

    /// <inheritdoc />
    public void ReportIntermediateValue(int number, long step, double value)
    {
        lock (_gate)
        {
            using var tx = _connection.BeginTransaction();
            RequireTrial(number, tx);
            using var cmd = Command("INSERT OR IGNORE INTO intermediate_values(trial, step, value) VALUES ($n, $s, $v)", tx);
            cmd.Parameters.AddWithValue("$n", number);
            cmd.Parameters.AddWithValue("$s", step);
            // SQLite has no NaN (it stores NULL); NULL reads back as NaN.
            cmd.Parameters.AddWithValue("$v", double.IsNaN(value) ? DBNull.Value : value);
            cmd.ExecuteNonQuery();
            tx.Commit();
        }
    }

    /// <inheritdoc />
    public void Heartbeat(IReadOnlyCollection<int> numbers, DateTime nowUtc)
    {
        if (numbers.Count == 0) return;
        lock (_gate)
        {
            using var tx = _connection.BeginTransaction();
            using var cmd = Command("UPDATE trials SET heartbeat_utc = $t WHERE number = $n AND state = 'Running'", tx);
            var n = cmd.Parameters.Add("$n", SqliteType.Integer);
            cmd.Parameters.AddWithValue("$t", FormatTime(nowUtc));
            foreach (var number in numbers) { n.Value = number; cmd.ExecuteNonQuery(); }
            tx.Commit();
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<StudyTrial> RequeueStaleTrials(Func<StudyTrial, string?> staleReason, string sessionId, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(staleReason);
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        lock (_gate)
        {
            var added = new List<int>();
            using (var tx = _connection.BeginTransaction())
            {
                var running = ReadTrials(null, tx).Where(t => t.State == TrialState.Running && t.SessionId != sessionId).ToList();
                foreach (var t in running)
                {
                    if (staleReason(t) is not { } reason) continue;
                    using (var fail = Command("UPDATE trials SET state = 'Failed', error = $e, completed_utc = $t WHERE number = $n AND state = 'Running'", tx))
                    {
                        fail.Parameters.AddWithValue("$e", reason);
                        fail.Parameters.AddWithValue("$t", FormatTime(nowUtc));
                        fail.Parameters.AddWithValue("$n", t.Number);
                        if (fail.ExecuteNonQuery() != 1) continue;
                    }
                    added.Add(Insert(tx, t.Configuration, TrialState.Waiting, null, t.Number, nowUtc));
                }
                tx.Commit();
            }
            return added.Select(n => ReadTrials(n).Single()).ToList();
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<StudyTrial> GetTrials()
    {
        lock (_gate) return ReadTrials(null);
    }

    /// <inheritdoc />
    public StudyTrial GetTrial(int number)
    {
        lock (_gate)
            return ReadTrials(number).SingleOrDefault() ?? throw new KeyNotFoundException($"The study in {Path} has no trial number {number}.");
    }

    /// <summary>Closes the connection (the file stays).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _connection.Dispose();
        }
    }

    private int Insert(SqliteTransaction tx, Configuration configuration, TrialState state, string? sessionId, int? requeuedFrom, DateTime nowUtc)
    {
        int number;
        using (var next = Command("SELECT COALESCE(MAX(number), -1) + 1 FROM trials", tx))
            number = (int)(long)next.ExecuteScalar()!;
        bool running = state == TrialState.Running;
        using var cmd = Command("""
            INSERT INTO trials(number, state, params, started_utc, heartbeat_utc, session_id, requeued_from)
            VALUES ($n, $st, $p, $t, $t, $s, $r)
            """, tx);
        cmd.Parameters.AddWithValue("$n", number);
        cmd.Parameters.AddWithValue("$st", state.ToString());
        cmd.Parameters.AddWithValue("$p", configuration.ToJson());
        cmd.Parameters.AddWithValue("$t", running ? FormatTime(nowUtc) : DBNull.Value);
        cmd.Parameters.AddWithValue("$s", running ? sessionId! : DBNull.Value);
        cmd.Parameters.AddWithValue("$r", requeuedFrom is int r ? r : DBNull.Value);
        cmd.ExecuteNonQuery();
        return number;
    }

    private void RequireTrial(int number, SqliteTransaction tx)
    {
        using var cmd = Command("SELECT COUNT(*) FROM trials WHERE number = $n", tx);
        cmd.Parameters.AddWithValue("$n", number);
        if ((long)cmd.ExecuteScalar()! == 0) throw new KeyNotFoundException($"The study in {Path} has no trial number {number}.");
    }

    // allValues: every intermediate value of every trial; otherwise (for a claim, which must be quick) only the last one
    // of each pruned trial, which is what the samplers rank pruned trials by.
    private List<StudyTrial> ReadTrials(int? number, SqliteTransaction? tx = null, bool allValues = true)
    {
        var values = new Dictionary<int, List<IntermediateValue>>();
        using (var iv = Command(allValues
            ? "SELECT trial, step, value FROM intermediate_values" + (number is null ? "" : " WHERE trial = $n") + " ORDER BY trial, step"
            : """
              SELECT iv.trial, iv.step, iv.value FROM intermediate_values iv JOIN trials t ON t.number = iv.trial
              WHERE t.state = 'Pruned' AND iv.step = (SELECT MAX(step) FROM intermediate_values WHERE trial = iv.trial)
              """, tx))
        {
            if (number is int n) iv.Parameters.AddWithValue("$n", n);
            using var r = iv.ExecuteReader();
            while (r.Read())
            {
                int trial = r.GetInt32(0);
                if (!values.TryGetValue(trial, out var list)) values[trial] = list = new List<IntermediateValue>();
                list.Add(new IntermediateValue(r.GetInt64(1), r.IsDBNull(2) ? double.NaN : r.GetDouble(2)));
            }
        }
        var trials = new List<StudyTrial>();
        using var cmd = Command("""
            SELECT number, state, params, value, error, started_utc, completed_utc, heartbeat_utc, session_id, requeued_from
            FROM trials
            """ + (number is null ? "" : " WHERE number = $n") + " ORDER BY number", tx);
        if (number is int m) cmd.Parameters.AddWithValue("$n", m);
        using (var r = cmd.ExecuteReader())
            while (r.Read())
            {
                int num = r.GetInt32(0);
                var stateText = r.GetString(1);
                if (!Enum.TryParse<TrialState>(stateText, out var state))
                    throw new InvalidDataException($"{Path}: trial {num} has state '{stateText}'; allowed: {string.Join(", ", Enum.GetNames<TrialState>())}.");
                if (!_configurations.TryGetValue(num, out var config))
                {
                    try { config = Configuration.FromJson(r.GetString(2)); }
                    catch (Exception e) when (e is FormatException or ArgumentException or Newtonsoft.Json.JsonException)
                    {
                        throw new InvalidDataException($"{Path}: trial {num} has unreadable parameters: {e.Message}", e);
                    }
                    _configurations[num] = config;
                }
                trials.Add(new StudyTrial(num, state, config,
                    r.IsDBNull(3) ? null : r.GetDouble(3),
                    r.IsDBNull(4) ? null : r.GetString(4),
                    r.IsDBNull(5) ? null : ParseTime(r.GetString(5)),
                    r.IsDBNull(6) ? null : ParseTime(r.GetString(6)),
                    r.IsDBNull(7) ? null : ParseTime(r.GetString(7)),
                    r.IsDBNull(8) ? null : r.GetString(8),
                    r.IsDBNull(9) ? null : r.GetInt32(9),
                    values.TryGetValue(num, out var list) ? list : Array.Empty<IntermediateValue>()));
            }
        return trials;
    }

    private SqliteCommand Command(string sql, SqliteTransaction? tx = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        return cmd;
    }

    private void Exec(string sql)
    {
        using var cmd = Command(sql);
        cmd.ExecuteNonQuery();
    }

    private static string FormatTime(DateTime t) => DateTime.SpecifyKind(t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture);

    private static DateTime ParseTime(string s) => DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
