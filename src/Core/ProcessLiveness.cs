namespace RlExperiments.Core;

/// <summary>What <see cref="ProcessIdentity.Check"/> can say about a recorded process.</summary>
public enum ProcessLiveness
{
    /// <summary>The recorded process still runs (exact: same pid, same start time read the same way, same boot).</summary>
    Alive,

    /// <summary>The recorded process no longer runs: no process has its pid, or the pid now belongs to a later process, or the machine rebooted.</summary>
    Gone,

    /// <summary>It cannot be told exactly (another machine, or a platform without <c>/proc</c> where the pid exists): treat it as alive.</summary>
    Unknown,
}
