using System.Globalization;
using RlExperiments.Core;

namespace RlExperiments.Tuning;

/// <summary>
/// Optimizer session ids that name their process: <c>&lt;guid&gt;@&lt;machine&gt;:&lt;pid&gt;:&lt;process identity&gt;</c>
/// (<see cref="ProcessIdentity.Current"/>). A continued study on the same machine can then tell at once that the process
/// which left a trial running is gone (killed, crashed), instead of waiting for its heartbeat to go stale. The check is
/// exact or says nothing: a live process is never taken for a dead one (see <see cref="ProcessIdentity.Check"/>).
/// </summary>
internal static class SessionOwner
{
    /// <summary>A new session id for this process.</summary>
    public static string NewSessionId() =>
        string.Create(CultureInfo.InvariantCulture, $"{Guid.NewGuid():N}@{Environment.MachineName}:{Environment.ProcessId}:{ProcessIdentity.Current}");

    /// <summary>
    /// Whether <paramref name="sessionId"/> names a process on this machine that certainly no longer runs (no process
    /// with that pid, or, where the start time can be read exactly, a process started at another time: the pid was
    /// reused). False when the id names another machine, has no owner part, or liveness cannot be told exactly; the
    /// heartbeat decides then. Ids written by older versions (<c>...:&lt;pid&gt;:&lt;start ticks&gt;</c>) are checked by pid only.
    /// </summary>
    public static bool ProcessIsGone(string? sessionId, out string owner)
    {
        owner = "";
        var at = sessionId?.LastIndexOf('@') ?? -1;
        if (at < 0) return false;
        var parts = sessionId![(at + 1)..].Split(':', 3);
        if (parts.Length != 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            return false;
        owner = $"process {pid} on {parts[0]}";
        return ProcessIdentity.Check(parts[0], pid, parts[2]) == ProcessLiveness.Gone;
    }
}
