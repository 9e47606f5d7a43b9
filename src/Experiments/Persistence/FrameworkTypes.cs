using RlExperiments.Experiments.Callbacks;
using RlExperiments.Factories;
using RlExperiments.Factories.Models;
using RlExperiments.Factories.Logging;
using RlExperiments.Factories.Optim;
using RlExperiments.Experiments.Algorithms;

namespace RlExperiments.Experiments.Persistence;

/// <summary>
/// The framework's own shared types that saved files may name, with their stable names: every serialisable concrete
/// factory, config and callback record outside the algorithm modules; the names are part of the file format. Each
/// algorithm's own types come from its module (<see cref="Algorithms.AlgorithmModule.PersistedTypes"/>), through the
/// <see cref="Algorithms.AlgorithmRegistry"/> a <see cref="TypeAllowList"/> is built on.
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
        (typeof(StepCallbackEval), nameof(StepCallbackEval)),
    ];
}
