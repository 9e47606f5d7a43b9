namespace RlExperiments.Agents.Training;

/// <summary>
/// What one on-policy update did, in terms every on-policy algorithm shares (PG, A2C, NPG, TRPO, PPO, ...). Each
/// algorithm keeps its own detailed statistics and writes them itself (<see cref="IOnPolicyAlgorithm.WriteMetrics"/>).
/// </summary>
/// <param name="Loss">The mean total loss over the update's gradient steps (0 when none was applied).</param>
/// <param name="GradNorm">The mean gradient norm before clipping (0 when no gradient step was applied).</param>
/// <param name="GradientSteps">Gradient steps applied in this update.</param>
public readonly record struct OnPolicyUpdateStats(double Loss, double GradNorm, int GradientSteps);
