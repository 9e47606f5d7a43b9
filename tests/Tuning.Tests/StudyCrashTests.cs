using System.Diagnostics;
using RlExperiments.Tuning;

namespace RlExperiments.Tuning.Tests;

/// <summary>Trials left running by a process that is gone are re-run at once; a real kill of a tuning process is continued.</summary>
public sealed class StudyCrashTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Configuration C(double x) => new([new("x", x), new("y", 0.0)]);

    [Fact]
    public void A_trial_whose_process_is_gone_is_stale_at_once_while_a_live_process_keeps_its_trial()
    {
        var space = HyperparameterOptimizerTests.Quadratic();
        var options = new HyperparameterOptimizerOptions { StudyDirectory = _dir.Combine("gone"), Direction = StudyDirection.Minimize, NTrials = 2, Seed = 3 };
        new HyperparameterOptimizer(options).Optimize(space, t => HyperparameterOptimizerTests.F(t.Configuration));

        // Both trials beat a second ago (far within StaleAfter = 60 s): only the process check can tell them apart.
        var selfStart = Process.GetCurrentProcess().StartTime.ToUniversalTime().Ticks;
        var gone = $"{Guid.NewGuid():N}@{Environment.MachineName}:{int.MaxValue - 7}:{selfStart}";
        var alive = $"{Guid.NewGuid():N}@{Environment.MachineName}:{Environment.ProcessId}:{selfStart}";
        var now = DateTime.UtcNow.AddSeconds(-1);
        using (var s = SqliteStudyStorage.InDirectory(options.StudyDirectory))
        {
            s.CreateTrial(C(0.5), TrialState.Running, gone, null, now).Should().Be(2);
            s.CreateTrial(C(0.75), TrialState.Running, alive, null, now).Should().Be(3);
        }

        var result = new HyperparameterOptimizer(options with { ContinuePrevious = true, NTrials = 5 })
            .Optimize(space, t => HyperparameterOptimizerTests.F(t.Configuration));
        result.Trials[2].State.Should().Be(TrialState.Failed);
        result.Trials[2].Error.Should().StartWith("stale:").And.Contain($"process {int.MaxValue - 7}").And.Contain("no longer running");
        result.Trials[3].State.Should().Be(TrialState.Running, "its process (this one) is alive and its heartbeat is fresh");
        result.Trials[4].RequeuedFrom.Should().Be(2);
        result.Trials[4].Configuration.Should().Equal(C(0.5));
        result.Trials.Should().HaveCount(6);
        result.Trials.Count(t => t.State == TrialState.Complete).Should().Be(4,
            "NTrials = 5 counts the 2 earlier trials, the live running one, the re-run and one new trial; the stale one does not count");
    }

    [Fact]
    public void A_tuning_process_killed_mid_trial_is_continued_and_reruns_the_killed_trial()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "TuneDqn.dll");
        File.Exists(dll).Should().BeTrue($"{dll} should be built next to the tests");
        var output = _dir.Combine("out");
        string[] tiny = ["--trials", "6", "--budget", "3000", "--nfit", "1", "--jobs", "1", "--heldout", "2", "--out", output];
        var db = Path.Combine(output, "TuneDqn", "optim", SqliteStudyStorage.FileName);

        using (var child = Start(dll, tiny))
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                child.HasExited.Should().BeFalse("the study should still be running when it is killed");
                clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(120), "a trial should be running within 120 s");
                if (File.Exists(db) && Snapshot(db) is { } trials
                    && trials.Count(t => t.IsFinished) >= 2 && trials.Any(t => t.State == TrialState.Running))
                {
                    child.Kill(entireProcessTree: true);
                    break;
                }
                Thread.Sleep(5);
            }
            child.WaitForExit();
        }
        var killed = Study.Load(Path.GetDirectoryName(db)!).Trials.Where(t => t.State == TrialState.Running).ToList();
        killed.Should().NotBeEmpty("the kill left a trial running");

        using (var again = Start(dll, [.. tiny, "--continue"]))
        {
            again.WaitForExit(180_000).Should().BeTrue("the continued study should finish");
            again.ExitCode.Should().Be(0);
        }
        var study = Study.Load(Path.GetDirectoryName(db)!);
        foreach (var orphan in killed)
        {
            study.Trials[orphan.Number].State.Should().Be(TrialState.Failed);
            study.Trials[orphan.Number].Error.Should().Contain("no longer running");
            study.Trials.Should().ContainSingle(t => t.RequeuedFrom == orphan.Number && t.IsFinished && t.State != TrialState.Failed)
                .Which.Configuration.Should().Equal(orphan.Configuration);
        }
        study.Trials.Count(t => t.State is TrialState.Complete or TrialState.Pruned).Should().Be(6);
        study.Trials.Should().NotContain(t => t.State == TrialState.Running);
        File.Exists(Path.Combine(output, "TuneDqn", "heldout_report.html")).Should().BeTrue();
    }

    private static Process Start(string dll, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static IReadOnlyList<StudyTrial>? Snapshot(string db)
    {
        try
        {
            using var storage = new SqliteStudyStorage(db);
            return storage.GetTrials();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
        {
            return null; // the child is creating the file
        }
    }
}
