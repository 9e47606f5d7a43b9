using System.Collections.Concurrent;
using FluentAssertions;
using Npgsql;
using RlExperiments.Tuning;
using Xunit;

namespace RlExperiments.Tuning.Tests;

/// <summary>The PostgreSQL storage against a real server (RLX_TEST_POSTGRES; .ci/run starts one).</summary>
public sealed class PostgresStudyStorageTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Configuration C(double x) => new([new("x", x), new("y", 0.0)]);

    /// <summary>
    /// Sixteen claimers, each with its own storage object (its own connections, as separate processes have), claim at
    /// once from a study of 40 trials with 5 enqueued: exactly 40 trials, numbers 0..39, the enqueued ones claimed first
    /// (no suggestion is made while a trial waits). The same for SQLite (one file, separate connections).
    /// </summary>
    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public void Concurrent_claimers_never_overshoot_NTrials_and_take_enqueued_trials_first(string kind)
    {
        if (kind == "postgres" && PostgresFactAttribute.Url is null) return; // the postgres case needs the server (see the [PostgresFact] tests)
        var name = PostgresFactAttribute.NewStudyName("claim");
        Func<IStudyStorage> open = kind == "postgres"
            ? () => new PostgresStudyStorage(PostgresFactAttribute.Url!, name)
            : () => new SqliteStudyStorage(_dir.Combine("claim.db"));
        using (var setup = open())
        {
            setup.CreateStudy(new StudyInfo(name, StudyDirection.Minimize, "q", DateTime.UtcNow));
            for (int i = 0; i < 5; i++) setup.CreateTrial(C(100 + i), TrialState.Waiting, null, null, DateTime.UtcNow);
        }
        var claimed = new ConcurrentBag<(int Number, string Session, Configuration Config)>();
        var waitingSeenBySuggestions = new ConcurrentBag<int>();
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 16 }, w =>
        {
            using var s = open();
            while (s.ClaimTrial(40, trials =>
                   {
                       waitingSeenBySuggestions.Add(trials.Count(t => t.State == TrialState.Waiting));
                       return C(trials.Count);
                   }, $"worker-{w}", DateTime.UtcNow) is { } t)
                claimed.Add((t.Number, t.SessionId!, t.Configuration));
        });
        using var check = open();
        var trials = check.GetTrials();
        trials.Should().HaveCount(40);
        trials.Select(t => t.Number).Should().Equal(Enumerable.Range(0, 40));
        trials.Should().OnlyContain(t => t.State == TrialState.Running);
        claimed.Select(c => c.Number).Should().OnlyHaveUniqueItems().And.HaveCount(40);
        claimed.Where(c => c.Number < 5).Select(c => c.Config).Should().BeEquivalentTo(Enumerable.Range(0, 5).Select(i => C(100 + i)));
        // Enqueued trials are claimed before any new suggestion: inside the claim (under the storage's lock), no suggestion
        // saw a waiting trial. (Ordering the claims by when they returned cannot show this: a claimer can be descheduled
        // between its claim and its record for as long as the others take to claim many trials.)
        waitingSeenBySuggestions.Should().HaveCount(35).And.OnlyContain(waiting => waiting == 0,
            "a new configuration is suggested only when no enqueued trial is left to claim");
        // Every suggestion saw the trials before it: trial n's configuration is C(n).
        trials.Where(t => t.Number >= 5).Should().OnlyContain(t => t.Configuration.Equals(C(t.Number)));
    }

    [PostgresFact]
    public void Studies_in_one_database_are_separate()
    {
        string a = PostgresFactAttribute.NewStudyName("a"), b = PostgresFactAttribute.NewStudyName("b");
        using var sa = new PostgresStudyStorage(PostgresFactAttribute.Url!, a);
        using var sb = new PostgresStudyStorage(PostgresFactAttribute.Url!, b);
        sa.CreateStudy(new StudyInfo(a, StudyDirection.Maximize, "s", DateTime.UtcNow));
        sb.CreateStudy(new StudyInfo(b, StudyDirection.Minimize, "s", DateTime.UtcNow));
        sa.CreateTrial(C(1), TrialState.Waiting, null, null, DateTime.UtcNow);
        sb.CreateTrial(C(2), TrialState.Waiting, null, null, DateTime.UtcNow);
        sb.CreateTrial(C(3), TrialState.Waiting, null, null, DateTime.UtcNow);
        sa.GetTrials().Should().ContainSingle().Which.Configuration.Equals(C(1)).Should().BeTrue();
        sb.GetTrials().Select(t => t.Number).Should().Equal(0, 1);
        sa.GetStudy()!.Direction.Should().Be(StudyDirection.Maximize);
        sb.GetStudy()!.Direction.Should().Be(StudyDirection.Minimize);
    }

    [PostgresFact]
    public void Wrong_password_and_unreachable_server_are_clear_errors_without_the_password()
    {
        var good = new NpgsqlConnectionStringBuilder(StudyStorageUrl.Parse(PostgresFactAttribute.Url!).ConnectionString);
        var wrong = $"postgresql://{good.Username}:s3cret-wrong@{good.Host}:{good.Port}/{good.Database}";
        FluentActions.Invoking(() => new PostgresStudyStorage(wrong, "x")).Should().Throw<InvalidOperationException>()
            .Where(e => e.Message.Contains($"postgresql://{good.Username}:***@{good.Host}:{good.Port}/{good.Database}")
                        && e.Message.Contains("password authentication failed") && !e.Message.Contains("s3cret-wrong"));
        // A port nothing listens on (the server's own port + 1 is free or not PostgreSQL's; 1 is never served here).
        var down = $"postgresql://u:hunter2@127.0.0.1:1/db";
        FluentActions.Invoking(() => new PostgresStudyStorage(down, "x")).Should().Throw<InvalidOperationException>()
            .Where(e => e.Message.StartsWith("Could not open the study storage postgresql://u:***@127.0.0.1:1/db") && !e.Message.Contains("hunter2"));
    }

    [PostgresFact]
    public void A_database_written_by_a_newer_schema_is_refused_and_left_unchanged()
    {
        var db = "rlx_schema_" + Guid.NewGuid().ToString("N")[..8];
        var admin = StudyStorageUrl.Parse(PostgresFactAttribute.Url!).ConnectionString!;
        Exec(admin, $"CREATE DATABASE {db}");
        try
        {
            var b = new NpgsqlConnectionStringBuilder(admin) { Database = db };
            var url = $"postgresql://{b.Username}:{b.Password}@{b.Host}:{b.Port}/{db}";
            using (var s = new PostgresStudyStorage(url, "s")) s.CreateStudy(new StudyInfo("s", StudyDirection.Minimize, "q", DateTime.UtcNow));
            Exec(b.ConnectionString, $"UPDATE rlx_schema SET version = {PostgresStudyStorage.SchemaVersion + 1}");
            FluentActions.Invoking(() => new PostgresStudyStorage(url, "s")).Should().Throw<InvalidDataException>()
                .WithMessage($"*newer RlExperiments (schema version {PostgresStudyStorage.SchemaVersion + 1})*reads up to {PostgresStudyStorage.SchemaVersion}*")
                .Where(e => e.Message.Contains(":***@") && !e.Message.Contains(":" + b.Password + "@"));
            using var c = new NpgsqlConnection(b.ConnectionString);
            c.Open();
            using var cmd = new NpgsqlCommand("SELECT version FROM rlx_schema", c);
            cmd.ExecuteScalar().Should().Be(PostgresStudyStorage.SchemaVersion + 1);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Exec(admin, $"DROP DATABASE IF EXISTS {db} WITH (FORCE)");
        }
    }

    /// <summary>
    /// Two optimizers (two sessions, as two machines would be) on one PostgreSQL study, two trial threads each: exactly
    /// NTrials trials, each configuration evaluated once, and the study continues from a third session to a larger NTrials.
    /// </summary>
    [PostgresFact]
    public void Two_optimizers_share_a_postgres_study_without_overshooting()
    {
        var name = PostgresFactAttribute.NewStudyName("opt");
        var space = HyperparameterOptimizerTests.Quadratic();
        var evaluated = new ConcurrentBag<int>();
        HyperparameterOptimizerOptions Options(string dir, int n) => new()
        {
            StudyDirectory = _dir.Combine(dir), Storage = PostgresFactAttribute.Url, StudyName = name, Direction = StudyDirection.Minimize,
            NTrials = n, NJobs = 2, Seed = 3, ContinuePrevious = true,
        };
        double Objective(TrialContext t) { evaluated.Add(t.Number); Thread.Sleep(20); return HyperparameterOptimizerTests.F(t.Configuration); }
        Parallel.Invoke(
            () => new HyperparameterOptimizer(Options("w1", 12)).Optimize(space, Objective),
            () => new HyperparameterOptimizer(Options("w2", 12)).Optimize(space, Objective));
        evaluated.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(Enumerable.Range(0, 12));
        var result = new HyperparameterOptimizer(Options("w3", 15)).Optimize(space, Objective);
        result.Trials.Should().HaveCount(15).And.OnlyContain(t => t.State == TrialState.Complete);
        File.Exists(Path.Combine(_dir.Combine("w3"), StudyFiles.BestParamsFileName)).Should().BeTrue();
        FluentActions.Invoking(() => new HyperparameterOptimizer(Options("w4", 15) with { ContinuePrevious = false }).Optimize(space, Objective))
            .Should().Throw<InvalidOperationException>().WithMessage($"*already holds study '{name}'*nothing was changed*");
    }

    private static void Exec(string connectionString, string sql)
    {
        using var c = new NpgsqlConnection(connectionString);
        c.Open();
        using var cmd = new NpgsqlCommand(sql, c);
        cmd.ExecuteNonQuery();
    }
}
