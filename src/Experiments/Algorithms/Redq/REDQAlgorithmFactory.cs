using System.Globalization;
using RlExperiments.Agents;
using RlExperiments.Agents.Algorithms.Redq;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Factories;
using RlExperiments.Factories.Models;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Redq;

/// <summary>
/// REDQ (<see cref="RedqAgent"/>): its params (the algorithm) and its actor and critic-ensemble factories (the networks).
/// </summary>
public sealed record REDQAlgorithmFactory : OffPolicyAlgorithmFactory
{
    /// <summary>REDQ's hyperparameters. Default: <see cref="RedqParams"/>' defaults (Tianshou's <c>REDQParams</c>).</summary>
    public RedqParams Params { get; init; } = new();

    /// <summary>Creates the tanh-Gaussian actor. Default: a <see cref="TanhGaussianActorFactoryDefault"/> ([256, 256] ReLU, log-std in [−20, 2]).</summary>
    public TanhGaussianActorFactory ActorFactory { get; init; } = new TanhGaussianActorFactoryDefault();

    /// <summary>Creates the critic ensemble (<see cref="RedqParams.EnsembleSize"/> members). Default: a <see cref="CriticEnsembleFactoryDefault"/> of [256, 256] ReLU members.</summary>
    public CriticEnsembleFactory CriticEnsembleFactory { get; init; } = new CriticEnsembleFactoryDefault { HiddenSizes = [256, 256] };

    /// <inheritdoc />
    public override string AlgorithmName => RedqModule.AlgorithmName;

    /// <inheritdoc />
    public override Type AgentType => typeof(RedqAgent);

    /// <inheritdoc />
    public override (int NumEpochs, int EpochNumSteps) DefaultSchedule => (10, 5_000);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        RequireParams(Params, nameof(RedqParams));
        ValidateParams(nameof(RedqParams), Params.Validate);
        ValidateModel(ActorFactory, nameof(ActorFactory), "a TanhGaussianActorFactory");
        ValidateModel(CriticEnsembleFactory, nameof(CriticEnsembleFactory), "a CriticEnsembleFactory");
    }

    /// <inheritdoc />
    public override AlgorithmFactory WithConfiguration(Configuration configuration, Configuration? nas = null) =>
        (this with { Params = RedqConfigurationMapping.ToParams(configuration, Params) }).WithNas(nas, new RedqModule().NasSpace());

    /// <inheritdoc />
    public override AlgorithmFactory FoldSampling(SamplingConfig sampling, int numTrainEnvs) => this with { Params = EffectiveParams(sampling, numTrainEnvs) };

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> StructuralHyperparameters(SamplingConfig sampling, int numTrainEnvs) =>
        new Dictionary<string, string> { ["buffer_size"] = EffectiveParams(sampling, numTrainEnvs).BufferSize.ToString(CultureInfo.InvariantCulture) };

    /// <summary>The params with the sampling overrides applied (<c>UpdatePerStep</c> is the update-to-data ratio G).</summary>
    public RedqParams EffectiveParams(SamplingConfig sampling, int numTrainEnvs)
    {
        var p = Params;
        var s = ApplySampling(sampling, numTrainEnvs, Schedule(p));
        return p with { BatchSize = s.BatchSize, BufferSize = s.BufferSize, LearningStarts = s.LearningStarts, TrainFreq = s.TrainFreq, GradientSteps = s.GradientSteps };
    }

    /// <inheritdoc />
    public override void CheckSpaces(Space observationSpace, Space actionSpace, string envId)
    {
        if (actionSpace is not Box box)
            throw new ArgumentException($"REDQ needs a continuous (Box) action space, but {envId} has {actionSpace}; use discrete SAC (DiscreteSACExperimentBuilder) or DQN for discrete actions.", "envFactory");
        if (!box.IsBounded)
            throw new ArgumentException($"REDQ needs a bounded Box action space (it squashes actions with tanh), but {envId} has {actionSpace}.", "envFactory");
        if (observationSpace is not Box)
            throw new ArgumentException($"REDQ needs a Box observation space, but {envId} has {observationSpace}.", "envFactory");
    }

    /// <inheritdoc />
    public override void ValidateEffective(SamplingConfig sampling, ResolvedSampling resolved, bool train)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var p = EffectiveParams(sampling, resolved.NumTrainEnvs);
        ValidateParams(nameof(RedqParams), p.Validate);
        CheckBudget(nameof(RedqParams), Schedule(p), resolved, train);
    }

    /// <inheritdoc />
    public override IAgent CreateAgent(Space observationSpace, Space actionSpace, SamplingConfig sampling, ResolvedSampling resolved, int seed)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentNullException.ThrowIfNull(actionSpace);
        ArgumentNullException.ThrowIfNull(resolved);
        var p = EffectiveParams(sampling, resolved.NumTrainEnvs);
        var actor = ActorFactory;
        var critic = CriticEnsembleFactory;
        return new RedqAgent(observationSpace, actionSpace, p, seed, resolved.NumTrainEnvs,
            rng => actor.Create(observationSpace, actionSpace, rng),
            rng => critic.Create(observationSpace, actionSpace, p.EnsembleSize, rng),
            OptimizerDelegate);
    }

    private static OffPolicySchedule Schedule(RedqParams p) => new(p.BatchSize, p.BufferSize, p.LearningStarts, p.TrainFreq, p.GradientSteps);
}
