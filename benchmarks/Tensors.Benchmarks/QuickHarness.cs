using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.Intrinsics;
using System.Text;

namespace RlExperiments.Tensors.Benchmarks;

/// <summary>
/// One case of the <c>--quick</c> harness. <paramref name="Name"/> matches the case names of
/// <c>benchmarks/tensors_torch_reference.py</c> where there is a PyTorch counterpart, so the JSON lines pair up.
/// </summary>
/// <param name="Name">Case name printed as "case".</param>
/// <param name="Op">One operation; it must not allocate in steady state (allocations are reported per op).</param>
/// <param name="Flops">Floating-point operations per call, or 0 to omit "gflops".</param>
/// <param name="Warmup">Minimum warm-up calls (the harness also warms up for at least <see cref="QuickHarness.MinWarmup"/>).</param>
/// <param name="Reps">Timed calls; the median is reported (the Python script uses reps // 4 for its heavy cases).</param>
/// <param name="Threads">GEMM threads for this case (<see cref="GemmThreading.ThreadCount"/>), or null for the process setting.</param>
public sealed record QuickCase(string Name, Action Op, double Flops = 0, int Warmup = 50, int Reps = 200, int? Threads = null);

/// <summary>
/// Stopwatch harness mirroring the PyTorch scripts' <c>timeit</c>: warm up (at least the case's warm-up calls, and until
/// the JIT is quiet), time each call separately, report the median.
/// Prints one JSON object per case: {"case", "median_us", ["gflops"], "alloc_bytes_per_op", ...}.
/// </summary>
public static class QuickHarness
{
    /// <summary>Warm-up runs for at least this long.</summary>
    public static readonly TimeSpan MinWarmup = TimeSpan.FromMilliseconds(400);

    /// <summary>
    /// ... and until the JIT has compiled nothing for this long, so tiered compilation (tier 0 → instrumented →
    /// tier 1, done on a background thread that a loaded machine starves) has settled before timing starts.
    /// </summary>
    public static readonly TimeSpan JitQuiet = TimeSpan.FromMilliseconds(300);

    /// <summary>Warm-up gives up waiting for the JIT after this long.</summary>
    public static readonly TimeSpan MaxWarmup = TimeSpan.FromSeconds(5);

    /// <summary>Runs the cases whose name contains one of <paramref name="filters"/> (all when empty) and prints their JSON lines.</summary>
    public static void Run(IEnumerable<QuickCase> cases, IReadOnlyList<string> filters, TextWriter output)
    {
        foreach (QuickCase c in cases)
        {
            if (filters.Count > 0 && !filters.Any(f => c.Name.Contains(f, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            output.WriteLine(Measure(c));
            output.Flush();
        }
    }

    /// <summary>Measures one case and formats its JSON line.</summary>
    public static string Measure(QuickCase c)
    {
        int processThreads = GemmThreading.ThreadCount;
        if (c.Threads is { } t)
        {
            GemmThreading.ThreadCount = t;
        }

        try
        {
            return MeasureWithCurrentSettings(c);
        }
        finally
        {
            GemmThreading.ThreadCount = processThreads;
        }
    }

    private static string MeasureWithCurrentSettings(QuickCase c)
    {
        Action op = c.Op;
        Warmup(op, c.Warmup);

        var samples = new double[c.Reps];
        long workerSlicesBefore = Kernels.GemmWorkers.WorkerSlices;
        long allocBefore = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < samples.Length; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            op();
            samples[i] = Stopwatch.GetTimestamp() - t0;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocBefore;
        long workerSlices = Kernels.GemmWorkers.WorkerSlices - workerSlicesBefore;
        Array.Sort(samples);
        double medianTicks = samples.Length % 2 == 1
            ? samples[samples.Length / 2]
            : 0.5 * (samples[samples.Length / 2 - 1] + samples[samples.Length / 2]);
        double medianUs = medianTicks * 1e6 / Stopwatch.Frequency;

        var sb = new StringBuilder();
        double minUs = samples[0] * 1e6 / Stopwatch.Frequency;
        sb.Append(CultureInfo.InvariantCulture, $"{{\"case\": \"{c.Name}\", \"median_us\": {medianUs:0.###}");
        if (c.Flops > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $", \"gflops\": {c.Flops / medianUs / 1e3:0.###}");
        }

        // The fastest call: robust to other load on a shared machine, so useful to compare builds of the same code.
        sb.Append(CultureInfo.InvariantCulture, $", \"min_us\": {minUs:0.###}");
        sb.Append(CultureInfo.InvariantCulture, $", \"alloc_bytes_per_op\": {(double)allocated / c.Reps:0.###}");
        if (workerSlices > 0)
        {
            // Matrix-product slices the GEMM worker threads computed per op (0 when they never got a core).
            sb.Append(CultureInfo.InvariantCulture, $", \"worker_slices_per_op\": {(double)workerSlices / c.Reps:0.##}");
        }
        sb.Append(CultureInfo.InvariantCulture, $", \"runtime\": \"{Environment.Version}\", \"simd\": \"{SimdWidth()}\", \"threads\": {GemmThreading.ThreadCount}}}");
        return sb.ToString();
    }

    /// <summary>Runs <paramref name="op"/> at least <paramref name="calls"/> times and until the JIT is quiet (see <see cref="JitQuiet"/>).</summary>
    public static void Warmup(Action op, int calls)
    {
        long start = Stopwatch.GetTimestamp();
        long lastChange = start;
        long compiled = JitInfo.GetCompiledMethodCount();
        for (int i = 1; ; i++)
        {
            op();
            long now = Stopwatch.GetTimestamp();
            long count = JitInfo.GetCompiledMethodCount();
            if (count != compiled)
            {
                (compiled, lastChange) = (count, now);
            }

            TimeSpan elapsed = Stopwatch.GetElapsedTime(start, now);
            bool settled = i >= calls && elapsed >= MinWarmup && Stopwatch.GetElapsedTime(lastChange, now) >= JitQuiet;
            if (settled || elapsed >= MaxWarmup)
            {
                return;
            }
        }
    }

    private static string SimdWidth() =>
        Vector512.IsHardwareAccelerated ? "Vector512" : Vector256.IsHardwareAccelerated ? "Vector256" : Vector128.IsHardwareAccelerated ? "Vector128" : "scalar";
}
