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
    /// Creates the actor's network <c>[B, obs]</c> → <c>[B, actions]</c>, which the agent squashes with tanh. Default: an
    /// <see cref="ActorFactoryDefault"/> of [400, 300] ReLU layers (Stable-Baselines3's DDPG).
    /// </summary>
    public ActorFactory ActorFactory { get; init; } = new ActorFactoryDefault { HiddenSizes = [400, 300] };

    /// <summary>Creates the critic Q(s, a). Default: a <see cref="CriticFactoryDefault"/> of [400, 300] ReLU layers.</summary>
    public CriticFactory CriticFactory { get; init; } = new CriticFactoryDefault { HiddenSizes = [400, 300] };

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
        ValidateModel(ActorFactory, nameof(ActorFactory), "an ActorFactory");
        ValidateModel(CriticFactory, nameof(CriticFactory), "a CriticFactory");
    }

    /// <inheritdoc />
    public override AlgorithmFactory WithConfiguration(Configuration configuration, Configuration? nas = null) =>
        (this with { Params = DdpgConfigurationMapping.ToParams(configuration, Params) }).WithNas(nas, new DdpgModule().NasSpace());

    /// <inheritdoc />
    public override AlgorithmFactory FoldSampling(SamplingConfig sampling, int numTrainEnvs) => this with { Params = EffectiveParams(sampling, numTrainEnvs) };

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
            rng => new DeterministicActor(actor.Create(observationSpace, actionSpace, rng), obs, act),
            rng => new QCritic(critic.Create(observationSpace, actionSpace, useAction: true, rng), obs, act),
            OptimizerDelegate);
    }
}
