namespace RlExperiments.Agents.Benchmarks;

/// <summary>
/// One row of the learning-quality table: train <see cref="Algorithm"/> on <see cref="EnvId"/> for
/// <see cref="Budget"/> environment steps with the named preset, then evaluate 10 deterministic episodes.
/// </summary>
/// <param name="Name">Case name, e.g. "dqn_cartpole".</param>
/// <param name="Algorithm">Algorithm name as printed.</param>
/// <param name="EnvId">Registered environment id.</param>
/// <param name="Budget">Environment steps of training.</param>
/// <param name="Threshold">Final return a seed must reach to count as a success.</param>
/// <param name="Required">False for stretch rows.</param>
/// <param name="Run">Trains one seed and reports the outcome.</param>
public sealed record LearningCase(string Name, string Algorithm, string EnvId, long Budget, double Threshold, bool Required, Func<int, SeedOutcome> Run);

/// <summary>What one seed of a learning case produced.</summary>
/// <param name="FinalReturn">Mean return of 10 deterministic test episodes after training.</param>
/// <param name="WallSeconds">Wall time of training (evaluation excluded).</param>
/// <param name="EnvSteps">Environment steps actually taken.</param>
/// <param name="GradientSteps">Gradient updates applied.</param>
public sealed record SeedOutcome(double FinalReturn, double WallSeconds, long EnvSteps, long GradientSteps);
