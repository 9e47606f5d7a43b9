using RlExperiments.Agents;
using RlExperiments.Agents.Algorithms.A2c;
using RlExperiments.Environments.Spaces;
using RlExperiments.Factories.Models;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.A2c;

/// <summary>
/// Synchronous advantage actor-critic (<see cref="A2cAgent"/>) with optional actor and critic factories. The optimiser is the
/// agent's default, RMSprop with α 0.99 and ε 1e-5 (Stable-Baselines3's A2C), unless <see cref="AlgorithmFactory.OptimizerFactory"/> is set
/// (e.g. <c>AdamOptimizerFactory</c> or an <c>RmsPropOptimizerFactory</c> of other settings).
/// </summary>
public sealed record A2CAlgorithmFactory : OnPolicyAlgorithmFactory
{
    /// <summary>A2C's hyperparameters. Default: see <see cref="A2cParams"/> (Tianshou's A2C where it has a default, else Stable-Baselines3's).</summary>
    public A2cParams Params { get; init; } = new();

    /// <summary>
    /// Creates the actor (categorical logits or Gaussian mean). Default: null, meaning an MLP described by
    /// <see cref="A2cParams.HiddenSizes"/>, <see cref="A2cParams.Activation"/> and <see cref="A2cParams.OrthoInit"/>.
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
    public override string AlgorithmName => A2cModule.AlgorithmName;

    /// <inheritdoc />
    public override Type AgentType => typeof(A2cAgent);

    /// <inheritdoc />
    public override (int NumEpochs, int EpochNumSteps) DefaultSchedule => (10, 10_000);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        RequireParams(Params, nameof(A2cParams));
        ValidateParams(nameof(A2cParams), Params.Validate);
        ActorCriticModels.Validate(nameof(A2CAlgorithmFactory), ActorFactory, CriticFactory, CriticUseActor);
    }

    /// <inheritdoc />
    public override AlgorithmFactory WithConfiguration(Configuration configuration, Configuration? nas = null) =>
        this with { Params = A2cConfigurationMapping.ToParams(configuration, Params, nas) };

    /// <inheritdoc />
    public override AlgorithmFactory ToParamsOnly(SamplingConfig sampling, int numTrainEnvs) =>
        ActorFactory is null && CriticFactory is null && !CriticUseActor
            ? this with { Params = EffectiveParams(sampling, numTrainEnvs) }
            : throw new NotSupportedException(
                "A2C's actor/critic factories (or a critic sharing the actor) cannot be described by A2cParams (HiddenSizes, Activation, OrthoInit); allowed: no model factories.");

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> StructuralHyperparameters(SamplingConfig sampling, int numTrainEnvs) =>
        new Dictionary<string, string> { [EnvironmentHyperparameters.NormalizeObservationsKey] = EffectiveParams(sampling, numTrainEnvs).NormalizeObservations ? "true" : "false" };

    /// <summary>The params with the sampling overrides applied (BatchSize, StepPerCollect over the environments, RepeatPerCollect, a shared trunk).</summary>
    public A2cParams EffectiveParams(SamplingConfig sampling, int numTrainEnvs)
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
            throw new ArgumentException($"A2C supports Discrete and Box action spaces, but {envId} has {actionSpace}.", "envFactory");
        if (observationSpace is not Box)
            throw new ArgumentException($"A2C needs a Box observation space, but {envId} has {observationSpace}.", "envFactory");
    }

    /// <inheritdoc />
    public override void ValidateEffective(SamplingConfig sampling, ResolvedSampling resolved, bool train)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        ValidateParams(nameof(A2cParams), EffectiveParams(sampling, resolved.NumTrainEnvs).Validate);
    }

    /// <inheritdoc />
    public override IAgent CreateAgent(Space observationSpace, Space actionSpace, SamplingConfig sampling, ResolvedSampling resolved, int seed)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentNullException.ThrowIfNull(resolved);
        var p = EffectiveParams(sampling, resolved.NumTrainEnvs);
        var network = ActorCriticModels.Network(observationSpace, actionSpace, ActorFactory, CriticFactory, CriticUseActor,
            p.HiddenSizes, p.Activation, p.OrthoInit, (float)p.LogStdInit);
        return new A2cAgent(observationSpace, actionSpace, p, seed, network, OptimizerDelegate);
    }
}
