using System.Collections.Concurrent;
using System.Data;
using Npgsql;
using NpgsqlTypes;

namespace RlExperiments.Tuning;

/// <summary>
/// A study stored in a PostgreSQL database that any number of worker processes on any machines share (Optuna's RDB
/// storage). One database holds many studies; this object is bound to the study named at construction. Every method is
/// one short transaction on a pooled connection, so the threads of one process and the processes of many machines can
/// call it at once.
/// </summary>
/// <remarks>
/// <para>Claiming is serialised per study by a row lock on the study (<c>SELECT … FOR UPDATE</c>): the count of trials
/// toward NTrials, the choice of the waiting trial (<c>FOR UPDATE SKIP LOCKED</c>, lowest number first) or the sampler's
/// suggestion, and the insert of the new running trial happen in one transaction, so NTrials is never overshot and no
/// two workers start the same trial. Claims of different studies do not wait for each other.</para>
/// <para>Tables (prefixed <c>rlx_</c>, created on first use under an advisory lock): <c>rlx_schema</c> (version),
/// <c>rlx_studies</c>, <c>rlx_study_user_attrs</c>, <c>rlx_trials</c>, <c>rlx_intermediate_values</c>. A database
/// written by a newer schema version is refused. Times are <c>timestamptz</c> written by the clients, so the machines'
/// clocks should agree to well within the stale-after time (NTP does).</para>
/// </remarks>
public sealed class PostgresStudyStorage : IStudyStorage
{
    /// <summary>The schema version this code writes and the highest it reads.</summary>
    public const int SchemaVersion = 1;

    private readonly NpgsqlDataSource _source;
    private readonly StudyStorageUrl _url;
    private readonly string _studyName;
    // A trial's parameters never change once written, so each is parsed once (pruners read all trials at every report).
    private readonly ConcurrentDictionary<int, Configuration> _configurations = new();
    private long _studyId = -1;

    /// <summary>Connects to <paramref name="url"/> (a <c>postgresql://</c> URL), creating the schema when missing, bound to study <paramref name="studyName"/>.</summary>
    /// <param name="url">The storage URL.</param>
    /// <param name="studyName">The study this object reads and writes.</param>
    /// <exception cref="ArgumentException">The URL is malformed or not a PostgreSQL URL.</exception>
    /// <exception cref="StudyStorageUnavailableException">The server cannot be reached or refuses the credentials (the message names the URL without its password).</exception>
    /// <exception cref="InvalidDataException">The database was written by a newer schema version.</exception>
    public PostgresStudyStorage(string url, string studyName) : this(StudyStorageUrl.Parse(url), studyName) { }

    internal PostgresStudyStorage(StudyStorageUrl url, string studyName)
    {
        if (!url.IsPostgres) throw new ArgumentException($"The storage URL '{url}' is not a postgresql:// URL.", nameof(url));
        ArgumentException.ThrowIfNullOrWhiteSpace(studyName);
        _url = url;
        _studyName = studyName;
        _source = NpgsqlDataSource.Create(url.ConnectionString!);
        try
        {
            EnsureSchema();
        }
        catch (NpgsqlException e)
        {
            _source.Dispose();
            throw new StudyStorageUnavailableException($"Could not open the study storage {url}: {e.Message}", e);
        }
        catch
        {
            _source.Dispose();
            throw;
        }
    }

    /// <summary>The storage URL without its password.</summary>
    public string Url => _url.Redacted;

    /// <summary>The study this storage is bound to.</summary>
    public string StudyName => _studyName;

    /// <inheritdoc />
    public StudyInfo? GetStudy()
    {
        using var c = _source.OpenConnection();
        using var cmd = Command(c, null, "SELECT id, direction, space_name, created_utc FROM rlx_studies WHERE name = @name");
        cmd.Parameters.AddWithValue("name", _studyName);
        using var r = cmd.ExecuteReader();
        if (!r.Read()) return null;
        _studyId = r.GetInt64(0);
        if (!Enum.TryParse<StudyDirection>(r.GetString(1), out var direction))
            throw new InvalidDataException($"{_url}: study '{_studyName}' has direction '{r.GetString(1)}'; allowed: Minimize, Maximize.");
        return new StudyInfo(_studyName, direction, r.GetString(2), r.GetDateTime(3));
    }

    /// <inheritdoc />
    public void CreateStudy(StudyInfo study)
    {
        ArgumentNullException.ThrowIfNull(study);
        if (study.Name != _studyName)
            throw new ArgumentException($"This storage is bound to study '{_studyName}'; it cannot create study '{study.Name}'.", nameof(study));
        using var c = _source.OpenConnection();
        using var cmd = Command(c, null, """
            INSERT INTO rlx_studies(name, direction, space_name, created_utc) VALUES (@name, @d, @s, @c)
            ON CONFLICT (name) DO NOTHING RETURNING id
            """);
        cmd.Parameters.AddWithValue("name", _studyName);
        cmd.Parameters.AddWithValue("d", study.Direction.ToString());
        cmd.Parameters.AddWithValue("s", study.SpaceName);
        cmd.Parameters.AddWithValue("c", Utc(study.CreatedUtc));
        if (cmd.ExecuteScalar() is not long id)
            throw new InvalidOperationException($"{_url} already holds study '{_studyName}'.");
        _studyId = id;
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> GetUserAttributes()
    {
        using var c = _source.OpenConnection();
        using var cmd = Command(c, null, "SELECT key, value FROM rlx_study_user_attrs WHERE study_id = @s ORDER BY key");
        cmd.Parameters.AddWithValue("s", StudyId());
        using var r = cmd.ExecuteReader();
        var attributes = new Dictionary<string, string>();
        while (r.Read()) attributes[r.GetString(0)] = r.GetString(1);
        return attributes;
    }

    /// <inheritdoc />
    public void SetUserAttribute(string key, string value)
    {
        StudyStorageChecks.Attribute(key, value);
        using var c = _source.OpenConnection();
        using var cmd = Command(c, null, """
            INSERT INTO rlx_study_user_attrs(study_id, key, value) VALUES (@s, @k, @v)
            ON CONFLICT (study_id, key) DO UPDATE SET value = excluded.value
            """);
        cmd.Parameters.AddWithValue("s", StudyId());
        cmd.Parameters.AddWithValue("k", key);
        cmd.Parameters.AddWithValue("v", value);
        cmd.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public int CreateTrial(Configuration configuration, TrialState state, string? sessionId, int? requeuedFrom, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        StudyStorageChecks.NewTrial(state, sessionId);
        using var c = _source.OpenConnection();
        using var tx = c.BeginTransaction();
        LockStudy(c, tx);
        int number = Insert(c, tx, configuration, state, sessionId, requeuedFrom, nowUtc);
        tx.Commit();
        return number;
    }

    /// <inheritdoc />
    public StudyTrial? StartNextWaitingTrial(string sessionId, DateTime nowUtc)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        using var c = _source.OpenConnection();
        using var tx = c.BeginTransaction();
        var number = StartWaiting(c, tx, sessionId, nowUtc);
        tx.Commit();
        return number is int n ? ReadTrials(c, null, n, allValues: true).Single() : null;
    }

    /// <inheritdoc />
    public StudyTrial? ClaimTrial(int nTrials, Func<IReadOnlyList<StudyTrial>, Configuration> suggest, string sessionId, DateTime nowUtc)
    {
        StudyStorageChecks.Claim(nTrials, suggest, sessionId);
        using var c = _source.OpenConnection();
        int number;
        using (var tx = c.BeginTransaction())
        {
            // The study's row lock serialises the claims of this study: count, choose and insert are one step.
            LockStudy(c, tx);
            var trials = ReadTrials(c, tx, null, allValues: false);
            if (StudyStorageChecks.Counted(trials) >= nTrials) return null;
            number = StartWaiting(c, tx, sessionId, nowUtc) ?? Insert(c, tx, suggest(trials), TrialState.Running, sessionId, null, nowUtc);
            tx.Commit();
        }
        return ReadTrials(c, null, number, allValues: true).Single();
    }

    /// <inheritdoc />
    public bool FinishTrial(int number, TrialState state, double? value, string? error, DateTime nowUtc)
    {
        StudyStorageChecks.Finish(state);
        using var c = _source.OpenConnection();
        using var cmd = Command(c, null, """
            UPDATE rlx_trials SET state = @st, value = @v, error = @e, completed_utc = @t, heartbeat_utc = @t
            WHERE study_id = @s AND number = @n AND state = 'Running'
            """);
        cmd.Parameters.AddWithValue("st", state.ToString());
        cmd.Parameters.Add(new NpgsqlParameter("v", NpgsqlDbType.Double) { Value = value is double d && double.IsFinite(d) ? d : DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("e", NpgsqlDbType.Text) { Value = (object?)error ?? DBNull.Value });
        cmd.Parameters.AddWithValue("t", Utc(nowUtc));
        cmd.Parameters.AddWithValue("s", StudyId());
        cmd.Parameters.AddWithValue("n", number);
        if (cmd.ExecuteNonQuery() == 1) return true;
        RequireTrial(c, number);
        return false;
    }

    /// <inheritdoc />
    public void ReportIntermediateValue(int number, long step, double value)
    {
        using var c = _source.OpenConnection();
        RequireTrial(c, number);
        using var cmd = Command(c, null, """
            INSERT INTO rlx_intermediate_values(study_id, trial, step, value) VALUES (@s, @n, @step, @v)
            ON CONFLICT DO NOTHING
            """);
        cmd.Parameters.AddWithValue("s", StudyId());
        cmd.Parameters.AddWithValue("n", number);
        cmd.Parameters.AddWithValue("step", step);
        cmd.Parameters.AddWithValue("v", value); // PostgreSQL's double precision holds NaN.
        cmd.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public void Heartbeat(IReadOnlyCollection<int> numbers, DateTime nowUtc)
    {
        if (numbers.Count == 0) return;
        using var c = _source.OpenConnection();
        using var cmd = Command(c, null, "UPDATE rlx_trials SET heartbeat_utc = @t WHERE study_id = @s AND number = ANY(@ns) AND state = 'Running'");
        cmd.Parameters.AddWithValue("t", Utc(nowUtc));
        cmd.Parameters.AddWithValue("s", StudyId());
        cmd.Parameters.AddWithValue("ns", numbers.ToArray());
        cmd.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public IReadOnlyList<StudyTrial> RequeueStaleTrials(Func<StudyTrial, string?> staleReason, string sessionId, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(staleReason);
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        var added = new List<int>();
        using var c = _source.OpenConnection();
        using (var tx = c.BeginTransaction())
        {
            LockStudy(c, tx);
            foreach (var t in ReadTrials(c, tx, null, allValues: false))
            {
                if (t.State != TrialState.Running || t.SessionId == sessionId || staleReason(t) is not { } reason) continue;
                using (var fail = Command(c, tx, "UPDATE rlx_trials SET state = 'Failed', error = @e, completed_utc = @t WHERE study_id = @s AND number = @n AND state = 'Running'"))
                {
                    fail.Parameters.AddWithValue("e", reason);
                    fail.Parameters.AddWithValue("t", Utc(nowUtc));
                    fail.Parameters.AddWithValue("s", StudyId());
                    fail.Parameters.AddWithValue("n", t.Number);
                    if (fail.ExecuteNonQuery() != 1) continue;
                }
                added.Add(Insert(c, tx, t.Configuration, TrialState.Waiting, null, t.Number, nowUtc));
            }
            tx.Commit();
        }
        return added.Select(n => ReadTrials(c, null, n, allValues: true).Single()).ToList();
    }

    /// <inheritdoc />
    public IReadOnlyList<StudyTrial> GetTrials()
    {
        using var c = _source.OpenConnection();
        return ReadTrials(c, null, null, allValues: true);
    }

    /// <inheritdoc />
    public StudyTrial GetTrial(int number)
    {
        using var c = _source.OpenConnection();
        return ReadTrials(c, null, number, allValues: true).SingleOrDefault()
            ?? throw new KeyNotFoundException($"Study '{_studyName}' in {_url} has no trial number {number}.");
    }

    /// <summary>Closes the pooled connections (the data stays on the server).</summary>
    public void Dispose() => _source.Dispose();

    private void EnsureSchema() => EnsureSchema(_source, _url);

    /// <summary>Creates the tables when missing (under an advisory lock, so concurrent first users do not race) and refuses a newer schema.</summary>
    internal static void EnsureSchema(NpgsqlDataSource source, StudyStorageUrl url)
    {
        using var c = source.OpenConnection();
        using var tx = c.BeginTransaction();
        // Several workers may start on an empty database at once: the first creates the schema, the others wait here.
        using (var lockCmd = Command(c, tx, "SELECT pg_advisory_xact_lock(724100315)")) lockCmd.ExecuteNonQuery();
        using (var create = Command(c, tx, "CREATE TABLE IF NOT EXISTS rlx_schema(id int PRIMARY KEY CHECK (id = 1), version int NOT NULL)"))
            create.ExecuteNonQuery();
        int? version;
        using (var read = Command(c, tx, "SELECT version FROM rlx_schema WHERE id = 1"))
            version = read.ExecuteScalar() is int v ? v : null;
        if (version > SchemaVersion)
            throw new InvalidDataException(
                $"The study storage {url} was written by a newer RlExperiments (schema version {version}); this version reads up to {SchemaVersion}. "
                + "Upgrade RlExperiments on this machine, or use another database. Nothing was changed.");
        using (var tables = Command(c, tx, """
            CREATE TABLE IF NOT EXISTS rlx_studies(
                id bigserial PRIMARY KEY, name text NOT NULL UNIQUE, direction text NOT NULL, space_name text NOT NULL,
                created_utc timestamptz NOT NULL);
            CREATE TABLE IF NOT EXISTS rlx_study_user_attrs(
                study_id bigint NOT NULL REFERENCES rlx_studies(id) ON DELETE CASCADE, key text NOT NULL, value text NOT NULL,
                PRIMARY KEY (study_id, key));
            CREATE TABLE IF NOT EXISTS rlx_trials(
                study_id bigint NOT NULL REFERENCES rlx_studies(id) ON DELETE CASCADE, number int NOT NULL, state text NOT NULL,
                params text NOT NULL, value double precision, error text, started_utc timestamptz, completed_utc timestamptz,
                heartbeat_utc timestamptz, session_id text, requeued_from int, PRIMARY KEY (study_id, number));
            CREATE INDEX IF NOT EXISTS rlx_trials_waiting ON rlx_trials(study_id, number) WHERE state = 'Waiting';
            CREATE TABLE IF NOT EXISTS rlx_runs(
                collection text NOT NULL, name text NOT NULL, directory text NOT NULL, state text NOT NULL,
                session_id text, started_utc timestamptz, heartbeat_utc timestamptz, completed_utc timestamptz,
                error text, attempts int NOT NULL DEFAULT 0, PRIMARY KEY (collection, name));
            CREATE TABLE IF NOT EXISTS rlx_intermediate_values(
                study_id bigint NOT NULL, trial int NOT NULL, step bigint NOT NULL, value double precision,
                PRIMARY KEY (study_id, trial, step),
                FOREIGN KEY (study_id, trial) REFERENCES rlx_trials(study_id, number) ON DELETE CASCADE);
            """))
            tables.ExecuteNonQuery();
        if (version is null)
            using (var insert = Command(c, tx, $"INSERT INTO rlx_schema(id, version) VALUES (1, {SchemaVersion})"))
                insert.ExecuteNonQuery();
        tx.Commit();
    }

    private long StudyId()
    {
        if (_studyId >= 0) return _studyId;
        GetStudy();
        return _studyId >= 0 ? _studyId
            : throw new InvalidOperationException($"{_url} holds no study '{_studyName}' yet; create it first.");
    }

    private void LockStudy(NpgsqlConnection c, NpgsqlTransaction tx)
    {
        using var cmd = Command(c, tx, "SELECT id FROM rlx_studies WHERE id = @s FOR UPDATE");
        cmd.Parameters.AddWithValue("s", StudyId());
        cmd.ExecuteNonQuery();
    }

    private int? StartWaiting(NpgsqlConnection c, NpgsqlTransaction tx, string sessionId, DateTime nowUtc)
    {
        using var cmd = Command(c, tx, """
            UPDATE rlx_trials SET state = 'Running', started_utc = @t, heartbeat_utc = @t, session_id = @id
            WHERE study_id = @s AND number = (
                SELECT number FROM rlx_trials WHERE study_id = @s AND state = 'Waiting'
                ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING number
            """);
        cmd.Parameters.AddWithValue("t", Utc(nowUtc));
        cmd.Parameters.AddWithValue("id", sessionId);
        cmd.Parameters.AddWithValue("s", StudyId());
        return cmd.ExecuteScalar() is int n ? n : null;
    }

    private int Insert(NpgsqlConnection c, NpgsqlTransaction tx, Configuration configuration, TrialState state, string? sessionId, int? requeuedFrom, DateTime nowUtc)
    {
        // Callers hold the study's row lock, so MAX + 1 is not raced.
        bool running = state == TrialState.Running;
        using var cmd = Command(c, tx, """
            INSERT INTO rlx_trials(study_id, number, state, params, started_utc, heartbeat_utc, session_id, requeued_from)
            SELECT @s, COALESCE(MAX(number), -1) + 1, @st, @p, @t, @t, @id, @r FROM rlx_trials WHERE study_id = @s
            RETURNING number
            """);
        cmd.Parameters.AddWithValue("s", StudyId());
        cmd.Parameters.AddWithValue("st", state.ToString());
        cmd.Parameters.AddWithValue("p", configuration.ToJson());
        cmd.Parameters.Add(new NpgsqlParameter("t", NpgsqlDbType.TimestampTz) { Value = running ? Utc(nowUtc) : DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Text) { Value = running ? sessionId! : DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("r", NpgsqlDbType.Integer) { Value = requeuedFrom is int r ? r : DBNull.Value });
        return (int)cmd.ExecuteScalar()!;
    }

    private void RequireTrial(NpgsqlConnection c, int number)
    {
        using var cmd = Command(c, null, "SELECT 1 FROM rlx_trials WHERE study_id = @s AND number = @n");
        cmd.Parameters.AddWithValue("s", StudyId());
        cmd.Parameters.AddWithValue("n", number);
        if (cmd.ExecuteScalar() is null) throw new KeyNotFoundException($"Study '{_studyName}' in {_url} has no trial number {number}.");
    }

    // allValues: every intermediate value of every trial; otherwise (for a claim, which must be quick) only the last one
    // of each pruned trial, which is what the samplers rank pruned trials by.
    private List<StudyTrial> ReadTrials(NpgsqlConnection c, NpgsqlTransaction? tx, int? number, bool allValues)
    {
        var filter = number is null ? "" : " AND number = @n";
        var values = new Dictionary<int, List<IntermediateValue>>();
        {
            using var iv = Command(c, tx, allValues
                ? "SELECT trial, step, value FROM rlx_intermediate_values WHERE study_id = @s"
                  + (number is null ? "" : " AND trial = @n") + " ORDER BY trial, step"
                : """
                  SELECT DISTINCT ON (iv.trial) iv.trial, iv.step, iv.value
                  FROM rlx_intermediate_values iv JOIN rlx_trials t ON t.study_id = iv.study_id AND t.number = iv.trial
                  WHERE iv.study_id = @s AND t.state = 'Pruned'
                  ORDER BY iv.trial, iv.step DESC
                  """);
            iv.Parameters.AddWithValue("s", StudyId());
            if (number is int n) iv.Parameters.AddWithValue("n", n);
            using var r = iv.ExecuteReader();
            while (r.Read())
            {
                int trial = r.GetInt32(0);
                if (!values.TryGetValue(trial, out var list)) values[trial] = list = new List<IntermediateValue>();
                list.Add(new IntermediateValue(r.GetInt64(1), r.IsDBNull(2) ? double.NaN : r.GetDouble(2)));
            }
        }
        var trials = new List<StudyTrial>();
        using var cmd = Command(c, tx, """
            SELECT number, state, params, value, error, started_utc, completed_utc, heartbeat_utc, session_id, requeued_from
            FROM rlx_trials WHERE study_id = @s
            """ + filter + " ORDER BY number");
        cmd.Parameters.AddWithValue("s", StudyId());
        if (number is int m) cmd.Parameters.AddWithValue("n", m);
        using (var r = cmd.ExecuteReader())
            while (r.Read())
            {
                int num = r.GetInt32(0);
                var stateText = r.GetString(1);
                if (!Enum.TryParse<TrialState>(stateText, out var state))
                    throw new InvalidDataException($"{_url}: trial {num} of study '{_studyName}' has state '{stateText}'; allowed: {string.Join(", ", Enum.GetNames<TrialState>())}.");
                var config = _configurations.GetOrAdd(num, (_, json) =>
                {
                    try { return Configuration.FromJson(json); }
                    catch (Exception e) when (e is FormatException or ArgumentException or Newtonsoft.Json.JsonException)
                    {
                        throw new InvalidDataException($"{_url}: trial {num} of study '{_studyName}' has unreadable parameters: {e.Message}", e);
                    }
                }, r.GetString(2));
                trials.Add(new StudyTrial(num, state, config,
                    r.IsDBNull(3) ? null : r.GetDouble(3),
                    r.IsDBNull(4) ? null : r.GetString(4),
                    r.IsDBNull(5) ? null : r.GetDateTime(5),
                    r.IsDBNull(6) ? null : r.GetDateTime(6),
                    r.IsDBNull(7) ? null : r.GetDateTime(7),
                    r.IsDBNull(8) ? null : r.GetString(8),
                    r.IsDBNull(9) ? null : r.GetInt32(9),
                    values.TryGetValue(num, out var list) ? list : Array.Empty<IntermediateValue>()));
            }
        return trials;
    }

    private static NpgsqlCommand Command(NpgsqlConnection c, NpgsqlTransaction? tx, string sql) => new(sql, c, tx);

    private static DateTime Utc(DateTime t) => t.Kind switch
    {
        DateTimeKind.Utc => t,
        DateTimeKind.Local => t.ToUniversalTime(),
        _ => DateTime.SpecifyKind(t, DateTimeKind.Utc),
    };
}
