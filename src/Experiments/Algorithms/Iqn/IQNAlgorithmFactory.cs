using System.Globalization;
using RlExperiments.Agents;
using RlExperiments.Agents.Algorithms.Iqn;
using RlExperiments.Environments.Spaces;
using RlExperiments.Factories.Models;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Iqn;

/// <summary>Implicit quantile networks (<see cref="IqnAgent"/>) with an optional preprocess-network factory.</summary>
public sealed record IQNAlgorithmFactory : OffPolicyAlgorithmFactory
{
    /// <summary>IQN's hyperparameters. Default: Tianshou's quantile settings with Stable-Baselines3's DQN schedule (see <see cref="IqnParams"/>).</summary>
    public IqnParams Params { get; init; } = new();

    /// <summary>Creates the preprocess network ψ. Default: null, meaning the MLP of <see cref="IqnParams.HiddenSizes"/> and <see cref="IqnParams.Activation"/>.</summary>
    public PreprocessNetworkFactory? PreprocessNetworkFactory { get; init; }

    /// <inheritdoc />
    public override string AlgorithmName => IqnModule.AlgorithmName;

    /// <inheritdoc />
    public override Type AgentType => typeof(IqnAgent);

    /// <inheritdoc />
    public override (int NumEpochs, int EpochNumSteps) DefaultSchedule => (10, 10_000);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        RequireParams(Params, nameof(IqnParams));
        ValidateParams(nameof(IqnParams), Params.Validate);
        PreprocessNetworkFactory?.Validate();
    }

    /// <inheritdoc />
    public override AlgorithmFactory WithConfiguration(Configuration configuration, Configuration? nas = null) =>
        this with { Params = IqnConfigurationMapping.ToParams(configuration, Params, nas) };

    /// <inheritdoc />
    public override AlgorithmFactory ToParamsOnly(SamplingConfig sampling, int numTrainEnvs) => PreprocessNetworkFactory switch
    {
        null => this with { Params = EffectiveParams(sampling, numTrainEnvs) },
        PreprocessNetworkFactoryDefault f => this with
        {
            Params = EffectiveParams(sampling, numTrainEnvs) with { HiddenSizes = f.HiddenSizes, Activation = f.Activation },
            PreprocessNetworkFactory = null,
        },
        _ => throw new NotSupportedException(
            $"IQN's preprocess network factory {PreprocessNetworkFactory.GetType().Name} cannot be described by IqnParams (HiddenSizes, Activation); allowed: none or a PreprocessNetworkFactoryDefault."),
    };

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> StructuralHyperparameters(SamplingConfig sampling, int numTrainEnvs) =>
        new Dictionary<string, string> { ["buffer_size"] = EffectiveParams(sampling, numTrainEnvs).BufferSize.ToString(CultureInfo.InvariantCulture) };

    /// <summary>The params with the sampling overrides applied.</summary>
    public IqnParams EffectiveParams(SamplingConfig sampling, int numTrainEnvs)
    {
        var p = Params;
        var s = ApplySampling(sampling, numTrainEnvs, new OffPolicySchedule(p.BatchSize, p.BufferSize, p.LearningStarts, p.TrainFreq, p.GradientSteps));
        return p with { BatchSize = s.BatchSize, BufferSize = s.BufferSize, LearningStarts = s.LearningStarts, TrainFreq = s.TrainFreq, GradientSteps = s.GradientSteps };
    }

    /// <inheritdoc />
    public override void CheckSpaces(Space observationSpace, Space actionSpace, string envId)
    {
        if (actionSpace is not Discrete)
            throw new ArgumentException($"IQN needs a Discrete action space, but {envId} has {actionSpace}; use SAC (SACExperimentBuilder) or TD3 for continuous actions.", "envFactory");
        if (observationSpace is not Box)
            throw new ArgumentException($"IQN needs a Box observation space, but {envId} has {observationSpace}.", "envFactory");
    }

    /// <inheritdoc />
    public override void ValidateEffective(SamplingConfig sampling, ResolvedSampling resolved, bool train)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var p = EffectiveParams(sampling, resolved.NumTrainEnvs);
        ValidateParams(nameof(IqnParams), p.Validate);
        CheckBudget(nameof(IqnParams), new OffPolicySchedule(p.BatchSize, p.BufferSize, p.LearningStarts, p.TrainFreq, p.GradientSteps), resolved, train);
    }

    /// <inheritdoc />
    public override IAgent CreateAgent(Space observationSpace, Space actionSpace, SamplingConfig sampling, ResolvedSampling resolved, int seed)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var factory = PreprocessNetworkFactory;
        return new IqnAgent(observationSpace, actionSpace, EffectiveParams(sampling, resolved.NumTrainEnvs), seed, resolved.NumTrainEnvs,
            factory is null ? null : rng => factory.Create(observationSpace, rng), OptimizerDelegate);
    }
}
