using System.Diagnostics;
using System.Text;
using RlExperiments.Agents.Training;
using RlExperiments.Experiments.Persistence;
using RlExperiments.Factories.Logging;
using RlExperiments.Tensors.Serialization;
using Xunit;
using MetricsLoggerFactory = RlExperiments.Factories.Logging.LoggerFactory;

namespace RlExperiments.Experiments.Tests.Experiment;

/// <summary>
/// Issue "Nothing silently wrong": one process per run directory, overwrite that really starts anew, a refused resume
/// that writes nothing, and the first error of a failing run wins. The process tests start tests/ProcessWorker.
/// </summary>
public sealed class RunDirectoryTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string WorkerDll
    {
        get
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "ProcessWorker.dll");
            Assert.True(File.Exists(dll), $"{dll} was not built");
            return dll;
        }
    }

    private static Experiments.Experiment Tiny(string baseDir, string name, int epochs) =>
        new(ProcessWorker.Program.TinyRun(baseDir, name, epochs).Definition, RlExperiments.Experiments.Tests.Experiment.Tiny.Services);

    // Problem 1: Run(overwrite: true) kept the old run's checkpoints, so a resume continued the old run.
    [Fact]
    public void A_run_with_overwrite_killed_mid_way_resumes_its_own_checkpoints_not_the_previous_runs()
    {
        using (var old = Tiny(_dir.Path, "ow", 20).Run()) { }
        var dir = _dir.Combine("ow");
        Assert.Equal([4000L, 3800L], RunCheckpoints.List(dir).Select(c => c.EnvStep));

        long killedAt;
        using (var child = Worker.Start(WorkerDll, ["run", _dir.Path, "ow", "20", "-", "--overwrite"]))
            killedAt = child.KillAtCheckpoint(Path.Combine(dir, RunCheckpoints.DirectoryName, RunCheckpoints.LatestFileName), step => step < 3000);
        Assert.False(File.Exists(Path.Combine(dir, Experiments.Experiment.ResultFileName)));
        Assert.All(RunCheckpoints.List(dir), c => Assert.True(c.EnvStep <= killedAt + 200, $"checkpoint {c.EnvStep} is the previous run's (killed at {killedAt})"));

        using (var resumed = Experiments.Experiment.FromDirectory(dir, restorePolicy: false, services: RlExperiments.Experiments.Tests.Experiment.Tiny.Services).Resume())
            Assert.Equal(4000, resumed.Summary.EnvSteps);
        var log = File.ReadAllText(Path.Combine(dir, Experiments.Experiment.LogFileName));
        Assert.DoesNotContain($"{Path.DirectorySeparatorChar}4000 ", log);

        using (var straight = Tiny(_dir.Path, "straight", 20).Run()) { }
        Assert.Equal(ProgressRows(_dir.Combine("straight")), ProgressRows(dir));
        var a = SafeTensors.Load(Path.Combine(_dir.Combine("straight"), PolicyFile.FinalFileName)).Tensors;
        var b = SafeTensors.Load(Path.Combine(dir, PolicyFile.FinalFileName)).Tensors;
        foreach (var key in a.Keys) Assert.Equal(a[key].ToArray(), b[key].ToArray());
    }

    // Problem 3: two processes, one name, released together: exactly one runs, the other is refused and writes nothing.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Two_processes_started_together_on_one_run_directory_exactly_one_runs(bool overwrite)
    {
        var barrier = _dir.Combine("go");
        string[] args = ["run", _dir.Path, "same", "3", barrier, .. overwrite ? new[] { "--overwrite" } : []];
        using var a = Worker.Start(WorkerDll, args);
        using var b = Worker.Start(WorkerDll, args);
        StartBarrier.Release(barrier, 2); // both built their experiment and wait at the barrier
        var codes = new[] { a.Finish(), b.Finish() };
        Assert.True(codes.Order().SequenceEqual([0, 3]), $"exit codes {codes[0]}, {codes[1]}; errors:\n{a.Errors}\n---\n{b.Errors}");
        var (winner, loser) = codes[0] == 0 ? (a, b) : (b, a);
        if (overwrite)
            Assert.Contains($"is in use by process {winner.Id} on machine {Environment.MachineName}", loser.Errors);
        else
            Assert.True(loser.Errors.Contains($"is in use by process {winner.Id} on machine {Environment.MachineName}") || loser.Errors.Contains("already exists"), loser.Errors);
        Assert.Contains("othing was written", loser.Errors);

        var dir = _dir.Combine("same");
        var log = File.ReadAllText(Path.Combine(dir, Experiments.Experiment.LogFileName));
        Assert.Contains($"(run pid-{winner.Id})", log);
        Assert.DoesNotContain($"pid-{loser.Id}", log);
        Assert.Single(log.Split('\n'), l => l.Contains("Experiment same"));
        Assert.Contains($"pid-{winner.Id}", File.ReadAllText(Path.Combine(dir, Experiments.Experiment.ResultFileName)));
        Assert.False(File.Exists(Path.Combine(dir, RunDirectoryLock.FileName)), "the lock is released when the run ends");
        Assert.DoesNotContain(Directory.GetFileSystemEntries(dir), e => Path.GetFileName(e).EndsWith(".tmp", StringComparison.Ordinal));
        ProgressRows(dir);
        Assert.Equal([600L, 400L], RunCheckpoints.List(dir).Select(c => c.EnvStep));
    }

    // Problem 3: a lock left by a killed process does not block a later resume or run.
    [Fact]
    public void A_lock_left_by_a_killed_process_is_taken_over_by_a_resume_and_by_a_new_run()
    {
        var dir = _dir.Combine("killed");
        var latest = Path.Combine(dir, RunCheckpoints.DirectoryName, RunCheckpoints.LatestFileName);
        int pid;
        using (var child = Worker.Start(WorkerDll, ["run", _dir.Path, "killed", "200", "-"]))
        {
            pid = child.Id;
            child.KillAtCheckpoint(latest, _ => true);
        }
        var lockFile = Path.Combine(dir, RunDirectoryLock.FileName);
        Assert.True(File.Exists(lockFile), "the killed process could not release its lock");
        Assert.Contains($"\"Pid\":{pid}", File.ReadAllText(lockFile));

        var saved = Experiments.Experiment.FromDirectory(dir, restorePolicy: false, services: RlExperiments.Experiments.Tests.Experiment.Tiny.Services);
        var shorter = new Experiments.Experiment(saved.Definition with { Sampling = saved.SamplingConfig with { NumEpochs = 4 } }, saved.Services);
        using (var resumed = shorter.Resume(dir)) Assert.Equal(800, resumed.Summary.EnvSteps);
        Assert.Contains($"Took over the lock of the run directory left by process {pid}", File.ReadAllText(Path.Combine(dir, Experiments.Experiment.LogFileName)));
        Assert.False(File.Exists(lockFile));

        using (var child = Worker.Start(WorkerDll, ["run", _dir.Path, "killed", "200", "-", "--overwrite"]))
        {
            pid = child.Id;
            child.KillAtCheckpoint(latest, step => step < 800); // a checkpoint of this run (overwrite deleted the resumed run's, up to 800)
        }
        Assert.Contains($"\"Pid\":{pid}", File.ReadAllText(lockFile));
        using (var again = Tiny(_dir.Path, "killed", 2).Run(overwrite: true)) Assert.Equal(400, again.Summary.EnvSteps);
        Assert.False(File.Exists(lockFile));
    }

    // Problem 3, in one process: a second run on a directory in use is refused with the holder and writes nothing.
    [Fact]
    public void A_run_directory_in_use_is_refused_naming_the_process_and_nothing_is_written()
    {
        using (var first = Tiny(_dir.Path, "busy", 1).Run()) { }
        var dir = _dir.Combine("busy");
        var before = Snapshot(dir);
        using (RunDirectoryLock.Acquire(dir, "run"))
        {
            var ex = Assert.Throws<IOException>(() => Tiny(_dir.Path, "busy", 1).Run(overwrite: true));
            Assert.Contains($"'{dir}' is in use by process {Environment.ProcessId} on machine {Environment.MachineName}", ex.Message);
            ex = Assert.Throws<IOException>(() => Experiments.Experiment.FromDirectory(dir, restorePolicy: false, services: RlExperiments.Experiments.Tests.Experiment.Tiny.Services).Resume());
            Assert.Contains("is in use by process", ex.Message);
            Assert.Equal(before, Snapshot(dir, except: RunDirectoryLock.FileName));
        }
    }

    // Problem 4: a refused resume wrote the new experiment.json, so the plain resume was refused from then on.
    [Fact]
    public void A_refused_resume_writes_nothing_and_the_plain_resume_still_works()
    {
        using (var run = Tiny(_dir.Path, "r", 3).Run()) { }
        var dir = _dir.Combine("r");
        var before = Snapshot(dir);
        var restored = Experiments.Experiment.FromDirectory(dir, restorePolicy: false, services: RlExperiments.Experiments.Tests.Experiment.Tiny.Services);
        var seed7 = new Experiments.Experiment(restored.Definition with { Config = restored.Config with { Seed = 7 } }, restored.Services);
        var ex = Assert.Throws<InvalidOperationException>(() => seed7.Resume(dir));
        Assert.Contains("config.seed: 5 → 7", ex.Message);
        Assert.Contains("Nothing was written", ex.Message);
        Assert.Equal(before, Snapshot(dir));

        using var resumed = Experiments.Experiment.FromDirectory(dir, restorePolicy: false, services: RlExperiments.Experiments.Tests.Experiment.Tiny.Services).Resume();
        Assert.Equal(600, resumed.Summary.EnvSteps);
    }

    /// <summary>A metrics logger whose sink fails when it is closed (as a full disk makes flushing fail).</summary>
    public sealed record FailingOnCloseLoggerFactory : MetricsLoggerFactory
    {
        public override IMetricsSink Create(string runDirectory, Microsoft.Extensions.Logging.ILoggerFactory? logging) => new Sink();

        private sealed class Sink : IMetricsSink, IDisposable
        {
            public void Write(string tag, double value, long envStep) { }
            public void Flush() { }
            public void Dispose() => throw new IOException("closing the metrics file failed (simulated)");
        }
    }

    // Problem 6: on a full disk, the checkpoint's clear error was replaced by the error of closing a file in a finally,
    // and the .tmp-<step> directory was left behind.
    [Fact]
    public void A_full_disk_while_checkpointing_reports_the_checkpoint_error_not_a_cleanup_error_and_leaves_no_tmp_directory()
    {
        var allow = new TypeAllowList().Allow<FailingOnCloseLoggerFactory>();
        var services = new ExperimentServices(json: new ExperimentJson(allow), logging: Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var experiment = new Experiments.Experiment(
            Tiny(_dir.Path, "full", 4).Definition with { LoggerFactory = new FailingOnCloseLoggerFactory() }, services);
        var calls = 0;
        RunCheckpoints.BeforeCommit.Value = _ =>
        {
            if (++calls == 2) throw new IOException("No space left on device");
        };
        IOException ex;
        try
        {
            ex = Assert.Throws<IOException>(() => experiment.Run());
        }
        finally
        {
            RunCheckpoints.BeforeCommit.Value = null;
        }
        Assert.Contains("checkpoint at env step 400 (epoch 2)", ex.Message);
        Assert.Contains("No space left on device", ex.Message);
        Assert.Contains("previous checkpoints are intact", ex.Message);
        Assert.Contains("closing the metrics file failed", (string)ex.Data["CleanupErrors"]!);
        var dir = _dir.Combine("full");
        Assert.DoesNotContain(Directory.GetDirectories(Path.Combine(dir, RunCheckpoints.DirectoryName)), d => Path.GetFileName(d).StartsWith(".tmp-"));
        Assert.Equal([200L], RunCheckpoints.List(dir).Select(c => c.EnvStep));
        Assert.Null(RunCheckpoints.Verify(RunCheckpoints.List(dir)[0].Directory));
        Assert.False(File.Exists(Path.Combine(dir, RunDirectoryLock.FileName)), "the lock is released after a failure too");
        Assert.Contains("No space left on device", File.ReadAllText(Path.Combine(dir, Experiments.Experiment.LogFileName)));
    }

    // Problem 6 on a real full disk: a 300 KB tmpfs (mounted in a user namespace, so no root is needed) fills up while
    // the tiny run checkpoints. The child reports the write error itself, not one from closing a file afterwards, and
    // leaves no .tmp directory and no lock behind.
    [TmpfsFact]
    public void On_a_real_full_disk_the_run_fails_with_the_write_error_and_leaves_no_tmp_directory_or_lock()
    {
        var mount = _dir.Combine("tmpfs");
        Directory.CreateDirectory(mount);
        var copy = _dir.Combine("full-copy");
        var script = $"mount -t tmpfs -o size=300k tmpfs '{mount}' && dotnet '{WorkerDll}' run '{mount}' full {FullDiskEpochs} - > /dev/null; " +
                     $"echo \"EXIT=$?\"; cd '{mount}/full' && find . | sort; cp -a '{mount}/full' '{copy}'";
        var start = new ProcessStartInfo("/usr/bin/unshare") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-r", "-m", "sh", "-c", script }) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(120_000), "the run on the tmpfs did not end within 120 s");
        var errors = stderr.Result;
        Assert.Contains("EXIT=3", stdout);
        var error = Assert.Single(errors.Split('\n'), l => l.StartsWith("ERROR: ", StringComparison.Ordinal));
        Assert.Contains("No space left on device", error);
        if (error.Contains("Writing the checkpoint")) Assert.Contains("previous checkpoints are intact", error);
        var files = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("./checkpoints", files);
        Assert.DoesNotContain(files, f => f.Contains("/.tmp-"));
        Assert.DoesNotContain(files, f => f.EndsWith("/.lock", StringComparison.Ordinal));

        // The run's directory, copied off the full disk as it was left, resumes from its newest checkpoint and finishes.
        var newest = RunCheckpoints.List(copy)[0];
        Assert.Null(RunCheckpoints.Verify(newest.Directory));
        using var resumed = Experiments.Experiment.FromDirectory(copy, restorePolicy: false, services: RlExperiments.Experiments.Tests.Experiment.Tiny.Services).Resume();
        Assert.Equal(FullDiskEpochs * 200L, resumed.Summary.EnvSteps);
        Assert.Contains($"Resuming from the checkpoint", File.ReadAllText(Path.Combine(copy, Experiments.Experiment.LogFileName)));
    }

    // Epochs of the tiny run on the 300 KB tmpfs: enough to fill it (a checkpoint every epoch, two kept), few enough that
    // resuming the copy to the end takes a second.
    private const int FullDiskEpochs = 40;

    /// <summary>Every file under <paramref name="dir"/> with its bytes (hex SHA-256 would do; the files are small).</summary>
    private static List<string> Snapshot(string dir, string? except = null) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != except)
            .Order(StringComparer.Ordinal)
            .Select(f => Path.GetRelativePath(dir, f) + ":" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))))
            .ToList();

    /// <summary>progress.csv without the wall-clock column; checks there are no duplicate or missing (out of order) steps.</summary>
    private static List<string> ProgressRows(string dir)
    {
        var lines = File.ReadAllLines(Path.Combine(dir, CsvWriter.DefaultFileName));
        var skip = Array.IndexOf(lines[0].Split(','), "train/steps_per_second");
        var rows = lines.Select(l => string.Join(",", l.Split(',').Where((_, i) => i != skip))).ToList();
        var steps = rows.Skip(1).Select(r => long.Parse(r.Split(',')[0])).ToList();
        Assert.Equal(steps.Distinct().Order().ToList(), steps);
        return rows;
    }

    /// <summary>A ProcessWorker child whose standard error is kept.</summary>
    private sealed class Worker : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _errors = new();

        private Worker(Process process) => _process = process;

        public int Id => _process.Id;

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

        /// <summary>Kills the child once <paramref name="latest"/> names a checkpoint step that <paramref name="when"/> accepts; returns that step.</summary>
        public long KillAtCheckpoint(string latest, Func<long, bool> when)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                Assert.False(_process.HasExited, $"the child finished before it could be killed: {Errors}");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "no checkpoint appeared within 120 s");
                string text;
                try { text = File.ReadAllText(latest); }
                catch (IOException) { text = ""; }
                if (long.TryParse(text, out var step) && when(step))
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit();
                    return step;
                }
                Thread.Sleep(2);
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.Dispose();
        }
    }
}
