using System.Text.RegularExpressions;
using RlExperiments.Tuning;

namespace RlExperiments.Cli.Tests;

/// <summary>Real worker processes on one PostgreSQL study (RLX_TEST_POSTGRES; .ci/run starts a server).</summary>
public sealed partial class DistributedStudyTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [GeneratedRegex(@"[Tt]rial (\d+) (finished|pruned) with value")]
    private static partial Regex FinishedLine();

    /// <summary>
    /// rlx tune and two rlx worker processes share a study of 9 small DQN trials; one worker is SIGKILLed while it runs a
    /// trial. The study ends with exactly 9 counted trials; the killed trial is failed as stale (naming the dead worker)
    /// and re-run once with its configuration; no other trial ran twice; best_params.json is written.
    /// </summary>
    [PostgresFact]
    public void Three_workers_one_killed_mid_trial_finish_exactly_NTrials_with_one_rerun()
    {
        var url = PostgresFactAttribute.Url!;
        var study = PostgresFactAttribute.NewStudyName("kill");
        const int nTrials = 9;
        using var tuner = new Rlx.Child(_dir.Path, "tune", "--algo", "dqn", "--env", "CartPole-v1", "--storage", url, "--study", study,
            "--trials", nTrials.ToString(), "--steps", "16000", // trials long enough that the workers start before the tuner alone finishes the study
            "--pruner", "none", "--dir", _dir.Combine("a"));
        using var storage = new PostgresStudyStorage(url, study);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (storage.GetStudy() is null || storage.GetUserAttributes().Count == 0)
        {
            tuner.Process.HasExited.Should().BeFalse(tuner.Output);
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromMinutes(2));
            Thread.Sleep(50);
        }
        using var victim = new Rlx.Child(_dir.Path, "worker", "--storage", url, "--study", study, "--dir", _dir.Combine("b"));
        using var other = new Rlx.Child(_dir.Path, "worker", "--storage", url, "--study", study, "--dir", _dir.Combine("c"));

        // Kill the victim while it runs a trial (its session id names its pid).
        var mark = $":{victim.Process.Id}:";
        StudyTrial? killed = null;
        while (killed is null)
        {
            victim.Process.HasExited.Should().BeFalse("the victim should get a trial before the study ends. Output:\n" + victim.Output);
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromMinutes(4));
            killed = storage.GetTrials().FirstOrDefault(t => t.State == TrialState.Running && t.SessionId!.Contains(mark));
            if (killed is null) Thread.Sleep(20);
        }
        victim.Process.Kill(); // SIGKILL
        victim.Process.WaitForExit();

        tuner.WaitForExit(TimeSpan.FromMinutes(6)).Should().Be(0, tuner.Output);
        other.WaitForExit(TimeSpan.FromMinutes(6)).Should().Be(0, other.Output);

        var trials = storage.GetTrials();
        trials.Should().NotContain(t => t.State == TrialState.Running || t.State == TrialState.Waiting);
        var stale = trials.Single(t => t.Error is { } e && e.StartsWith("stale:"));
        stale.Number.Should().Be(killed.Number);
        stale.Error.Should().Contain(mark.Trim(':')).And.Contain("no longer running");
        var rerun = trials.Single(t => t.RequeuedFrom == stale.Number);
        rerun.Configuration.Equals(stale.Configuration).Should().BeTrue("the re-run evaluates the killed trial's configuration");
        rerun.State.Should().Be(TrialState.Complete);
        trials.Where(t => t != stale).Should().HaveCount(nTrials, "exactly NTrials trials count: the stale one was replaced by its re-run");
        trials.Where(t => t != stale).Select(t => t.Configuration.ToJson()).Should().OnlyHaveUniqueItems("no other configuration ran twice");

        // Every trial was finished by exactly one process; the killed one by none.
        var finished = new[] { tuner.Output, other.Output, victim.Output }
            .SelectMany(o => FinishedLine().Matches(o).Select(m => int.Parse(m.Groups[1].Value))).ToList();
        finished.Should().OnlyHaveUniqueItems().And.NotContain(stale.Number);
        finished.Should().BeEquivalentTo(trials.Where(t => t != stale).Select(t => t.Number));
        File.Exists(Path.Combine(_dir.Combine("a"), StudyFiles.BestParamsFileName)).Should().BeTrue();
        File.Exists(Path.Combine(_dir.Combine("c"), StudyFiles.BestParamsFileName)).Should().BeTrue();
    }
}
