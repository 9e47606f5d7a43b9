namespace RlExperiments.Agents.Algorithms.A2c;

/// <summary>What one A2C update did, averaged over its gradient steps (Stable-Baselines3's logged values); see <see cref="A2cAgent.LastUpdate"/>.</summary>
/// <param name="PolicyLoss">Mean <c>L^PG = −mean(log π·A)</c>.</param>
/// <param name="ValueLoss">Mean <c>L^V = mean((R − V)²)</c>.</param>
/// <param name="Entropy">Mean policy entropy H.</param>
/// <param name="GradNorm">Mean gradient norm before clipping.</param>
/// <param name="LearningRate">The learning rate used.</param>
/// <param name="GradientSteps">Gradient steps applied in this update.</param>
/// <param name="Loss">Mean total loss <c>L^PG + c_vf·L^V − c_ent·H</c>.</param>
public readonly record struct A2cUpdateStats(double PolicyLoss, double ValueLoss, double Entropy, double GradNorm, double LearningRate, int GradientSteps, double Loss);
