using System.Diagnostics;
using RlExperiments.Factories.Logging;
using RlExperiments.Tensors.Serialization;
using Xunit;

namespace RlExperiments.Experiments.Tests.Experiment;

/// <summary>A real kill: the ResumeAfterKill example runs as a child process, is killed mid-training, and the run is resumed.</summary>
public sealed class ResumeAfterKillTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_run_killed_mid_training_resumes_to_the_same_progress_csv_and_weights_as_an_uninterrupted_run()
    {
        using (var straight = ResumeAfterKill.Program.Build(_dir.Path, "straight").Run()) { }

        var dll = Path.Combine(AppContext.BaseDirectory, "ResumeAfterKill.dll");
        Assert.True(File.Exists(dll), $"{dll} was not built");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { dll, _dir.Path, "--name", "killed" }) start.ArgumentList.Add(arg);
        var killedDir = _dir.Combine("killed");
        var latest = Path.Combine(killedDir, RunCheckpoints.DirectoryName, RunCheckpoints.LatestFileName);
        long killedAfter;
        using (var child = Process.Start(start)!)
        {
            child.OutputDataReceived += (_, _) => { };
            child.ErrorDataReceived += (_, _) => { };
            child.BeginOutputReadLine();
            child.BeginErrorReadLine();
            var clock = Stopwatch.StartNew();
            while (true)
            {
                Assert.False(child.HasExited, "the child finished before it could be killed");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "no checkpoint appeared within 120 s");
                if (File.Exists(latest) && long.TryParse(SafeRead(latest), out var step) && step >= 3000)
                {
                    child.Kill(entireProcessTree: true);
                    killedAfter = step;
                    break;
                }
                Thread.Sleep(5);
            }
            child.WaitForExit();
        }
        var rowsAtKill = File.ReadAllLines(Path.Combine(killedDir, CsvWriter.DefaultFileName)).Length;
        Assert.True(rowsAtKill > 1);
        Assert.False(File.Exists(Path.Combine(killedDir, Experiments.Experiment.ResultFileName)));

        using (var resumed = Experiments.Experiment.FromDirectory(killedDir, restorePolicy: false).Resume())
            Assert.Equal(20_000, resumed.Summary.EnvSteps);

        Assert.Equal(Rows(_dir.Combine("straight")), Rows(killedDir));
        var a = SafeTensors.Load(Path.Combine(_dir.Combine("straight"), "policy_final.safetensors")).Tensors;
        var b = SafeTensors.Load(Path.Combine(killedDir, "policy_final.safetensors")).Tensors;
        foreach (var key in a.Keys) Assert.Equal(a[key].ToArray(), b[key].ToArray());
        Assert.True(killedAfter < 20_000);
    }

    private static string SafeRead(string path)
    {
        try { return File.ReadAllText(path); }
        catch (IOException) { return ""; }
    }

    /// <summary>progress.csv without the wall-clock column; checks there are no duplicate or missing (out of order) steps.</summary>
    private static List<string> Rows(string dir)
    {
        var lines = File.ReadAllLines(Path.Combine(dir, CsvWriter.DefaultFileName));
        var skip = Array.IndexOf(lines[0].Split(','), "train/steps_per_second");
        var rows = lines.Select(l => string.Join(",", l.Split(',').Where((_, i) => i != skip))).ToList();
        var steps = rows.Skip(1).Select(r => long.Parse(r.Split(',')[0])).ToList();
        Assert.Equal(steps.Distinct().Order().ToList(), steps);
        return rows;
    }
}
