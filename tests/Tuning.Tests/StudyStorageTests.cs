using FluentAssertions;
using RlExperiments.Tuning;
using Xunit;

namespace RlExperiments.Tuning.Tests;

public sealed class StudyStorageTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private IStudyStorage Make(string kind) => kind == "sqlite" ? SqliteStudyStorage.InDirectory(_dir.Combine("s")) : new InMemoryStudyStorage();

    private static Configuration C(double x) => new([new("x", x), new("y", 0.0)]);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("memory")]
    public void Storage_contract(string kind)
    {
        using var s = Make(kind);
        Contract(s, "st");
    }

    [PostgresFact]
    public void Storage_contract_postgres()
    {
        var name = PostgresFactAttribute.NewStudyName("contract");
        using var s = new PostgresStudyStorage(PostgresFactAttribute.Url!, name);
        Contract(s, name);
        FluentActions.Invoking(() => s.CreateStudy(new StudyInfo("other", StudyDirection.Minimize, "", DateTime.UtcNow)))
            .Should().Throw<ArgumentException>().WithMessage($"*bound to study '{name}'*");
    }

    /// <summary>The storage contract every IStudyStorage meets (in-memory, SQLite, PostgreSQL).</summary>
    internal static void Contract(IStudyStorage s, string name)
    {
        var t0 = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        s.GetStudy().Should().BeNull();
        FluentActions.Invoking(() => s.SetUserAttribute("k", "v")).Should().Throw<InvalidOperationException>("there is no study yet");
        s.CreateStudy(new StudyInfo(name, StudyDirection.Minimize, "quadratic", t0));
        s.GetStudy().Should().Be(new StudyInfo(name, StudyDirection.Minimize, "quadratic", t0));
        FluentActions.Invoking(() => s.CreateStudy(new StudyInfo(name, StudyDirection.Minimize, "", t0))).Should().Throw<InvalidOperationException>();
        s.GetUserAttributes().Should().BeEmpty();
        s.SetUserAttribute("algo", "dqn");
        s.SetUserAttribute("env", "CartPole-v0");
        s.SetUserAttribute("env", "CartPole-v1");
        s.GetUserAttributes().Should().BeEquivalentTo(new Dictionary<string, string> { ["algo"] = "dqn", ["env"] = "CartPole-v1" });

        // Parallel creation hands out distinct consecutive numbers.
        var numbers = new System.Collections.Concurrent.ConcurrentBag<int>();
        Parallel.For(0, 20, i => numbers.Add(s.CreateTrial(C(i), TrialState.Running, "me", null, t0)));
        numbers.Should().BeEquivalentTo(Enumerable.Range(0, 20));

        s.ReportIntermediateValue(0, 2, 1.5);
        s.ReportIntermediateValue(0, 1, double.NaN);
        s.ReportIntermediateValue(0, 2, 99.0); // ignored: first report at a step wins
        s.GetTrial(0).IntermediateValues.Should().HaveCount(2);
        s.GetTrial(0).IntermediateValues[0].Step.Should().Be(1);
        double.IsNaN(s.GetTrial(0).IntermediateValues[0].Value).Should().BeTrue();
        s.GetTrial(0).IntermediateValues[1].Should().Be(new IntermediateValue(2, 1.5));

        s.FinishTrial(0, TrialState.Complete, 3.25, null, t0.AddSeconds(5)).Should().BeTrue();
        s.FinishTrial(0, TrialState.Failed, null, "late", t0.AddSeconds(6)).Should().BeFalse("it is no longer running");
        var done = s.GetTrial(0);
        done.State.Should().Be(TrialState.Complete);
        done.Value.Should().Be(3.25);
        done.Duration.Should().Be(TimeSpan.FromSeconds(5));

        int w1 = s.CreateTrial(C(100), TrialState.Waiting, null, null, t0);
        int w2 = s.CreateTrial(C(200), TrialState.Waiting, null, null, t0);
        var started = s.StartNextWaitingTrial("me", t0.AddMinutes(1))!;
        started.Number.Should().Be(w1);
        started.State.Should().Be(TrialState.Running);
        started.SessionId.Should().Be("me");
        s.StartNextWaitingTrial("me", t0)!.Number.Should().Be(w2);
        s.StartNextWaitingTrial("me", t0).Should().BeNull();

        // Trial 1 belongs to a dead session with an old heartbeat; trial 2 to a live one; trial 3 to the caller.
        int dead = s.CreateTrial(C(-1), TrialState.Running, "dead", null, t0);
        int live = s.CreateTrial(C(-2), TrialState.Running, "live", null, t0);
        s.Heartbeat([live], t0.AddMinutes(10));
        var requeued = s.RequeueStaleTrials(t => StudyStorageChecks.StaleReason(t, t0.AddMinutes(5)), "me", t0.AddMinutes(10));
        requeued.Should().ContainSingle(t => t.RequeuedFrom == dead && t.State == TrialState.Waiting && t.Configuration.Equals(C(-1)));
        s.GetTrial(dead).State.Should().Be(TrialState.Failed);
        s.GetTrial(dead).Error.Should().StartWith("stale: ").And.Contain("dead");
        s.GetTrial(live).State.Should().Be(TrialState.Running);
        s.GetTrial(1).State.Should().Be(TrialState.Running, "the caller's own trials are never stale");
        FluentActions.Invoking(() => s.GetTrial(999)).Should().Throw<KeyNotFoundException>().WithMessage("*999*");
        FluentActions.Invoking(() => s.ReportIntermediateValue(999, 1, 1.0)).Should().Throw<KeyNotFoundException>().WithMessage("*999*");

        // A trial pruned at step 3 (its last value also stored as the trial's value).
        int pruned = 2;
        foreach (var (step, v) in new[] { (1L, 5.0), (2L, 4.0), (3L, 3.5) }) s.ReportIntermediateValue(pruned, step, v);
        s.FinishTrial(pruned, TrialState.Pruned, 3.5, null, t0.AddMinutes(10)).Should().BeTrue();

        // Claims: the re-queued waiting trial first, then new suggestions (the sampler sees every trial), never beyond nTrials.
        int counted = s.GetTrials().Count(t => t.State != TrialState.Waiting) - 1; // the stale trial was re-queued: its re-run counts instead
        var first = s.ClaimTrial(counted + 2, trials => throw new InvalidOperationException("not called: a trial waits"), "me", t0.AddMinutes(11))!;
        first.RequeuedFrom.Should().Be(dead);
        first.State.Should().Be(TrialState.Running);
        int seen = -1;
        IntermediateValue? prunedLast = null;
        var second = s.ClaimTrial(counted + 2, trials =>
        {
            seen = trials.Count;
            prunedLast = trials.Single(t => t.Number == pruned).LastIntermediateValue;
            return C(7);
        }, "me", t0.AddMinutes(11))!;
        seen.Should().Be(second.Number);
        prunedLast.Should().Be(new IntermediateValue(3, 3.5), "samplers rank pruned trials by the step they reached, so a claim sees it");
        second.Configuration.Equals(C(7)).Should().BeTrue();
        second.SessionId.Should().Be("me");
        s.ClaimTrial(counted + 2, _ => C(8), "me", t0).Should().BeNull("the study has its trials");
        FluentActions.Invoking(() => s.ClaimTrial(counted + 3, _ => throw new FormatException("sampler broke"), "me", t0)).Should().Throw<FormatException>();
        s.GetTrials().Should().HaveCount(second.Number + 1, "a failed suggestion adds nothing");
    }

    [Fact]
    public void A_trial_left_running_by_a_crashed_process_is_failed_as_stale_and_its_configuration_rerun_first()
    {
        var space = HyperparameterOptimizerTests.Quadratic();
        var options = new HyperparameterOptimizerOptions { StudyDirectory = _dir.Combine("crash"), Direction = StudyDirection.Minimize, NTrials = 3, Seed = 5, NFit = 2 };
        new HyperparameterOptimizer(options).Optimize(space, t => HyperparameterOptimizerTests.F(t.Configuration));

        // The crash: a session starts trial 3, reports once, beats for the last time 5 minutes ago, and dies (the storage is closed without finishing it).
        var orphan = C(0.25);
        var crashTime = DateTime.UtcNow.AddMinutes(-5);
        using (var s = SqliteStudyStorage.InDirectory(options.StudyDirectory))
        {
            s.CreateTrial(orphan, TrialState.Running, "crashed-session", null, crashTime).Should().Be(3);
            s.ReportIntermediateValue(3, 1, 7.0);
        }
        Study.Load(options.StudyDirectory).Trials[3].State.Should().Be(TrialState.Running);

        var calls = new List<(int Number, Configuration Config, IReadOnlyList<int> Seeds)>();
        var result = new HyperparameterOptimizer(options with { ContinuePrevious = true, NTrials = 6 }).Optimize(space, t =>
        {
            calls.Add((t.Number, t.Configuration, t.Seeds));
            return HyperparameterOptimizerTests.F(t.Configuration);
        });

        result.Trials[3].State.Should().Be(TrialState.Failed);
        result.Trials[3].Error.Should().StartWith("stale:");
        result.Trials[3].IntermediateValues.Should().ContainSingle();
        calls[0].Config.Should().Equal(orphan, "the re-queued configuration runs first");
        calls[0].Number.Should().Be(4);
        result.Trials[4].RequeuedFrom.Should().Be(3);
        result.Trials[4].State.Should().Be(TrialState.Complete);
        result.Trials.Count(t => t.State != TrialState.Failed).Should().Be(6);
        calls.Should().HaveCount(3, "3 trials existed, NTrials = 6 is the total and the stale one does not count");
        calls.Select(c => string.Join(",", c.Seeds)).Should().OnlyHaveUniqueItems();
        Configuration.FromJson(File.ReadAllText(Path.Combine(result.Directory, StudyFiles.BestParamsFileName)), space).Should().Equal(result.BestConfiguration);
    }

    [Fact]
    public void Running_trials_get_a_heartbeat_while_the_objective_runs()
    {
        var options = new HyperparameterOptimizerOptions
        {
            StudyDirectory = _dir.Combine("beat"), NTrials = 1,
            HeartbeatInterval = TimeSpan.FromMilliseconds(50), StaleAfter = TimeSpan.FromSeconds(1),
        };
        StudyTrial? during = null;
        new HyperparameterOptimizer(options).Optimize(HyperparameterOptimizerTests.Quadratic(), t =>
        {
            // Poll rather than sleep a fixed time: on a loaded machine the heartbeat thread may be scheduled late.
            using var reader = SqliteStudyStorage.InDirectory(options.StudyDirectory);
            var deadline = DateTime.UtcNow.AddSeconds(20);
            do
            {
                Thread.Sleep(50);
                during = reader.GetTrial(t.Number);
            }
            while (during.HeartbeatUtc!.Value - during.StartedUtc!.Value <= TimeSpan.FromMilliseconds(200) && DateTime.UtcNow < deadline);
            return 0;
        });
        during!.State.Should().Be(TrialState.Running);
        (during.HeartbeatUtc!.Value - during.StartedUtc!.Value).Should().BeGreaterThan(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Two_sessions_with_their_own_connections_share_one_study_without_losing_trials()
    {
        // Like two processes continuing the same study at once: separate SQLite connections, WAL and the busy timeout.
        var options = new HyperparameterOptimizerOptions
        {
            StudyDirectory = _dir.Combine("shared"), Direction = StudyDirection.Minimize, NTrials = 12, ContinuePrevious = true,
            Sampler = SamplerKind.Random,
        };
        using var bothRunning = new CountdownEvent(2);
        var errors = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var threads = Enumerable.Range(0, 2).Select(i => new Thread(() =>
        {
            bool first = true;
            try
            {
            new HyperparameterOptimizer(options with { Seed = i }).Optimize(HyperparameterOptimizerTests.Quadratic(), t =>
            {
                if (first) { first = false; bothRunning.Signal(); bothRunning.Wait(TimeSpan.FromSeconds(10)); }
                t.Report(0, 1);
                Thread.Sleep(3);
                return HyperparameterOptimizerTests.F(t.Configuration);
            });
            }
            catch (Exception e) { errors.Add(e); }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        errors.Should().BeEmpty();
        bothRunning.IsSet.Should().BeTrue("both sessions ran a trial at the same time");
        var all = Study.Load(options.StudyDirectory).Trials;
        all.Count.Should().BeInRange(12, 13, "each session checks the total before starting a trial; they may overshoot by one");
        all.Select(t => t.Number).Should().Equal(Enumerable.Range(0, all.Count));
        all.Should().OnlyContain(t => t.State == TrialState.Complete && t.IntermediateValues.Count == 1);
        all.Select(t => t.SessionId).Distinct().Should().HaveCount(2);
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_a_clear_error_naming_it()
    {
        var dir = _dir.Combine("garbage");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, SqliteStudyStorage.FileName), "this is not an SQLite file, just some text that is long enough to fill a header page......");
        FluentActions.Invoking(() => Study.Load(dir)).Should().Throw<InvalidDataException>().WithMessage($"*{SqliteStudyStorage.FileName} could not be opened as a study database*");
    }

    /// <summary>A study.db written before the PostgreSQL storage (no study_user_attrs table) opens and continues unchanged.</summary>
    [Fact]
    public void A_sqlite_study_of_the_previous_schema_opens_and_continues()
    {
        var dir = _dir.Combine("old");
        Directory.CreateDirectory(dir);
        using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dir, SqliteStudyStorage.FileName)};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE study(id INTEGER PRIMARY KEY CHECK (id = 1), name TEXT NOT NULL, direction TEXT NOT NULL, space_name TEXT NOT NULL,
                    created_utc TEXT NOT NULL, schema_version INTEGER NOT NULL);
                CREATE TABLE trials(number INTEGER PRIMARY KEY, state TEXT NOT NULL, params TEXT NOT NULL, value REAL, error TEXT,
                    started_utc TEXT, completed_utc TEXT, heartbeat_utc TEXT, session_id TEXT, requeued_from INTEGER);
                CREATE TABLE intermediate_values(trial INTEGER NOT NULL, step INTEGER NOT NULL, value REAL, PRIMARY KEY (trial, step));
                CREATE INDEX trials_state ON trials(state);
                INSERT INTO study VALUES (1, 'study', 'Minimize', 'quadratic', '2026-01-01T00:00:00.0000000Z', 1);
                INSERT INTO trials VALUES (0, 'Complete', '{"x": 0.5, "y": 0.0}', 0.25, NULL, '2026-01-01T00:00:01.0000000Z', '2026-01-01T00:00:02.0000000Z', '2026-01-01T00:00:02.0000000Z', 'old-session', NULL);
                """;
            cmd.ExecuteNonQuery();
        }
        var space = HyperparameterOptimizerTests.Quadratic();
        var result = new HyperparameterOptimizer(new HyperparameterOptimizerOptions
        {
            StudyDirectory = dir, Direction = StudyDirection.Minimize, NTrials = 4, Seed = 1, ContinuePrevious = true,
        }).Optimize(space, t => HyperparameterOptimizerTests.F(t.Configuration));
        result.Trials.Should().HaveCount(4);
        result.Trials[0].SessionId.Should().Be("old-session");
        result.Trials[0].Value.Should().Be(0.25);
        result.Trials.Skip(1).Should().OnlyContain(t => t.State == TrialState.Complete);
    }
}
