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
/// REDQ (<see cref="RedqAgent"/>) with optional actor and critic-ensemble factories. Without them the networks are the ones
/// <see cref="RedqParams.HiddenSizes"/> and <see cref="RedqParams.Activation"/> describe.
/// </summary>
public sealed record REDQAlgorithmFactory : OffPolicyAlgorithmFactory
{
    /// <summary>REDQ's hyperparameters. Default: <see cref="RedqParams"/>' defaults (Tianshou's <c>REDQParams</c>).</summary>
    public RedqParams Params { get; init; } = new();

    /// <summary>Creates the tanh-Gaussian actor. Default: null, meaning the actor the params describe.</summary>
    public TanhGaussianActorFactory? ActorFactory { get; init; }

    /// <summary>Creates the critic ensemble (<see cref="RedqParams.EnsembleSize"/> members). Default: null, meaning the ensemble the params describe.</summary>
    public CriticEnsembleFactory? CriticEnsembleFactory { get; init; }

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
        ActorFactory?.Validate();
        CriticEnsembleFactory?.Validate();
    }

    /// <inheritdoc />
    public override AlgorithmFactory WithConfiguration(Configuration configuration, Configuration? nas = null) =>
        this with { Params = RedqConfigurationMapping.ToParams(configuration, Params, nas) };

    /// <inheritdoc />
    public override AlgorithmFactory ToParamsOnly(SamplingConfig sampling, int numTrainEnvs) =>
        ActorFactory is null && CriticEnsembleFactory is null
            ? this with { Params = EffectiveParams(sampling, numTrainEnvs) }
            : throw new NotSupportedException(
                "REDQ's actor/critic-ensemble factories cannot be described by RedqParams (HiddenSizes, Activation); allowed: no model factories.");

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
            actor is null ? null : rng => actor.Create(observationSpace, actionSpace, rng),
            critic is null ? null : rng => critic.Create(observationSpace, actionSpace, p.EnsembleSize, rng),
            OptimizerDelegate);
    }

    private static OffPolicySchedule Schedule(RedqParams p) => new(p.BatchSize, p.BufferSize, p.LearningStarts, p.TrainFreq, p.GradientSteps);
}
