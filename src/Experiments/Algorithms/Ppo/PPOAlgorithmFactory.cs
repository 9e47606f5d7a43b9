using RlExperiments.Agents;
using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Environments.Spaces;
using RlExperiments.Factories.Models;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Ppo;

/// <summary>Proximal policy optimisation (<see cref="PpoAgent"/>) with optional actor and critic factories.</summary>
public sealed record PPOAlgorithmFactory : OnPolicyAlgorithmFactory
{
    /// <summary>PPO's hyperparameters. Default: Stable-Baselines3's PPO defaults.</summary>
    public PpoParams Params { get; init; } = new();

    /// <summary>
    /// Creates the actor (categorical logits or Gaussian mean). Default: null, meaning an MLP described by
    /// <see cref="PpoParams.HiddenSizes"/>, <see cref="PpoParams.Activation"/> and <see cref="PpoParams.OrthoInit"/>.
    /// </summary>
    public ActorFactory? ActorFactory { get; init; }

    /// <summary>Creates the critic V(s). Default: null, meaning an MLP described by the params (as the actor). Must be null with <see cref="CriticUseActor"/>.</summary>
    public CriticFactory? CriticFactory { get; init; }

    /// <summary>
    /// Whether the critic shares the actor's hidden layers (one trunk, two heads; Tianshou's
    /// <c>with_critic_factory_use_actor</c>). Default: false. Allowed: true only with no <see cref="CriticFactory"/> and
    /// with no actor factory or an <see cref="ActorFactoryDefault"/> (whose layers form the trunk).
    /// </summary>
    public bool CriticUseActor { get; init; }

    /// <inheritdoc />
    public override string AlgorithmName => PpoModule.AlgorithmName;

    /// <inheritdoc />
    public override Type AgentType => typeof(PpoAgent);

    /// <inheritdoc />
    public override (int NumEpochs, int EpochNumSteps) DefaultSchedule => (10, 10_240);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        RequireParams(Params, nameof(PpoParams));
        ValidateParams(nameof(PpoParams), Params.Validate);
        ActorCriticModels.Validate(nameof(PPOAlgorithmFactory), ActorFactory, CriticFactory, CriticUseActor);
    }

    /// <inheritdoc />
    public override AlgorithmFactory WithConfiguration(Configuration configuration, Configuration? nas = null) =>
        this with { Params = PpoConfigurationMapping.ToParams(configuration, Params, nas) };

    /// <inheritdoc />
    public override AlgorithmFactory ToParamsOnly(SamplingConfig sampling, int numTrainEnvs) =>
        ActorFactory is null && CriticFactory is null && !CriticUseActor
            ? this with { Params = EffectiveParams(sampling, numTrainEnvs) }
            : throw new NotSupportedException(
                "PPO's actor/critic factories (or a critic sharing the actor) cannot be described by PpoParams (HiddenSizes, Activation, OrthoInit); allowed: no model factories.");

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> StructuralHyperparameters(SamplingConfig sampling, int numTrainEnvs) =>
        new Dictionary<string, string> { [EnvironmentHyperparameters.NormalizeObservationsKey] = EffectiveParams(sampling, numTrainEnvs).NormalizeObservations ? "true" : "false" };

    /// <summary>The params with the sampling overrides applied.</summary>
    public PpoParams EffectiveParams(SamplingConfig sampling, int numTrainEnvs)
    {
        ArgumentNullException.ThrowIfNull(sampling);
        var p = Params;
        if (sampling.BatchSize is { } b) p = p with { BatchSize = b };
        if (sampling.StepPerCollect is { } sp) p = p with { NumSteps = sp / numTrainEnvs };
        if (sampling.RepeatPerCollect is { } r) p = p with { NumEpochs = r };
        if (CriticUseActor && ActorFactory is null) p = p with { ShareNetwork = true };
        return p;
    }

    /// <inheritdoc />
    public override void CheckSpaces(Space observationSpace, Space actionSpace, string envId)
    {
        if (actionSpace is not (Discrete or Box))
            throw new ArgumentException($"PPO supports Discrete and Box action spaces, but {envId} has {actionSpace}.", "envFactory");
        if (observationSpace is not Box)
            throw new ArgumentException($"PPO needs a Box observation space, but {envId} has {observationSpace}.", "envFactory");
    }

    /// <inheritdoc />
    public override void ValidateEffective(SamplingConfig sampling, ResolvedSampling resolved, bool train)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        ValidateParams(nameof(PpoParams), EffectiveParams(sampling, resolved.NumTrainEnvs).Validate);
    }

    /// <inheritdoc />
    public override IAgent CreateAgent(Space observationSpace, Space actionSpace, SamplingConfig sampling, ResolvedSampling resolved, int seed)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentNullException.ThrowIfNull(resolved);
        var p = EffectiveParams(sampling, resolved.NumTrainEnvs);
        var network = ActorCriticModels.Network(observationSpace, actionSpace, ActorFactory, CriticFactory, CriticUseActor,
            p.HiddenSizes, p.Activation, p.OrthoInit, (float)p.LogStdInit);
        return new PpoAgent(observationSpace, actionSpace, p, seed, network, OptimizerDelegate);
    }
}
