using System.Diagnostics;
using System.Globalization;

namespace RlExperiments.Core;

/// <summary>
/// Names a process so that another process can later tell, exactly, whether it still runs: the machine, the pid and
/// an identity that a reused pid cannot repeat. On Linux the identity is <c>linux:&lt;boot id&gt;:&lt;starttime&gt;</c>, the
/// kernel's boot id and the process's start time in clock ticks since boot (<c>/proc/&lt;pid&gt;/stat</c>, field 22), an
/// integer the kernel stores once, so reading it from any process gives the same value. (The start time as a
/// <see cref="DateTime"/>, <see cref="Process.StartTime"/>, is derived from the current time and the uptime and differs
/// between reads by milliseconds, so it cannot be compared for equality.) Elsewhere the identity is <c>pid</c>, and only a
/// pid that no longer exists counts as gone.
/// </summary>
public static class ProcessIdentity
{
    private const string LinuxPrefix = "linux:";
    private const string PidOnly = "pid";

    /// <summary>This process's identity (see the class remarks).</summary>
    public static string Current { get; } = Of(Environment.ProcessId) ?? PidOnly;

    /// <summary>
    /// Whether the process <paramref name="pid"/> on <paramref name="machine"/>, recorded with <paramref name="identity"/>
    /// (a <see cref="Current"/> value), still runs. <see cref="ProcessLiveness.Gone"/> only when that is certain.
    /// </summary>
    public static ProcessLiveness Check(string machine, int pid, string identity)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(identity);
        if (!string.Equals(machine, Environment.MachineName, StringComparison.Ordinal)) return ProcessLiveness.Unknown;
        if (pid <= 0) return ProcessLiveness.Unknown;
        if (identity.StartsWith(LinuxPrefix, StringComparison.Ordinal) && OperatingSystem.IsLinux() && Directory.Exists("/proc/self"))
        {
            var now = Of(pid);
            if (now is null) return Directory.Exists($"/proc/{pid}") ? ProcessLiveness.Unknown : ProcessLiveness.Gone;
            return string.Equals(now, identity, StringComparison.Ordinal) ? ProcessLiveness.Alive : ProcessLiveness.Gone;
        }
        // No exact start time: only a pid that does not exist at all is certain.
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? ProcessLiveness.Gone : ProcessLiveness.Unknown;
        }
        catch (ArgumentException)
        {
            return ProcessLiveness.Gone; // no process with that pid
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return ProcessLiveness.Unknown;
        }
    }

    /// <summary>The Linux identity of <paramref name="pid"/>, or null when it has no <c>/proc</c> entry (gone, or not Linux).</summary>
    private static string? Of(int pid)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            var boot = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so count fields after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            const int startTimeField = 22 - 3; // field 22 (1-based), counted from field 3 (state)
            if (fields.Length <= startTimeField || !ulong.TryParse(fields[startTimeField], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
                return null;
            return string.Create(CultureInfo.InvariantCulture, $"{LinuxPrefix}{boot}:{start}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
