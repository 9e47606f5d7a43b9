using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RlExperiments.Tuning;

namespace RlExperiments.Storage.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/Storage.Benchmarks -- --storage postgresql://... [--quick] [--study-only] [--study-trials N] [--study-steps S]</c>
/// (the URL defaults to RLX_STORAGE, then RLX_TEST_POSTGRES). Prints one JSON line per measurement, with the load average.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        bool quick = args.Contains("--quick");
        var at = Array.IndexOf(args, "--storage");
        var url = at >= 0 ? args[at + 1] : Environment.GetEnvironmentVariable("RLX_STORAGE") ?? Environment.GetEnvironmentVariable("RLX_TEST_POSTGRES");
        if (url is null || !StudyStorageUrl.Parse(url).IsPostgres)
        {
            Console.Error.WriteLine("Pass --storage postgresql://USER:PASSWORD@HOST:PORT/DATABASE (or set RLX_STORAGE).");
            return 2;
        }
        int claims = quick ? 200 : 1000;
        // --study-trials N --study-steps S: a longer study, so that process start-up (runtime, JIT, first connection)
        // does not hide the second worker's gain; --study-only skips the claim measurements.
        int studyTrials = IntOption(args, "--study-trials") ?? (quick ? 4 : 8);
        int studySteps = IntOption(args, "--study-steps") ?? 15_000;
        if (!args.Contains("--study-only"))
            foreach (int claimers in new[] { 1, 8, 32 }) Claims(url, claimers, claims);
        foreach (int workers in new[] { 1, 2 }) Study(url, workers, studyTrials, studySteps);
        return 0;
    }

    private static int? IntOption(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : null;
    }

    /// <summary><paramref name="claimers"/> threads, each with its own storage object (its own connections, as processes have), claim and finish empty trials until the study has <paramref name="total"/>.</summary>
    private static void Claims(string url, int claimers, int total)
    {
        var study = $"bench-claims-{claimers}-{Guid.NewGuid():N}"[..40];
        using (var setup = new PostgresStudyStorage(url, study)) setup.CreateStudy(new StudyInfo(study, StudyDirection.Minimize, "empty", DateTime.UtcNow));
        var latencies = new List<double>[claimers];
        var clock = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, claimers).Select(w => new Thread(() =>
        {
            var mine = latencies[w] = new List<double>();
            using var s = new PostgresStudyStorage(url, study);
            var config = new Configuration([new("x", (double)w)]);
            while (true)
            {
                long t0 = Stopwatch.GetTimestamp();
                var trial = s.ClaimTrial(total, _ => config, $"bench-{w}", DateTime.UtcNow);
                if (trial is null) break;
                mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                s.FinishTrial(trial.Number, TrialState.Complete, 0.0, null, DateTime.UtcNow);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var seconds = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        Emit(new()
        {
            ["benchmark"] = "claim", ["claimers"] = claimers, ["trials"] = all.Length,
            ["claims_per_s"] = Round(all.Length / seconds), ["claim_plus_finish_per_s"] = Round(all.Length / seconds),
            ["latency_ms_p50"] = Round(Percentile(all, 0.50)), ["latency_ms_p95"] = Round(Percentile(all, 0.95)), ["latency_ms_p99"] = Round(Percentile(all, 0.99)),
        });
    }

    /// <summary>A small real study (DQN on CartPole-v1, <paramref name="steps"/> steps per trial, no pruner) run by <paramref name="workers"/> rlx processes.</summary>
    private static void Study(string url, int workers, int trials, int steps)
    {
        var study = $"bench-study-{workers}-{Guid.NewGuid():N}"[..40];
        var dir = Path.Combine(Path.GetTempPath(), study);
        var rlx = Path.Combine(AppContext.BaseDirectory, "rlx.dll");
        var clock = Stopwatch.StartNew();
        var processes = new List<Process> { Start(rlx, "tune", "--algo", "dqn", "--env", "CartPole-v1", "--storage", url, "--study", study,
            "--trials", trials.ToString(CultureInfo.InvariantCulture), "--steps", steps.ToString(CultureInfo.InvariantCulture), "--pruner", "none", "--sampler", "random", "--dir", dir) };
        using (var s = new PostgresStudyStorage(url, study))
            while (workers > 1 && s.GetStudy() is null) Thread.Sleep(20);
        for (int i = 1; i < workers; i++) processes.Add(Start(rlx, "worker", "--storage", url, "--study", study, "--dir", dir + "-" + i));
        foreach (var p in processes) { p.WaitForExit(); if (p.ExitCode != 0) throw new InvalidOperationException($"rlx exited with {p.ExitCode}"); }
        var seconds = clock.Elapsed.TotalSeconds;
        using var storage = new PostgresStudyStorage(url, study);
        var done = storage.GetTrials();
        var busy = done.Where(t => t.Duration is not null).Sum(t => t.Duration!.Value.TotalSeconds);
        Emit(new()
        {
            ["benchmark"] = "study", ["workers"] = workers, ["trials"] = done.Count, ["steps_per_trial"] = steps, ["wall_s"] = Round(seconds),
            ["trials_per_min"] = Round(done.Count / seconds * 60), ["mean_trial_s"] = Round(busy / done.Count),
        });
        try { Directory.Delete(dir, true); } catch (IOException) { }
    }

    private static Process Start(string dll, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        var p = Process.Start(start)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static double Percentile(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];

    private static double Round(double v) => Math.Round(v, 2);

    private static void Emit(Dictionary<string, object> row)
    {
        row["loadavg"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
        row["cores"] = Environment.ProcessorCount;
        Console.WriteLine(JsonSerializer.Serialize(row));
    }
}
