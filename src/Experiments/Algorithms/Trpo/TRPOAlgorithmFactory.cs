using RlExperiments.Agents;
using RlExperiments.Agents.Algorithms.Trpo;
using RlExperiments.Environments.Spaces;
using RlExperiments.Factories.Models;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Trpo;

/// <summary>
/// Trust region policy optimisation (<see cref="TrpoAgent"/>) with optional actor and critic factories (always separate networks).
/// The critic's optimiser is Adam with <see cref="Agents.PolicyGradient.NaturalGradientParams.LearningRate"/> unless
/// <see cref="AlgorithmFactory.OptimizerFactory"/> is set; the actor moves by the natural-gradient step under the line search.
/// </summary>
public sealed record TRPOAlgorithmFactory : OnPolicyAlgorithmFactory
{
    /// <summary>TRPO's hyperparameters. Default: see <see cref="TrpoParams"/> (Tianshou's TRPO where it has a default, else Stable-Baselines3's).</summary>
    public TrpoParams Params { get; init; } = new();

    /// <summary>Creates the actor (categorical logits or Gaussian mean). Default: null, meaning an MLP described by the params.</summary>
    public ActorFactory? ActorFactory { get; init; }

    /// <summary>Creates the critic V(s). Default: null, meaning an MLP described by the params.</summary>
    public CriticFactory? CriticFactory { get; init; }

    /// <inheritdoc />
    public override string AlgorithmName => TrpoModule.AlgorithmName;

    /// <inheritdoc />
    public override Type AgentType => typeof(TrpoAgent);

    /// <inheritdoc />
    public override (int NumEpochs, int EpochNumSteps) DefaultSchedule => (10, 10_240);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        RequireParams(Params, nameof(TrpoParams));
        ValidateParams(nameof(TrpoParams), Params.Validate);
        ActorCriticModels.Validate(nameof(TRPOAlgorithmFactory), ActorFactory, CriticFactory, criticUseActor: false);
    }

    /// <inheritdoc />
    public override AlgorithmFactory WithConfiguration(Configuration configuration, Configuration? nas = null) =>
        this with { Params = TrpoConfigurationMapping.ToParams(configuration, Params, nas) };

    /// <inheritdoc />
    public override AlgorithmFactory ToParamsOnly(SamplingConfig sampling, int numTrainEnvs) =>
        ActorFactory is null && CriticFactory is null
            ? this with { Params = EffectiveParams(sampling, numTrainEnvs) }
            : throw new NotSupportedException(
                "TRPO's actor/critic factories cannot be described by TrpoParams (HiddenSizes, Activation, OrthoInit); allowed: no model factories.");

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> StructuralHyperparameters(SamplingConfig sampling, int numTrainEnvs) =>
        new Dictionary<string, string> { [EnvironmentHyperparameters.NormalizeObservationsKey] = EffectiveParams(sampling, numTrainEnvs).NormalizeObservations ? "true" : "false" };

    /// <summary>The params with the sampling overrides applied (BatchSize, StepPerCollect over the environments, RepeatPerCollect).</summary>
    public TrpoParams EffectiveParams(SamplingConfig sampling, int numTrainEnvs) => NaturalGradientSupport.EffectiveParams(Params, sampling, numTrainEnvs);

    /// <inheritdoc />
    public override void CheckSpaces(Space observationSpace, Space actionSpace, string envId) =>
        NaturalGradientSupport.CheckSpaces("TRPO", observationSpace, actionSpace, envId);

    /// <inheritdoc />
    public override void ValidateEffective(SamplingConfig sampling, ResolvedSampling resolved, bool train)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        ValidateParams(nameof(TrpoParams), EffectiveParams(sampling, resolved.NumTrainEnvs).Validate);
    }

    /// <inheritdoc />
    public override IAgent CreateAgent(Space observationSpace, Space actionSpace, SamplingConfig sampling, ResolvedSampling resolved, int seed)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentNullException.ThrowIfNull(resolved);
        var p = EffectiveParams(sampling, resolved.NumTrainEnvs);
        return new TrpoAgent(observationSpace, actionSpace, p, seed,
            NaturalGradientSupport.Network(observationSpace, actionSpace, ActorFactory, CriticFactory, p), OptimizerDelegate);
    }
}
