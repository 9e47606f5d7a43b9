namespace RlExperiments.Agents.Algorithms.Redq;

/// <summary>How REDQ aggregates the random subset of target critics (Tianshou's <c>target_mode</c>).</summary>
public enum RedqTargetMode
{
    /// <summary>The minimum over the subset (Tianshou's "min", the REDQ paper's in-target minimisation).</summary>
    Min,

    /// <summary>The mean over the subset (Tianshou's "mean").</summary>
    Mean,
}
