namespace RlExperiments.AutoRL;

/// <summary>
/// Sign convention of the objectives an <see cref="AutoRLEnv"/> returns (ARLBench's <c>optimize_objectives</c>).
/// </summary>
public enum ObjectiveOrientation
{
    /// <summary>Raw values: returns as returns, seconds as seconds; each objective keeps its natural direction.</summary>
    Natural,
    /// <summary>Every objective is to be maximised: those whose natural direction is "lower" (std, time, emissions) are negated (ARLBench's "upper").</summary>
    Upper,
    /// <summary>Every objective is to be minimised: reward_mean is negated (ARLBench's "lower").</summary>
    Lower,
}
