using System.Diagnostics;
using System.Globalization;

namespace RlExperiments.Tuning;

/// <summary>
/// Optimizer session ids that name their process: <c>&lt;guid&gt;@&lt;machine&gt;:&lt;pid&gt;:&lt;process start ticks&gt;</c>.
/// A continued study on the same machine can then tell at once that the process which left a trial running is gone
/// (killed, crashed), instead of waiting for its heartbeat to go stale.
/// </summary>
internal static class SessionOwner
{
    /// <summary>A new session id for this process.</summary>
    public static string NewSessionId()
    {
        using var self = Process.GetCurrentProcess();
        return string.Create(CultureInfo.InvariantCulture,
            $"{Guid.NewGuid():N}@{Environment.MachineName}:{Environment.ProcessId}:{self.StartTime.ToUniversalTime().Ticks}");
    }

    /// <summary>
    /// Whether <paramref name="sessionId"/> names a process on this machine that no longer runs (no process with that id,
    /// or one started at another time: the id was reused). False when the id names another machine, has no owner part,
    /// or the process cannot be inspected.
    /// </summary>
    public static bool ProcessIsGone(string? sessionId, out string owner)
    {
        owner = "";
        var at = sessionId?.LastIndexOf('@') ?? -1;
        if (at < 0) return false;
        var parts = sessionId![(at + 1)..].Split(':');
        if (parts.Length != 3 || parts[0] != Environment.MachineName
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var startTicks))
            return false;
        owner = $"process {pid} on {parts[0]}";
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited || process.StartTime.ToUniversalTime().Ticks != startTicks;
        }
        catch (ArgumentException)
        {
            return true; // no such process
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return false; // cannot inspect it: rely on the heartbeat
        }
    }
}
