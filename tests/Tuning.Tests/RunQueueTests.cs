using System.Collections.Concurrent;
using FluentAssertions;
using RlExperiments.Tuning;
using Xunit;

namespace RlExperiments.Tuning.Tests;

/// <summary>
/// The run queue of submitted collections, the same contract on both storages: SQLite (always) and PostgreSQL (when
/// RLX_TEST_POSTGRES names a server; .ci/run starts one).
/// </summary>
public sealed class RunQueueTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Kinds => ["sqlite", "postgres"];

    private string Url(string kind) => kind == "postgres" ? PostgresFactAttribute.Url! : "sqlite:///" + _dir.Combine("queue.db");

    private static bool Unavailable(string kind) => kind == "postgres" && PostgresFactAttribute.Url is null;

    /// <summary>Eight claimers with their own connections drain 30 runs: each run is claimed exactly once, lowest names first.</summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void Concurrent_claimers_each_get_a_different_run(string kind)
    {
        if (Unavailable(kind)) return; // the postgres case needs the server
        var name = PostgresFactAttribute.NewStudyName("q");
        var runs = Enumerable.Range(0, 30).Select(i => $"run-{i:D2}").ToArray();
        using (var q = RunQueue.Open(Url(kind), name)) q.Submit("/shared/c", runs);
        var claimed = new ConcurrentQueue<(string Run, string Session)>();
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, w =>
        {
            using var q = RunQueue.Open(Url(kind), name);
            while (q.Claim($"worker-{w}", TimeSpan.FromMinutes(5), DateTime.UtcNow) is { } run)
            {
                run.State.Should().Be(TrialState.Running);
                run.SessionId.Should().Be($"worker-{w}");
                claimed.Enqueue((run.Name, run.SessionId!));
            }
        });
        claimed.Select(c => c.Run).Should().BeEquivalentTo(runs).And.OnlyHaveUniqueItems();
        using var check = RunQueue.Open(Url(kind), name);
        var all = check.Runs();
        all.Select(r => r.Name).Should().Equal(runs, "Runs() lists by name");
        all.Should().OnlyContain(r => r.Attempts == 1 && r.State == TrialState.Running && r.Directory == "/shared/c");
        foreach (var (run, session) in claimed) all.Single(r => r.Name == run).SessionId.Should().Be(session);
    }

    /// <summary>Submitting again adds nothing; a run is finished only by its own session; claims go in name order.</summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void Submit_is_idempotent_and_only_the_running_session_finishes_a_run(string kind)
    {
        if (Unavailable(kind)) return;
        var name = PostgresFactAttribute.NewStudyName("q");
        using var q = RunQueue.Open(Url(kind), name);
        q.Collection.Should().Be(name);
        q.Submit("/c", ["b", "a"]);
        q.Submit("/c", ["a", "b", "c"]);
        q.Runs().Select(r => r.Name).Should().Equal("a", "b", "c");

        var now = DateTime.UtcNow;
        q.Claim("s1", TimeSpan.FromMinutes(1), now)!.Name.Should().Be("a");
        q.Claim("s2", TimeSpan.FromMinutes(1), now)!.Name.Should().Be("b");
        q.Finish("a", "s2", TrialState.Complete, null, now).Should().BeFalse("s2 does not run a");
        q.Finish("a", "s1", TrialState.Complete, null, now).Should().BeTrue();
        q.Finish("a", "s1", TrialState.Complete, null, now).Should().BeFalse("a is no longer running");
        q.Finish("b", "s2", TrialState.Failed, "boom", now).Should().BeTrue();
        FluentActions.Invoking(() => q.Finish("c", "s1", TrialState.Running, null, now))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Running is invalid; allowed: Complete, Failed*");

        var runs = q.Runs();
        runs[0].State.Should().Be(TrialState.Complete);
        runs[1].State.Should().Be(TrialState.Failed);
        runs[1].Error.Should().Be("boom");
        runs[2].State.Should().Be(TrialState.Waiting);
        q.Claim("s3", TimeSpan.FromMinutes(1), now)!.Name.Should().Be("c");
        q.Claim("s3", TimeSpan.FromMinutes(1), now).Should().BeNull("nothing waits");
    }

    /// <summary>
    /// A run whose heartbeat went stale goes back to waiting and is claimed again (attempt 2) with the reason recorded;
    /// a run with a fresh heartbeat is never taken, and a heartbeat keeps it alive.
    /// </summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_run_with_a_stale_heartbeat_is_taken_over_and_a_beating_one_is_not(string kind)
    {
        if (Unavailable(kind)) return;
        var name = PostgresFactAttribute.NewStudyName("q");
        using var q = RunQueue.Open(Url(kind), name);
        q.Submit("/c", ["a", "b"]);
        var t0 = new DateTime(2026, 12, 7, 1, 0, 0, DateTimeKind.Utc);
        q.Claim("dead", TimeSpan.FromSeconds(60), t0)!.Name.Should().Be("a");
        q.Claim("alive", TimeSpan.FromSeconds(60), t0)!.Name.Should().Be("b");
        q.Heartbeat("b", "alive", t0.AddSeconds(100));
        q.Heartbeat("a", "alive", t0.AddSeconds(100)); // not its run: changes nothing

        q.Claim("new", TimeSpan.FromSeconds(60), t0.AddSeconds(59)).Should().BeNull("at 59 s no heartbeat is stale yet");

        var taken = q.Claim("new", TimeSpan.FromSeconds(60), t0.AddSeconds(100));
        taken!.Name.Should().Be("a", "a's last heartbeat is 100 s old; b beat at 100 s");
        taken.Attempts.Should().Be(2);
        taken.SessionId.Should().Be("new");
        taken.Error.Should().Contain("stale").And.Contain("dead").And.Contain("resume from its last checkpoint");
        q.Finish("a", "dead", TrialState.Complete, null, t0.AddSeconds(101)).Should().BeFalse("the dead worker's run was taken from it");
        var b = q.Runs().Single(r => r.Name == "b");
        (b.SessionId, b.Attempts, b.State).Should().Be(("alive", 1, TrialState.Running));
        b.HeartbeatUtc!.Value.ToUniversalTime().Should().Be(t0.AddSeconds(100));
    }

    /// <summary>A file that is not a database is refused naming the URL.</summary>
    [Fact]
    public void An_sqlite_queue_on_a_file_that_is_not_a_database_is_refused_naming_it()
    {
        var path = _dir.Combine("not-a-db.db");
        File.WriteAllText(path, new string('x', 4096));
        FluentActions.Invoking(() => RunQueue.Open("sqlite:///" + path, "c"))
            .Should().Throw<StudyStorageUnavailableException>().WithMessage($"*{path}*");
        File.ReadAllText(path).Should().Be(new string('x', 4096), "a refused open writes nothing");
    }
}
