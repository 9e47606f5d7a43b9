using System.Diagnostics;
using RlExperiments.Core;

namespace RlExperiments.Core.Tests;

public class CpuClockTests
{
    private static double Spin(TimeSpan cpu)
    {
        // Busy work until the calling thread has used at least `cpu` of processor time (by the process-wide counter,
        // which is independent of the clock under test, when only this thread works).
        var start = Process.GetCurrentProcess().TotalProcessorTime;
        double x = 1;
        while (Process.GetCurrentProcess().TotalProcessorTime - start < cpu)
            for (var i = 0; i < 100_000; i++) x = Math.Sqrt(x + i);
        return x;
    }

    [Fact]
    public void Linux_and_macOS_have_a_per_thread_clock()
    {
        CpuClock.IsPerThread.Should().Be(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS());
    }

    [Fact]
    public void ThreadTime_advances_with_the_threads_own_work_and_stays_within_the_process_total()
    {
        var before = CpuClock.ThreadTime();
        before.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(Process.GetCurrentProcess().TotalProcessorTime);
        Spin(TimeSpan.FromMilliseconds(60));
        var after = CpuClock.ThreadTime();
        (after - before).Should().BeGreaterThan(TimeSpan.FromMilliseconds(20));
        after.Should().BeLessThanOrEqualTo(Process.GetCurrentProcess().TotalProcessorTime);
    }

    [Fact]
    public void ThreadTime_does_not_count_other_threads_or_sleeping()
    {
        if (!CpuClock.IsPerThread) return; // the process-wide fallback counts every thread by design
        var before = CpuClock.ThreadTime();
        var worker = new Thread(() => Spin(TimeSpan.FromMilliseconds(150)));
        worker.Start();
        worker.Join();
        Thread.Sleep(50);
        (CpuClock.ThreadTime() - before).Should().BeLessThan(TimeSpan.FromMilliseconds(60),
            "another thread used 150 ms of CPU while this one only waited");
    }

    [Fact]
    public void ThreadTime_counts_whole_seconds_as_the_kernel_does()
    {
        if (!OperatingSystem.IsLinux()) return; // the independent reference below is Linux's /proc
        // On a fresh thread, work until the kernel's own per-thread counters (utime + stime in /proc/thread-self/stat,
        // clock ticks of 10 ms) pass 1.05 s, then compare: the clock must carry the seconds, not only the nanoseconds.
        TimeSpan kernel = default, clock = default;
        var worker = new Thread(() =>
        {
            double x = 1;
            while ((kernel = KernelThreadTime()) < TimeSpan.FromSeconds(1.05))
                for (var i = 0; i < 200_000; i++) x = Math.Sqrt(x + i);
            clock = CpuClock.ThreadTime();
            GC.KeepAlive(x);
        });
        worker.Start();
        worker.Join();
        clock.Should().BeGreaterThanOrEqualTo(kernel - TimeSpan.FromMilliseconds(50)).And.BeLessThan(kernel + TimeSpan.FromMilliseconds(500));
    }

    private static TimeSpan KernelThreadTime()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // field 3 (state) onwards
        var ticks = long.Parse(fields[14 - 3]) + long.Parse(fields[15 - 3]); // utime + stime, in USER_HZ (100 per second)
        return TimeSpan.FromMilliseconds(ticks * 10);
    }
}
