using RlExperiments.Agents;
using RlExperiments.Agents.Networks;
using RlExperiments.Agents.PolicyGradient;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Factories.Models;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Experiments.Algorithms;

/// <summary>
/// The on-policy actor-critics' shared part (PPO, A2C): their params, an optional actor factory, a critic factory or a
/// critic that shares the actor's hidden layers (Tianshou's <c>with_critic_factory_use_actor</c>), the sampling
/// overrides and the network they make. A concrete algorithm says how sampling settings map onto its params and creates
/// its agent.
/// </summary>
/// <typeparam name="TParams">The algorithm's params record.</typeparam>
public abstract record ActorCriticAlgorithmFactory<TParams> : OnPolicyAlgorithmFactory where TParams : class, IActorCriticParams, new()
{
    /// <summary>The algorithm's hyperparameters. Default: the params record's defaults.</summary>
    public TParams Params { get; init; } = new();

    /// <summary>
    /// Creates the actor (categorical logits or Gaussian mean). Default: an <see cref="ActorFactoryDefault"/> of [64, 64]
    /// Tanh layers with orthogonal initialisation (Stable-Baselines3's <c>MlpPolicy</c>).
    /// </summary>
    public ActorFactory ActorFactory { get; init; } = new ActorFactoryDefault { Activation = Activation.Tanh, OrthoInit = true };

    /// <summary>
    /// Creates the critic V(s). Default: a <see cref="CriticFactoryDefault"/> of [64, 64] Tanh layers with orthogonal
    /// initialisation. Null exactly when <see cref="CriticUseActor"/> is set.
    /// </summary>
    public CriticFactory? CriticFactory { get; init; } = new CriticFactoryDefault { Activation = Activation.Tanh, OrthoInit = true };

    /// <summary>
    /// Whether the critic shares the actor's hidden layers (one trunk, two heads; Tianshou's
    /// <c>with_critic_factory_use_actor</c>). Default: false. Allowed: true only with <see cref="CriticFactory"/> null and
    /// an <see cref="ActorFactoryDefault"/> actor (whose layers form the trunk).
    /// </summary>
    public bool CriticUseActor { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        RequireParams(Params, typeof(TParams).Name);
        ValidateParams(typeof(TParams).Name, Params.Validate);
        ActorCriticModels.Validate(GetType().Name, ActorFactory, CriticFactory, CriticUseActor);
    }

    /// <inheritdoc />
    public override AlgorithmFactory FoldSampling(SamplingConfig sampling, int numTrainEnvs) => this with { Params = EffectiveParams(sampling, numTrainEnvs) };

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> StructuralHyperparameters(SamplingConfig sampling, int numTrainEnvs) =>
        new Dictionary<string, string> { [EnvironmentHyperparameters.NormalizeObservationsKey] = EffectiveParams(sampling, numTrainEnvs).NormalizeObservations ? "true" : "false" };

    /// <summary>The params with the sampling overrides applied (BatchSize, StepPerCollect over the environments, RepeatPerCollect).</summary>
    public TParams EffectiveParams(SamplingConfig sampling, int numTrainEnvs)
    {
        ArgumentNullException.ThrowIfNull(sampling);
        return ApplySampling(Params, sampling.BatchSize, sampling.StepPerCollect is { } sp ? sp / numTrainEnvs : null, sampling.RepeatPerCollect);
    }

    /// <summary>The params with each given sampling override applied: minibatch size, steps per environment per rollout, passes per rollout.</summary>
    protected abstract TParams ApplySampling(TParams parameters, int? batchSize, int? numSteps, int? numEpochs);

    /// <summary>Creates the agent from its effective params and the network the factories describe.</summary>
    protected abstract IAgent CreateAgent(Space observationSpace, Space actionSpace, TParams parameters, int seed, Func<Rng, ActorCriticNetwork> network);

    /// <inheritdoc />
    public override void ValidateEffective(SamplingConfig sampling, ResolvedSampling resolved, bool train)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        ValidateParams(typeof(TParams).Name, EffectiveParams(sampling, resolved.NumTrainEnvs).Validate);
    }

    /// <inheritdoc />
    public override IAgent CreateAgent(Space observationSpace, Space actionSpace, SamplingConfig sampling, ResolvedSampling resolved, int seed)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentNullException.ThrowIfNull(resolved);
        var p = EffectiveParams(sampling, resolved.NumTrainEnvs);
        var network = ActorCriticModels.Network(observationSpace, actionSpace, ActorFactory, CriticFactory, CriticUseActor, (float)p.LogStdInit);
        return CreateAgent(observationSpace, actionSpace, p, seed, network);
    }
}
