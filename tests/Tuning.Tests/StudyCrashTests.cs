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

        // Once the study is full, the session waits for the live session's trial (it might die and need a re-run); the timeout ends the wait.
        var clock = Stopwatch.StartNew();
        var result = new HyperparameterOptimizer(options with { ContinuePrevious = true, NTrials = 5, Timeout = TimeSpan.FromSeconds(3) })
            .Optimize(space, t => HyperparameterOptimizerTests.F(t.Configuration));
        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(2.5), "it waited for the other session's running trial");
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
                    // SIGKILL at once: walking the process tree first (Kill(entireProcessTree)) takes long enough on a loaded
                    // machine for the short trial to finish, leaving nothing running. `dotnet TuneDqn.dll` has no children.
                    child.Kill();
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

    /// <summary>
    /// Issue "Nothing silently wrong", problem 2: two live optimizer processes with ContinuePrevious on one study must
    /// never fail each other's running trials as stale. Ten rounds, each on a fresh study: in even rounds both processes
    /// are released together by a barrier file, in odd rounds the second joins while the first has a trial running
    /// (both start up first and wait at barrier files, so a slow start-up on a loaded machine changes nothing). Each
    /// study has 4 trials of 1 s (heartbeat 10 s, stale after 60 s, so only the process check can fail a trial here); a
    /// round takes about 3 to 4 s, the test about 40 s.
    /// </summary>
    [Fact]
    public void Two_live_processes_on_one_study_never_mark_each_others_trials_stale()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ProcessWorker.dll");
        File.Exists(dll).Should().BeTrue($"{dll} should be built next to the tests");
        for (var round = 0; round < 10; round++)
        {
            var study = _dir.Combine($"shared-{round}");
            var together = round % 2 == 0;
            var barrier = _dir.Combine($"go-{round}");
            var db = Path.Combine(study, SqliteStudyStorage.FileName);
            var firstBarrier = together ? barrier : barrier + "-first";
            using var first = Worker.Start(dll, ["study", study, "4", "1000", firstBarrier]);
            using var second = Worker.Start(dll, ["study", study, "4", "1000", barrier]);
            if (together) StartBarrier.Release(barrier, 2); // both started up and wait at the barrier
            else
            {
                // Both started up (however slowly on a loaded machine); the first starts, the second joins while it runs a trial.
                StartBarrier.WaitReady(barrier, 1);
                StartBarrier.Release(firstBarrier, 1);
                var clock = Stopwatch.StartNew();
                while (!(File.Exists(db) && Snapshot(db) is { } t && t.Any(x => x.State == TrialState.Running)))
                {
                    clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60), $"round {round}: the first process should run a trial within 60 s");
                    Thread.Sleep(5);
                }
                StartBarrier.Release(barrier, 1);
            }
            first.Finish().Should().Be(0, $"round {round}: the first process failed: {first.Errors}");
            second.Finish().Should().Be(0, $"round {round}: the second process failed: {second.Errors}");
            var trials = Study.Load(study).Trials;
            trials.Should().NotContain(t => t.State == TrialState.Failed,
                $"round {round}: no trial of a live process may be failed; errors: {string.Join(" | ", trials.Select(t => t.Error).OfType<string>())}");
            trials.Count(t => t.State == TrialState.Complete).Should().BeGreaterThanOrEqualTo(4);
            trials.Select(t => t.SessionId).Distinct().Should().HaveCount(2, $"round {round}: both processes should have run trials");
        }
    }

    /// <summary>A child process whose standard error is kept.</summary>
    private sealed class Worker : IDisposable
    {
        private readonly Process _process;
        private readonly System.Text.StringBuilder _errors = new();

        private Worker(Process process) => _process = process;

        public string Errors { get { lock (_errors) return _errors.ToString(); } }

        public static Worker Start(string dll, IEnumerable<string> args)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(dll);
            foreach (var a in args) start.ArgumentList.Add(a);
            var worker = new Worker(Process.Start(start)!);
            worker._process.OutputDataReceived += (_, _) => { };
            worker._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (worker._errors) worker._errors.AppendLine(e.Data); };
            worker._process.BeginOutputReadLine();
            worker._process.BeginErrorReadLine();
            return worker;
        }

        public int Finish()
        {
            if (!_process.WaitForExit(120_000))
            {
                _process.Kill(entireProcessTree: true);
                throw new TimeoutException("the worker did not finish within 120 s");
            }
            _process.WaitForExit();
            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.Dispose();
        }
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
