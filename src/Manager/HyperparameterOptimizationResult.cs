using RlExperiments.Tuning;

using RlExperiments.Experiments;

namespace RlExperiments.Manager;

/// <summary>What <see cref="ExperimentManager.OptimizeHyperparams"/> returns.</summary>
/// <param name="Study">The study: every trial, the best one, its directory.</param>
/// <param name="TunedExperiment">The manager's experiment with the best configuration applied (seed: the manager's), ready to fit; null when no trial completed.</param>
public sealed record HyperparameterOptimizationResult(StudyResult Study, Experiment? TunedExperiment);
