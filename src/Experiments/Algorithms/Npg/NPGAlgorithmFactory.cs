using RlExperiments.Agents;
using RlExperiments.Agents.Algorithms.Npg;
using RlExperiments.Environments.Spaces;
using RlExperiments.Factories.Models;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Npg;

/// <summary>
/// The natural policy gradient (<see cref="NpgAgent"/>) with optional actor and critic factories (always separate networks).
/// The critic's optimiser is Adam with <see cref="Agents.PolicyGradient.NaturalGradientParams.LearningRate"/> unless
/// <see cref="AlgorithmFactory.OptimizerFactory"/> is set; the actor moves by the natural-gradient step.
/// </summary>
public sealed record NPGAlgorithmFactory : OnPolicyAlgorithmFactory
{
    /// <summary>NPG's hyperparameters. Default: see <see cref="NpgParams"/> (Tianshou's NPG where it has a default, else Stable-Baselines3's TRPO).</summary>
    public NpgParams Params { get; init; } = new();

    /// <summary>Creates the actor (categorical logits or Gaussian mean). Default: null, meaning an MLP described by the params.</summary>
    public ActorFactory? ActorFactory { get; init; }

    /// <summary>Creates the critic V(s). Default: null, meaning an MLP described by the params.</summary>
    public CriticFactory? CriticFactory { get; init; }

    /// <inheritdoc />
    public override string AlgorithmName => NpgModule.AlgorithmName;

    /// <inheritdoc />
    public override Type AgentType => typeof(NpgAgent);

    /// <inheritdoc />
    public override (int NumEpochs, int EpochNumSteps) DefaultSchedule => (10, 10_240);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        RequireParams(Params, nameof(NpgParams));
        ValidateParams(nameof(NpgParams), Params.Validate);
        ActorCriticModels.Validate(nameof(NPGAlgorithmFactory), ActorFactory, CriticFactory, criticUseActor: false);
    }

    /// <inheritdoc />
    public override AlgorithmFactory WithConfiguration(Configuration configuration, Configuration? nas = null) =>
        this with { Params = NpgConfigurationMapping.ToParams(configuration, Params, nas) };

    /// <inheritdoc />
    public override AlgorithmFactory ToParamsOnly(SamplingConfig sampling, int numTrainEnvs) =>
        ActorFactory is null && CriticFactory is null
            ? this with { Params = EffectiveParams(sampling, numTrainEnvs) }
            : throw new NotSupportedException(
                "NPG's actor/critic factories cannot be described by NpgParams (HiddenSizes, Activation, OrthoInit); allowed: no model factories.");

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> StructuralHyperparameters(SamplingConfig sampling, int numTrainEnvs) =>
        new Dictionary<string, string> { [EnvironmentHyperparameters.NormalizeObservationsKey] = EffectiveParams(sampling, numTrainEnvs).NormalizeObservations ? "true" : "false" };

    /// <summary>The params with the sampling overrides applied (BatchSize, StepPerCollect over the environments, RepeatPerCollect).</summary>
    public NpgParams EffectiveParams(SamplingConfig sampling, int numTrainEnvs) => NaturalGradientSupport.EffectiveParams(Params, sampling, numTrainEnvs);

    /// <inheritdoc />
    public override void CheckSpaces(Space observationSpace, Space actionSpace, string envId) =>
        NaturalGradientSupport.CheckSpaces("NPG", observationSpace, actionSpace, envId);

    /// <inheritdoc />
    public override void ValidateEffective(SamplingConfig sampling, ResolvedSampling resolved, bool train)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        ValidateParams(nameof(NpgParams), EffectiveParams(sampling, resolved.NumTrainEnvs).Validate);
    }

    /// <inheritdoc />
    public override IAgent CreateAgent(Space observationSpace, Space actionSpace, SamplingConfig sampling, ResolvedSampling resolved, int seed)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentNullException.ThrowIfNull(resolved);
        var p = EffectiveParams(sampling, resolved.NumTrainEnvs);
        return new NpgAgent(observationSpace, actionSpace, p, seed,
            NaturalGradientSupport.Network(observationSpace, actionSpace, ActorFactory, CriticFactory, p), OptimizerDelegate);
    }
}
