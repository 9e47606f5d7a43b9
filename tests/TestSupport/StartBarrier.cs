using System.Diagnostics;

namespace RlExperiments.Testing;

/// <summary>
/// Releases child processes at one moment: each child writes <c>&lt;barrier&gt;.ready-&lt;pid&gt;</c> when it is ready and
/// then waits for the file <c>&lt;barrier&gt;</c>; the test waits for every ready file before creating it, so a slow
/// start-up on a loaded machine cannot turn "released together" into "one after the other".
/// </summary>
internal static class StartBarrier
{
    /// <summary>Waits until <paramref name="children"/> children are ready at <paramref name="barrier"/>, then releases them.</summary>
    /// <exception cref="TimeoutException">They were not all ready within two minutes.</exception>
    public static void Release(string barrier, int children)
    {
        WaitReady(barrier, children);
        File.WriteAllText(barrier, "");
    }

    /// <summary>Waits until <paramref name="children"/> children are ready at <paramref name="barrier"/> (without releasing them).</summary>
    /// <exception cref="TimeoutException">They were not all ready within two minutes.</exception>
    public static void WaitReady(string barrier, int children)
    {
        var directory = Path.GetDirectoryName(barrier)!;
        var pattern = Path.GetFileName(barrier) + ".ready-*";
        var clock = Stopwatch.StartNew();
        while (Directory.GetFiles(directory, pattern).Length < children)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(2))
                throw new TimeoutException($"only {Directory.GetFiles(directory, pattern).Length} of {children} children were ready at the barrier '{barrier}' within 2 min");
            Thread.Sleep(5);
        }
    }

    /// <summary>In a child: says it is ready, then waits until the barrier file exists ("-" = no barrier).</summary>
    /// <exception cref="TimeoutException">The barrier did not appear within two minutes.</exception>
    public static void Wait(string barrier)
    {
        if (barrier == "-") return;
        File.WriteAllText($"{barrier}.ready-{Environment.ProcessId}", "");
        var clock = Stopwatch.StartNew();
        while (!File.Exists(barrier))
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException($"the barrier file '{barrier}' did not appear within 2 min");
            Thread.Sleep(1);
        }
    }
}
