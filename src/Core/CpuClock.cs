using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RlExperiments.Core;

/// <summary>
/// CPU time consumed by the calling thread, for measuring the cost of work that runs on one thread while other threads
/// (parallel trials, other seeds) run in the same process: the process-wide counter would count them too.
/// </summary>
public static partial class CpuClock
{
    private const int ClockThreadCpuTimeId = 3; // CLOCK_THREAD_CPUTIME_ID on Linux and macOS.

    /// <summary>Whether <see cref="ThreadTime"/> measures the calling thread (Linux, macOS) rather than the whole process.</summary>
    public static bool IsPerThread { get; } = OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

    /// <summary>
    /// CPU time (user + system) the calling thread has used so far; where the OS offers no per-thread clock
    /// (<see cref="IsPerThread"/> false), the process's total instead. Only differences between two calls are meaningful.
    /// </summary>
    public static TimeSpan ThreadTime()
    {
        if (IsPerThread && ClockGetTime(ClockThreadCpuTimeId, out var ts) == 0)
            return TimeSpan.FromTicks(ts.Seconds * TimeSpan.TicksPerSecond + ts.Nanoseconds / 100);
        return Process.GetCurrentProcess().TotalProcessorTime;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clockId, out TimeSpec time);
}
