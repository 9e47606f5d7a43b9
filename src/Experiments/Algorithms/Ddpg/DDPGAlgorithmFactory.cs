using System.Globalization;
using RlExperiments.Agents;
using RlExperiments.Agents.Algorithms.Ddpg;
using RlExperiments.Agents.Networks;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Factories.Models;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Ddpg;

/// <summary>Deep deterministic policy gradient (<see cref="DdpgAgent"/>) with optional actor and critic factories.</summary>
public sealed record DDPGAlgorithmFactory : OffPolicyAlgorithmFactory
{
    /// <summary>DDPG's hyperparameters. Default: Stable-Baselines3's DDPG defaults.</summary>
    public DdpgParams Params { get; init; } = new();

    /// <summary>
    /// Creates the actor's network <c>[B, obs]</c> → <c>[B, actions]</c>, which the agent squashes with tanh. Default: null,
    /// meaning an MLP described by <see cref="DdpgParams.HiddenSizes"/> and <see cref="DdpgParams.Activation"/>.
    /// </summary>
    public ActorFactory? ActorFactory { get; init; }

    /// <summary>Creates the critic Q(s, a). Default: null, meaning an MLP described by the params.</summary>
    public CriticFactory? CriticFactory { get; init; }

    /// <inheritdoc />
    public override string AlgorithmName => DdpgModule.AlgorithmName;

    /// <inheritdoc />
    public override Type AgentType => typeof(DdpgAgent);

    /// <inheritdoc />
    public override (int NumEpochs, int EpochNumSteps) DefaultSchedule => (10, 5_000);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        RequireParams(Params, nameof(DdpgParams));
        ValidateParams(nameof(DdpgParams), Params.Validate);
        ActorFactory?.Validate();
        CriticFactory?.Validate();
    }

    /// <inheritdoc />
    public override AlgorithmFactory WithConfiguration(Configuration configuration, Configuration? nas = null) =>
        this with { Params = DdpgConfigurationMapping.ToParams(configuration, Params, nas) };

    /// <inheritdoc />
    public override AlgorithmFactory ToParamsOnly(SamplingConfig sampling, int numTrainEnvs) =>
        ActorFactory is null && CriticFactory is null
            ? this with { Params = EffectiveParams(sampling, numTrainEnvs) }
            : throw new NotSupportedException(
                "DDPG's actor/critic factories cannot be described by DdpgParams (HiddenSizes, Activation); allowed: no model factories.");

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> StructuralHyperparameters(SamplingConfig sampling, int numTrainEnvs) =>
        new Dictionary<string, string> { ["buffer_size"] = EffectiveParams(sampling, numTrainEnvs).BufferSize.ToString(CultureInfo.InvariantCulture) };

    /// <summary>The params with the sampling overrides applied.</summary>
    public DdpgParams EffectiveParams(SamplingConfig sampling, int numTrainEnvs)
    {
        var p = Params;
        var s = ApplySampling(sampling, numTrainEnvs, new OffPolicySchedule(p.BatchSize, p.BufferSize, p.LearningStarts, p.TrainFreq, p.GradientSteps));
        return p with { BatchSize = s.BatchSize, BufferSize = s.BufferSize, LearningStarts = s.LearningStarts, TrainFreq = s.TrainFreq, GradientSteps = s.GradientSteps };
    }

    /// <inheritdoc />
    public override void CheckSpaces(Space observationSpace, Space actionSpace, string envId)
    {
        if (actionSpace is not Box box)
            throw new ArgumentException($"DDPG needs a continuous (Box) action space, but {envId} has {actionSpace}; use DQN (DQNExperimentBuilder) or PPO for discrete actions.", "envFactory");
        if (!box.IsBounded)
            throw new ArgumentException($"DDPG needs a bounded Box action space (it squashes actions with tanh), but {envId} has {actionSpace}.", "envFactory");
        if (observationSpace is not Box)
            throw new ArgumentException($"DDPG needs a Box observation space, but {envId} has {observationSpace}.", "envFactory");
    }

    /// <inheritdoc />
    public override void ValidateEffective(SamplingConfig sampling, ResolvedSampling resolved, bool train)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var p = EffectiveParams(sampling, resolved.NumTrainEnvs);
        ValidateParams(nameof(DdpgParams), p.Validate);
        CheckBudget(nameof(DdpgParams), new OffPolicySchedule(p.BatchSize, p.BufferSize, p.LearningStarts, p.TrainFreq, p.GradientSteps), resolved, train);
    }

    /// <inheritdoc />
    public override IAgent CreateAgent(Space observationSpace, Space actionSpace, SamplingConfig sampling, ResolvedSampling resolved, int seed)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentNullException.ThrowIfNull(actionSpace);
        ArgumentNullException.ThrowIfNull(resolved);
        var p = EffectiveParams(sampling, resolved.NumTrainEnvs);
        var (obs, act) = (observationSpace.FlatSize, actionSpace.FlatSize);
        var actor = ActorFactory;
        var critic = CriticFactory;
        return new DdpgAgent(observationSpace, actionSpace, p, seed, resolved.NumTrainEnvs,
            actor is null ? null : rng => new DeterministicActor(actor.Create(observationSpace, actionSpace, rng), obs, act),
            critic is null ? null : rng => new QCritic(critic.Create(observationSpace, actionSpace, useAction: true, rng), obs, act),
            OptimizerDelegate);
    }
}
