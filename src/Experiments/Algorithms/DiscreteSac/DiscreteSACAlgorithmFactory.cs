using System.Globalization;
using RlExperiments.Agents;
using RlExperiments.Agents.Algorithms.DiscreteSac;
using RlExperiments.Agents.Networks;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Factories;
using RlExperiments.Factories.Models;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.DiscreteSac;

/// <summary>
/// Discrete SAC (<see cref="DiscreteSacAgent"/>): its params (the algorithm) and its actor and critic factories (the networks).
/// </summary>
public sealed record DiscreteSACAlgorithmFactory : OffPolicyAlgorithmFactory
{
    /// <summary>Discrete SAC's hyperparameters. Default: <see cref="DiscreteSacParams"/>' defaults (Tianshou's <c>DiscreteSACParams</c>).</summary>
    public DiscreteSacParams Params { get; init; } = new();

    /// <summary>Creates the actor, observations → one logit per action. Default: an <see cref="ActorFactoryDefault"/>, a [64, 64] ReLU MLP.</summary>
    public ActorFactory ActorFactory { get; init; } = new ActorFactoryDefault();

    /// <summary>Creates the first critic Q₁(s, ·), one Q-value per action. Default: a <see cref="QNetworkFactoryDefault"/>, a [64, 64] ReLU MLP.</summary>
    public QNetworkFactory Critic1Factory { get; init; } = new QNetworkFactoryDefault();

    /// <summary>Creates the second critic Q₂(s, ·). Default: a <see cref="QNetworkFactoryDefault"/>, as the first.</summary>
    public QNetworkFactory Critic2Factory { get; init; } = new QNetworkFactoryDefault();

    /// <inheritdoc />
    public override string AlgorithmName => DiscreteSacModule.AlgorithmName;

    /// <inheritdoc />
    public override Type AgentType => typeof(DiscreteSacAgent);

    /// <inheritdoc />
    public override (int NumEpochs, int EpochNumSteps) DefaultSchedule => (10, 10_000);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        RequireParams(Params, nameof(DiscreteSacParams));
        ValidateParams(nameof(DiscreteSacParams), Params.Validate);
        ValidateModel(ActorFactory, nameof(ActorFactory), "an ActorFactory");
        ValidateModel(Critic1Factory, nameof(Critic1Factory), "a QNetworkFactory");
        ValidateModel(Critic2Factory, nameof(Critic2Factory), "a QNetworkFactory");
    }

    /// <inheritdoc />
    public override AlgorithmFactory WithConfiguration(Configuration configuration, Configuration? nas = null) =>
        (this with { Params = DiscreteSacConfigurationMapping.ToParams(configuration, Params) }).WithNas(nas, new DiscreteSacModule().NasSpace());

    /// <inheritdoc />
    public override AlgorithmFactory FoldSampling(SamplingConfig sampling, int numTrainEnvs) => this with { Params = EffectiveParams(sampling, numTrainEnvs) };

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> StructuralHyperparameters(SamplingConfig sampling, int numTrainEnvs) =>
        new Dictionary<string, string> { ["buffer_size"] = EffectiveParams(sampling, numTrainEnvs).BufferSize.ToString(CultureInfo.InvariantCulture) };

    /// <summary>The params with the sampling overrides applied.</summary>
    public DiscreteSacParams EffectiveParams(SamplingConfig sampling, int numTrainEnvs)
    {
        var p = Params;
        var s = ApplySampling(sampling, numTrainEnvs, Schedule(p));
        return p with { BatchSize = s.BatchSize, BufferSize = s.BufferSize, LearningStarts = s.LearningStarts, TrainFreq = s.TrainFreq, GradientSteps = s.GradientSteps };
    }

    /// <inheritdoc />
    public override void CheckSpaces(Space observationSpace, Space actionSpace, string envId)
    {
        if (actionSpace is not Discrete)
            throw new ArgumentException($"DiscreteSAC needs a Discrete action space, but {envId} has {actionSpace}; use SAC (SACExperimentBuilder) or REDQ for Box actions.", "envFactory");
        if (observationSpace is not Box)
            throw new ArgumentException($"DiscreteSAC needs a Box observation space, but {envId} has {observationSpace}.", "envFactory");
    }

    /// <inheritdoc />
    public override void ValidateEffective(SamplingConfig sampling, ResolvedSampling resolved, bool train)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var p = EffectiveParams(sampling, resolved.NumTrainEnvs);
        ValidateParams(nameof(DiscreteSacParams), p.Validate);
        CheckBudget(nameof(DiscreteSacParams), Schedule(p), resolved, train);
    }

    /// <inheritdoc />
    public override IAgent CreateAgent(Space observationSpace, Space actionSpace, SamplingConfig sampling, ResolvedSampling resolved, int seed)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentNullException.ThrowIfNull(actionSpace);
        ArgumentNullException.ThrowIfNull(resolved);
        var p = EffectiveParams(sampling, resolved.NumTrainEnvs);
        var actor = ActorFactory;
        var (c1, c2) = (Critic1Factory, Critic2Factory);
        var actions = actionSpace is Discrete d ? d.N : actionSpace.FlatSize;
        return new DiscreteSacAgent(observationSpace, actionSpace, p, seed, resolved.NumTrainEnvs,
            rng => actor.Create(observationSpace, actionSpace, rng),
            rng => new TwinDiscreteQCritic(c1.Create(observationSpace, actionSpace, rng), c2.Create(observationSpace, actionSpace, rng), observationSpace.FlatSize, actions),
            OptimizerDelegate);
    }

    private static OffPolicySchedule Schedule(DiscreteSacParams p) => new(p.BatchSize, p.BufferSize, p.LearningStarts, p.TrainFreq, p.GradientSteps);
}
