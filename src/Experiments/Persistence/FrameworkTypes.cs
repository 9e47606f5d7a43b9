using RlExperiments.Experiments.Algorithms;
using RlExperiments.Experiments.Callbacks;
using RlExperiments.Factories;
using RlExperiments.Factories.Models;
using RlExperiments.Factories.Logging;
using RlExperiments.Factories.Optim;

namespace RlExperiments.Experiments.Persistence;

/// <summary>
/// The framework's own types that saved files may name, with their stable names. Every serialisable concrete
/// factory, config and params record of the framework belongs here; the names are part of the file format.
/// </summary>
public static class FrameworkTypes
{
    /// <summary>All framework types and their names.</summary>
    public static IReadOnlyList<(Type Type, string Name)> All { get; } =
    [
        // Environments
        (typeof(EnvFactory), nameof(EnvFactory)),
        // Metrics loggers
        (typeof(TensorBoardLoggerFactory), nameof(TensorBoardLoggerFactory)),
        (typeof(CsvLoggerFactory), nameof(CsvLoggerFactory)),
        (typeof(ConsoleLoggerFactory), nameof(ConsoleLoggerFactory)),
        (typeof(CompositeLoggerFactory), nameof(CompositeLoggerFactory)),
        (typeof(NoneLoggerFactory), nameof(NoneLoggerFactory)),
        // Optimisers and learning-rate schedules
        (typeof(AdamOptimizerFactory), nameof(AdamOptimizerFactory)),
        (typeof(AdamWOptimizerFactory), nameof(AdamWOptimizerFactory)),
        (typeof(SgdOptimizerFactory), nameof(SgdOptimizerFactory)),
        (typeof(RmsPropOptimizerFactory), nameof(RmsPropOptimizerFactory)),
        (typeof(ConstantLrSchedulerFactory), nameof(ConstantLrSchedulerFactory)),
        (typeof(LinearLrSchedulerFactory), nameof(LinearLrSchedulerFactory)),
        // Models
        (typeof(QNetworkFactoryDefault), nameof(QNetworkFactoryDefault)),
        (typeof(ActorFactoryDefault), nameof(ActorFactoryDefault)),
        (typeof(TanhGaussianActorFactoryDefault), nameof(TanhGaussianActorFactoryDefault)),
        (typeof(CriticFactoryDefault), nameof(CriticFactoryDefault)),
        // Algorithms (their params records are sealed and never need a type tag)
        (typeof(DQNAlgorithmFactory), nameof(DQNAlgorithmFactory)),
        (typeof(PPOAlgorithmFactory), nameof(PPOAlgorithmFactory)),
        (typeof(SACAlgorithmFactory), nameof(SACAlgorithmFactory)),
        // Experiments
        (typeof(ExperimentDefinition), nameof(ExperimentDefinition)),
        (typeof(ExperimentConfig), nameof(ExperimentConfig)),
        (typeof(SamplingConfig), nameof(SamplingConfig)),
        (typeof(RunSummary), nameof(RunSummary)),
        // Callbacks
        (typeof(EpochStopCallbackRewardThreshold), nameof(EpochStopCallbackRewardThreshold)),
        (typeof(EpochTrainCallbackDQNSetEps), nameof(EpochTrainCallbackDQNSetEps)),
        (typeof(EpochTrainCallbackDQNEpsLinearDecay), nameof(EpochTrainCallbackDQNEpsLinearDecay)),
        (typeof(EpochTestCallbackDQNSetEps), nameof(EpochTestCallbackDQNSetEps)),
    ];
}
