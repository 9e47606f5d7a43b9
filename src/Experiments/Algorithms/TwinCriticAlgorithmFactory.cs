using System.Globalization;
using RlExperiments.Agents;
using RlExperiments.Agents.Networks;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Factories;
using RlExperiments.Factories.Models;

namespace RlExperiments.Experiments.Algorithms;

/// <summary>
/// The off-policy actor-critics with twin critics on a bounded Box (SAC, TD3): their params, an optional actor factory,
/// two optional critic factories, the replay schedule the sampling config overrides, and the critics they make. A concrete
/// algorithm says how a schedule is written into its params and creates its agent.
/// </summary>
/// <typeparam name="TParams">The algorithm's params record.</typeparam>
/// <typeparam name="TActorFactory">The kind of actor factory the algorithm takes.</typeparam>
public abstract record TwinCriticAlgorithmFactory<TParams, TActorFactory> : OffPolicyAlgorithmFactory
    where TParams : class, IOffPolicyParams, new()
    where TActorFactory : class, IValidatable
{
    /// <summary>The algorithm's hyperparameters. Default: the params record's defaults (Stable-Baselines3's).</summary>
    public TParams Params { get; init; } = new();

    /// <summary>The algorithm's default networks: its actor factory and one critic factory for both critics.</summary>
    /// <param name="actor">The default actor factory.</param>
    /// <param name="critic">The default factory of each critic.</param>
    protected TwinCriticAlgorithmFactory(TActorFactory actor, CriticFactory critic)
    {
        ActorFactory = actor;
        Critic1Factory = critic;
        Critic2Factory = critic;
    }

    /// <summary>Creates the actor. Default: the algorithm's (Stable-Baselines3's sizes).</summary>
    public TActorFactory ActorFactory { get; init; }

    /// <summary>Creates the first critic Q₁(s, a). Default: a <see cref="CriticFactoryDefault"/> of the algorithm's sizes.</summary>
    public CriticFactory Critic1Factory { get; init; }

    /// <summary>Creates the second critic Q₂(s, a). Default: as the first.</summary>
    public CriticFactory Critic2Factory { get; init; }

    /// <inheritdoc />
    public override (int NumEpochs, int EpochNumSteps) DefaultSchedule => (10, 5_000);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        RequireParams(Params, typeof(TParams).Name);
        ValidateParams(typeof(TParams).Name, Params.Validate);
        if (ActorFactory is null) throw new ArgumentException($"{GetType().Name}.{nameof(ActorFactory)} = null is invalid; allowed: a {typeof(TActorFactory).Name}.", nameof(ActorFactory));
        ActorFactory.Validate();
        ValidateModel(Critic1Factory, nameof(Critic1Factory), "a CriticFactory");
        ValidateModel(Critic2Factory, nameof(Critic2Factory), "a CriticFactory");
    }

    /// <inheritdoc />
    public override AlgorithmFactory FoldSampling(SamplingConfig sampling, int numTrainEnvs) => this with { Params = EffectiveParams(sampling, numTrainEnvs) };

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> StructuralHyperparameters(SamplingConfig sampling, int numTrainEnvs) =>
        new Dictionary<string, string> { ["buffer_size"] = EffectiveParams(sampling, numTrainEnvs).BufferSize.ToString(CultureInfo.InvariantCulture) };

    /// <summary>The params with the sampling overrides applied.</summary>
    public TParams EffectiveParams(SamplingConfig sampling, int numTrainEnvs) =>
        WithSchedule(Params, ApplySampling(sampling, numTrainEnvs, Schedule(Params)));

    /// <summary>The params with <paramref name="schedule"/> written into them.</summary>
    protected abstract TParams WithSchedule(TParams parameters, OffPolicySchedule schedule);

    /// <summary>Creates the agent from its effective params, the actor factory and the twin critics the critic factories describe.</summary>
    protected abstract IAgent CreateAgent(Space observationSpace, Space actionSpace, TParams parameters, int seed, int numEnvs,
        TActorFactory actorFactory, Func<Rng, TwinQCritic> critic);

    /// <inheritdoc />
    public override void CheckSpaces(Space observationSpace, Space actionSpace, string envId)
    {
        if (actionSpace is not Box box)
            throw new ArgumentException($"{AlgorithmName} needs a continuous (Box) action space, but {envId} has {actionSpace}; use DQN (DQNExperimentBuilder) or PPO for discrete actions.", "envFactory");
        if (!box.IsBounded)
            throw new ArgumentException($"{AlgorithmName} needs a bounded Box action space (it squashes actions with tanh), but {envId} has {actionSpace}.", "envFactory");
        if (observationSpace is not Box)
            throw new ArgumentException($"{AlgorithmName} needs a Box observation space, but {envId} has {observationSpace}.", "envFactory");
    }

    /// <inheritdoc />
    public override void ValidateEffective(SamplingConfig sampling, ResolvedSampling resolved, bool train)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var p = EffectiveParams(sampling, resolved.NumTrainEnvs);
        ValidateParams(typeof(TParams).Name, p.Validate);
        CheckBudget(typeof(TParams).Name, Schedule(p), resolved, train);
    }

    /// <inheritdoc />
    public override IAgent CreateAgent(Space observationSpace, Space actionSpace, SamplingConfig sampling, ResolvedSampling resolved, int seed)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentNullException.ThrowIfNull(actionSpace);
        ArgumentNullException.ThrowIfNull(resolved);
        var p = EffectiveParams(sampling, resolved.NumTrainEnvs);
        var (c1, c2) = (Critic1Factory, Critic2Factory);
        Func<Rng, TwinQCritic> critic = rng => new TwinQCritic(
            c1.Create(observationSpace, actionSpace, useAction: true, rng), c2.Create(observationSpace, actionSpace, useAction: true, rng),
            observationSpace.FlatSize, actionSpace.FlatSize);
        return CreateAgent(observationSpace, actionSpace, p, seed, resolved.NumTrainEnvs, ActorFactory, critic);
    }

    private static OffPolicySchedule Schedule(TParams p) => new(p.BatchSize, p.BufferSize, p.LearningStarts, p.TrainFreq, p.GradientSteps);
}
