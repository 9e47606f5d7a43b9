using RlExperiments.Agents;
using RlExperiments.Agents.Algorithms.Pg;
using RlExperiments.Agents.Networks;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Factories.Models;
using RlExperiments.Tensors.Nn;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Pg;

/// <summary>The vanilla policy gradient, REINFORCE (<see cref="PgAgent"/>), with an optional actor factory.</summary>
public sealed record PGAlgorithmFactory : OnPolicyAlgorithmFactory
{
    /// <summary>REINFORCE's hyperparameters. Default: Tianshou's <c>ReinforceParams</c> defaults (see <see cref="PgParams"/>).</summary>
    public PgParams Params { get; init; } = new();

    /// <summary>
    /// Creates the policy (categorical logits or Gaussian mean). Default: an <see cref="ActorFactoryDefault"/> of
    /// [64, 64] Tanh layers with orthogonal initialisation (Stable-Baselines3's actor).
    /// </summary>
    public ActorFactory ActorFactory { get; init; } = new ActorFactoryDefault { Activation = Activation.Tanh, OrthoInit = true };

    /// <inheritdoc />
    public override string AlgorithmName => PgModule.AlgorithmName;

    /// <inheritdoc />
    public override Type AgentType => typeof(PgAgent);

    /// <inheritdoc />
    public override (int NumEpochs, int EpochNumSteps) DefaultSchedule => (10, 10_240);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        RequireParams(Params, nameof(PgParams));
        ValidateParams(nameof(PgParams), Params.Validate);
        ValidateModel(ActorFactory, nameof(ActorFactory), "an ActorFactory");
    }

    /// <inheritdoc />
    public override AlgorithmFactory WithConfiguration(Configuration configuration, Configuration? nas = null) =>
        (this with { Params = PgConfigurationMapping.ToParams(configuration, Params) }).WithNas(nas, new PgModule().NasSpace());

    /// <inheritdoc />
    public override AlgorithmFactory FoldSampling(SamplingConfig sampling, int numTrainEnvs) => this with { Params = EffectiveParams(sampling, numTrainEnvs) };

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> StructuralHyperparameters(SamplingConfig sampling, int numTrainEnvs) =>
        new Dictionary<string, string> { [EnvironmentHyperparameters.NormalizeObservationsKey] = EffectiveParams(sampling, numTrainEnvs).NormalizeObservations ? "true" : "false" };

    /// <summary>The params with the sampling overrides applied (BatchSize, StepPerCollect over the environments, RepeatPerCollect).</summary>
    public PgParams EffectiveParams(SamplingConfig sampling, int numTrainEnvs)
    {
        ArgumentNullException.ThrowIfNull(sampling);
        var p = Params;
        if (sampling.BatchSize is { } b) p = p with { BatchSize = b };
        if (sampling.StepPerCollect is { } sp) p = p with { NumSteps = sp / numTrainEnvs };
        if (sampling.RepeatPerCollect is { } r) p = p with { UpdateEpochs = r };
        return p;
    }

    /// <inheritdoc />
    public override void ValidateEffective(SamplingConfig sampling, ResolvedSampling resolved, bool train)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        ValidateParams(nameof(PgParams), EffectiveParams(sampling, resolved.NumTrainEnvs).Validate);
    }

    /// <inheritdoc />
    public override IAgent CreateAgent(Space observationSpace, Space actionSpace, SamplingConfig sampling, ResolvedSampling resolved, int seed)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentNullException.ThrowIfNull(resolved);
        var p = EffectiveParams(sampling, resolved.NumTrainEnvs);
        var actor = ActorFactory;
        var outputs = actionSpace is Discrete d ? d.N : actionSpace.FlatSize;
        return new PgAgent(observationSpace, actionSpace, p, seed,
            rng => new PolicyNetwork(actor.Create(observationSpace, actionSpace, rng), observationSpace.FlatSize, outputs, actionSpace is Box, (float)p.LogStdInit),
            OptimizerDelegate);
    }
}
