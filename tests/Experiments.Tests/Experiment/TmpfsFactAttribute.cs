using System.Diagnostics;
using Xunit;

namespace RlExperiments.Experiments.Tests.Experiment;

/// <summary>
/// A fact that needs a small real file system: it runs its child inside <c>unshare -r -m</c> (a user and mount namespace,
/// no root needed) and mounts a tmpfs there. Skipped, with the reason, where that is not possible.
/// </summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Problem = new(Probe);

    public TmpfsFactAttribute()
    {
        if (Problem.Value is { } problem) Skip = problem;
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux()) return "a tmpfs in a user namespace needs Linux";
        if (!File.Exists("/usr/bin/unshare")) return "/usr/bin/unshare is not installed (util-linux)";
        try
        {
            var start = new ProcessStartInfo("/usr/bin/unshare") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { "-r", "-m", "sh", "-c", "d=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs \"$d\"" }) start.ArgumentList.Add(a);
            using var p = Process.Start(start)!;
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? null : $"mounting a tmpfs in a user namespace is not allowed here (unshare -r -m: {err.Trim()})";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            return $"unshare could not be started: {e.Message}";
        }
    }
}
