using System.Diagnostics;
using System.Globalization;
using RlExperiments.Environments.Vector;

namespace RlExperiments.Environments.Benchmarks;

/// <summary>
/// <c>--quick</c>: a Stopwatch loop per case (about a second each after warm-up) printing one JSON line:
/// <c>{"case":..., "steps_per_s":..., "alloc_bytes_per_step":...}</c>, per environment step, with allocation
/// counted process-wide by <see cref="GC.GetTotalAllocatedBytes(bool)"/> (worker threads included). An extra
/// field, <c>steps_per_cpu_s</c>, divides by the process's CPU time instead of wall time, which is steadier on
/// a shared machine for the single-threaded cases (for parallel ones it also counts spinning workers).
/// </summary>
public static class QuickRunner
{
    public static void Run(TimeSpan measure, string? filter = null)
    {
        Func<StepCase>[] cases =
        [
            () => StepCase.Single("CartPole-v1"),
            () => StepCase.Single("Pendulum-v1"),
            () => StepCase.Single("Acrobot-v1"),
            () => StepCase.Single("MountainCar-v0"),
            () => StepCase.Single("MountainCarContinuous-v0"),
            () => StepCase.Vector("CartPole-v1", 8, VectorMode.Sequential),
            () => StepCase.Vector("CartPole-v1", 8, VectorMode.Parallel),
            () => StepCase.Vector("Acrobot-v1", 8, VectorMode.Sequential),
            () => StepCase.Vector("Acrobot-v1", 8, VectorMode.Parallel),
            () => StepCase.Busy(2, 8, VectorMode.Sequential),
            () => StepCase.Busy(2, 8, VectorMode.Parallel),
            () => StepCase.Busy(20, 8, VectorMode.Sequential),
            () => StepCase.Busy(20, 8, VectorMode.Parallel),
        ];
        foreach (var make in cases)
        {
            using var c = make();
            if (filter is not null && !c.Name.Contains(filter, StringComparison.OrdinalIgnoreCase))
                continue;
            var batch = Math.Max(1, 20_000 / c.EnvStepsPerIteration);
            var warm = Stopwatch.StartNew();
            while (warm.Elapsed < TimeSpan.FromMilliseconds(300))
                c.Iterate(batch);

            long iterations = 0;
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var allocBefore = GC.GetTotalAllocatedBytes(precise: true);
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed < measure)
            {
                c.Iterate(batch);
                iterations += batch;
            }
            sw.Stop();
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocBefore;
            process.Refresh();
            var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
            var envSteps = (double)iterations * c.EnvStepsPerIteration;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"case\":\"{c.Name}\",\"steps_per_s\":{envSteps / sw.Elapsed.TotalSeconds:F0},\"alloc_bytes_per_step\":{allocated / envSteps:G4},\"steps_per_cpu_s\":{envSteps / cpu:F0}}}"));
        }
    }
}
