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

    /// <summary>Creates the preprocess network ψ. Default: a <see cref="PreprocessNetworkFactoryDefault"/>, Tianshou's [64, 64] ReLU MLP.</summary>
    public PreprocessNetworkFactory PreprocessNetworkFactory { get; init; } = new PreprocessNetworkFactoryDefault();

    /// <summary>Creates the quantile embedding and the head on top of ψ. Default: Tianshou's, 64 cosines and a linear head.</summary>
    public ImplicitQuantileNetworkFactory QuantileNetworkFactory { get; init; } = new();

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
        ValidateModel(PreprocessNetworkFactory, nameof(PreprocessNetworkFactory), "a PreprocessNetworkFactory");
        ValidateModel(QuantileNetworkFactory, nameof(QuantileNetworkFactory), "an ImplicitQuantileNetworkFactory");
    }

    /// <inheritdoc />
    public override AlgorithmFactory WithConfiguration(Configuration configuration, Configuration? nas = null) =>
        (this with { Params = IqnConfigurationMapping.ToParams(configuration, Params) }).WithNas(nas, new IqnModule().NasSpace());

    /// <inheritdoc />
    public override AlgorithmFactory FoldSampling(SamplingConfig sampling, int numTrainEnvs) => this with { Params = EffectiveParams(sampling, numTrainEnvs) };

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
        var (preprocess, quantiles) = (PreprocessNetworkFactory, QuantileNetworkFactory);
        var p = EffectiveParams(sampling, resolved.NumTrainEnvs);
        return new IqnAgent(observationSpace, actionSpace, p, seed, resolved.NumTrainEnvs,
            rng => quantiles.Create(preprocess.Create(observationSpace, rng), observationSpace, actionSpace, p.NumQuantiles, rng), OptimizerDelegate);
    }
}
