using System.Globalization;
using RlExperiments.Agents;
using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Environments.Spaces;
using RlExperiments.Factories.Models;
using RlExperiments.Tuning;
using RlExperiments.Experiments.Algorithms.Sac;

namespace RlExperiments.Experiments.Algorithms.Dqn;

/// <summary>Deep Q-learning (<see cref="DqnAgent"/>): its params (the algorithm) and its Q-network factory (the network).</summary>
public sealed record DQNAlgorithmFactory : OffPolicyAlgorithmFactory
{
    /// <summary>DQN's hyperparameters. Default: Stable-Baselines3's DQN defaults (ε 1 → 0.05, target network every 10,000 steps, 1,000,000-transition buffer).</summary>
    public DqnParams Params { get; init; } = new();

    /// <summary>
    /// Creates the Q-network: the one place DQN's network is described. Default: a <see cref="QNetworkFactoryDefault"/>,
    /// Stable-Baselines3's [64, 64] ReLU MLP.
    /// </summary>
    public QNetworkFactory ModelFactory { get; init; } = new QNetworkFactoryDefault();

    /// <inheritdoc />
    public override string AlgorithmName => DqnModule.AlgorithmName;

    /// <inheritdoc />
    public override Type AgentType => typeof(DqnAgent);

    /// <inheritdoc />
    public override (int NumEpochs, int EpochNumSteps) DefaultSchedule => (10, 10_000);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        RequireParams(Params, nameof(DqnParams));
        ValidateParams(nameof(DqnParams), Params.Validate);
        ValidateModel(ModelFactory, nameof(ModelFactory), "a QNetworkFactory");
    }

    /// <inheritdoc />
    public override AlgorithmFactory WithConfiguration(Configuration configuration, Configuration? nas = null) =>
        (this with { Params = DqnConfigurationMapping.ToParams(configuration, Params) }).WithNas(nas, new DqnModule().NasSpace());

    /// <inheritdoc />
    public override AlgorithmFactory FoldSampling(SamplingConfig sampling, int numTrainEnvs) => this with { Params = EffectiveParams(sampling, numTrainEnvs) };

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> StructuralHyperparameters(SamplingConfig sampling, int numTrainEnvs) =>
        new Dictionary<string, string> { ["buffer_size"] = EffectiveParams(sampling, numTrainEnvs).BufferSize.ToString(CultureInfo.InvariantCulture) };

    /// <summary>The params with the sampling overrides applied.</summary>
    public DqnParams EffectiveParams(SamplingConfig sampling, int numTrainEnvs)
    {
        var p = Params;
        var s = ApplySampling(sampling, numTrainEnvs, new OffPolicySchedule(p.BatchSize, p.BufferSize, p.LearningStarts, p.TrainFreq, p.GradientSteps));
        return p with { BatchSize = s.BatchSize, BufferSize = s.BufferSize, LearningStarts = s.LearningStarts, TrainFreq = s.TrainFreq, GradientSteps = s.GradientSteps };
    }

    /// <inheritdoc />
    public override void CheckSpaces(Space observationSpace, Space actionSpace, string envId)
    {
        if (actionSpace is not Discrete)
            throw new ArgumentException($"DQN needs a Discrete action space, but {envId} has {actionSpace}; use SAC (SACExperimentBuilder) or PPO for continuous actions.", "envFactory");
        if (observationSpace is not Box)
            throw new ArgumentException($"DQN needs a Box observation space, but {envId} has {observationSpace}.", "envFactory");
    }

    /// <inheritdoc />
    public override void ValidateEffective(SamplingConfig sampling, ResolvedSampling resolved, bool train)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var p = EffectiveParams(sampling, resolved.NumTrainEnvs);
        ValidateParams(nameof(DqnParams), p.Validate);
        CheckBudget(nameof(DqnParams), new OffPolicySchedule(p.BatchSize, p.BufferSize, p.LearningStarts, p.TrainFreq, p.GradientSteps), resolved, train);
    }

    /// <inheritdoc />
    public override IAgent CreateAgent(Space observationSpace, Space actionSpace, SamplingConfig sampling, ResolvedSampling resolved, int seed)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var factory = ModelFactory;
        return new DqnAgent(observationSpace, actionSpace, EffectiveParams(sampling, resolved.NumTrainEnvs), seed, resolved.NumTrainEnvs,
            rng => factory.Create(observationSpace, actionSpace, rng), OptimizerDelegate);
    }
}
