using System.Globalization;
using RlExperiments.Agents;
using RlExperiments.Agents.Algorithms.Td3;
using RlExperiments.Agents.Networks;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Factories.Models;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Td3;

/// <summary>Twin delayed DDPG (<see cref="Td3Agent"/>) with optional actor and critic factories.</summary>
public sealed record TD3AlgorithmFactory : OffPolicyAlgorithmFactory
{
    /// <summary>TD3's hyperparameters. Default: Stable-Baselines3's TD3 defaults.</summary>
    public Td3Params Params { get; init; } = new();

    /// <summary>
    /// Creates the actor's network <c>[B, obs]</c> → <c>[B, actions]</c>, which the agent squashes with tanh. Default: null,
    /// meaning an MLP described by <see cref="Td3Params.HiddenSizes"/> and <see cref="Td3Params.Activation"/>.
    /// </summary>
    public ActorFactory? ActorFactory { get; init; }

    /// <summary>Creates the first critic Q₁(s, a). Default: null, meaning an MLP described by the params.</summary>
    public CriticFactory? Critic1Factory { get; init; }

    /// <summary>Creates the second critic Q₂(s, a). Default: null, meaning an MLP described by the params.</summary>
    public CriticFactory? Critic2Factory { get; init; }

    /// <inheritdoc />
    public override string AlgorithmName => Td3Module.AlgorithmName;

    /// <inheritdoc />
    public override Type AgentType => typeof(Td3Agent);

    /// <inheritdoc />
    public override (int NumEpochs, int EpochNumSteps) DefaultSchedule => (10, 5_000);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        RequireParams(Params, nameof(Td3Params));
        ValidateParams(nameof(Td3Params), Params.Validate);
        ActorFactory?.Validate();
        Critic1Factory?.Validate();
        Critic2Factory?.Validate();
    }

    /// <inheritdoc />
    public override AlgorithmFactory WithConfiguration(Configuration configuration, Configuration? nas = null) =>
        this with { Params = Td3ConfigurationMapping.ToParams(configuration, Params, nas) };

    /// <inheritdoc />
    public override AlgorithmFactory ToParamsOnly(SamplingConfig sampling, int numTrainEnvs) =>
        ActorFactory is null && Critic1Factory is null && Critic2Factory is null
            ? this with { Params = EffectiveParams(sampling, numTrainEnvs) }
            : throw new NotSupportedException(
                "TD3's actor/critic factories cannot be described by Td3Params (HiddenSizes, Activation); allowed: no model factories.");

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> StructuralHyperparameters(SamplingConfig sampling, int numTrainEnvs) =>
        new Dictionary<string, string> { ["buffer_size"] = EffectiveParams(sampling, numTrainEnvs).BufferSize.ToString(CultureInfo.InvariantCulture) };

    /// <summary>The params with the sampling overrides applied.</summary>
    public Td3Params EffectiveParams(SamplingConfig sampling, int numTrainEnvs)
    {
        var p = Params;
        var s = ApplySampling(sampling, numTrainEnvs, new OffPolicySchedule(p.BatchSize, p.BufferSize, p.LearningStarts, p.TrainFreq, p.GradientSteps));
        return p with { BatchSize = s.BatchSize, BufferSize = s.BufferSize, LearningStarts = s.LearningStarts, TrainFreq = s.TrainFreq, GradientSteps = s.GradientSteps };
    }

    /// <inheritdoc />
    public override void CheckSpaces(Space observationSpace, Space actionSpace, string envId)
    {
        if (actionSpace is not Box box)
            throw new ArgumentException($"TD3 needs a continuous (Box) action space, but {envId} has {actionSpace}; use DQN (DQNExperimentBuilder) or PPO for discrete actions.", "envFactory");
        if (!box.IsBounded)
            throw new ArgumentException($"TD3 needs a bounded Box action space (it squashes actions with tanh), but {envId} has {actionSpace}.", "envFactory");
        if (observationSpace is not Box)
            throw new ArgumentException($"TD3 needs a Box observation space, but {envId} has {observationSpace}.", "envFactory");
    }

    /// <inheritdoc />
    public override void ValidateEffective(SamplingConfig sampling, ResolvedSampling resolved, bool train)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var p = EffectiveParams(sampling, resolved.NumTrainEnvs);
        ValidateParams(nameof(Td3Params), p.Validate);
        CheckBudget(nameof(Td3Params), new OffPolicySchedule(p.BatchSize, p.BufferSize, p.LearningStarts, p.TrainFreq, p.GradientSteps), resolved, train);
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
        Func<Rng, TwinQCritic>? critic = null;
        if (Critic1Factory is not null || Critic2Factory is not null)
        {
            var fallback = new CriticFactoryDefault { HiddenSizes = p.HiddenSizes, Activation = p.Activation };
            var c1 = Critic1Factory ?? fallback;
            var c2 = Critic2Factory ?? fallback;
            critic = rng => new TwinQCritic(
                c1.Create(observationSpace, actionSpace, useAction: true, rng), c2.Create(observationSpace, actionSpace, useAction: true, rng), obs, act);
        }
        return new Td3Agent(observationSpace, actionSpace, p, seed, resolved.NumTrainEnvs,
            actor is null ? null : rng => new DeterministicActor(actor.Create(observationSpace, actionSpace, rng), obs, act),
            critic,
            OptimizerDelegate);
    }
}
