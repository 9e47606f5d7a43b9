namespace RlExperiments.Agents.Algorithms.Pg;

/// <summary>What one REINFORCE update did, averaged over its gradient steps; see <see cref="PgAgent.LastUpdate"/>.</summary>
/// <param name="PolicyLoss">Mean loss <c>−mean(log π(a|s)·Ĝ)</c>.</param>
/// <param name="Entropy">Mean policy entropy (logged, not optimised).</param>
/// <param name="GradNorm">Mean gradient norm before clipping.</param>
/// <param name="LearningRate">The learning rate used.</param>
/// <param name="ReturnMean">Mean of the collect's raw Monte-Carlo returns.</param>
/// <param name="GradientSteps">Gradient steps applied in this update.</param>
public readonly record struct PgUpdateStats(double PolicyLoss, double Entropy, double GradNorm, double LearningRate, double ReturnMean, int GradientSteps);
