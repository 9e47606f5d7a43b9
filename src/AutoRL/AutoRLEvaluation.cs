namespace RlExperiments.AutoRL;

/// <summary>One evaluation during an AutoRL step.</summary>
/// <param name="EnvSteps">Environment steps trained when it ran (episode total).</param>
/// <param name="RewardMean">Mean return.</param>
/// <param name="RewardStd">Population standard deviation of the returns.</param>
public sealed record AutoRLEvaluation(long EnvSteps, double RewardMean, double RewardStd);
