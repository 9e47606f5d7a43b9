namespace RlExperiments.Agents.Training;

/// <summary>What the on-policy trainer needs to know to collect a rollout and compute its advantages.</summary>
/// <param name="NumSteps">Steps per environment per rollout (<c>n_steps</c>).</param>
/// <param name="Gamma">Discount factor γ.</param>
/// <param name="GaeLambda">GAE λ.</param>
/// <param name="NormalizeRewards">Whether rewards are scaled by the running std of discounted returns (VecNormalize's <c>norm_reward</c>).</param>
/// <param name="RewardClip">Clip bound of scaled rewards (VecNormalize's <c>clip_reward</c>).</param>
public sealed record OnPolicyRolloutSettings(int NumSteps, double Gamma, double GaeLambda, bool NormalizeRewards = false, double RewardClip = 10.0);
