using RlExperiments.Agents;
using RlExperiments.Agents.Algorithms.Sac;
using RlExperiments.Agents.Networks;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Factories.Models;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Sac;

/// <summary>
/// Soft actor-critic (<see cref="SacAgent"/>) with optional actor and critic factories; defaults are Stable-Baselines3's SAC.
/// Without an actor factory the actor is the one described by <see cref="SacParams.HiddenSizes"/>,
/// <see cref="SacParams.Activation"/>, <see cref="SacParams.LogStdMin"/> and <see cref="SacParams.LogStdMax"/>.
/// </summary>
public sealed record SACAlgorithmFactory : TwinCriticAlgorithmFactory<SacParams, TanhGaussianActorFactory>
{
    /// <inheritdoc />
    public override string AlgorithmName => SacModule.AlgorithmName;

    /// <inheritdoc />
    public override Type AgentType => typeof(SacAgent);

    /// <inheritdoc />
    public override AlgorithmFactory WithConfiguration(Configuration configuration, Configuration? nas = null) =>
        this with { Params = SacConfigurationMapping.ToParams(configuration, Params, nas) };

    /// <inheritdoc />
    protected override SacParams WithSchedule(SacParams parameters, OffPolicySchedule schedule) => parameters with
    {
        BatchSize = schedule.BatchSize, BufferSize = schedule.BufferSize, LearningStarts = schedule.LearningStarts,
        TrainFreq = schedule.TrainFreq, GradientSteps = schedule.GradientSteps,
    };

    /// <inheritdoc />
    protected override IAgent CreateAgent(Space observationSpace, Space actionSpace, SacParams parameters, int seed, int numEnvs,
        TanhGaussianActorFactory? actorFactory, Func<Rng, TwinQCritic>? critic) =>
        new SacAgent(observationSpace, actionSpace, parameters, seed, numEnvs,
            actorFactory is null ? null : rng => actorFactory.Create(observationSpace, actionSpace, rng), critic, OptimizerDelegate);
}
