using RlExperiments.Agents;
using RlExperiments.Agents.Algorithms.Sac;
using RlExperiments.Agents.Networks;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Factories.Models;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Sac;

/// <summary>
/// Soft actor-critic (<see cref="SacAgent"/>): its params (the algorithm) and its actor and critic factories (the
/// networks); defaults are Stable-Baselines3's SAC.
/// </summary>
public sealed record SACAlgorithmFactory : TwinCriticAlgorithmFactory<SacParams, TanhGaussianActorFactory>
{
    /// <summary>SAC with Stable-Baselines3's networks: a [256, 256] ReLU tanh-Gaussian actor and two [256, 256] ReLU critics.</summary>
    public SACAlgorithmFactory()
        : base(new TanhGaussianActorFactoryDefault(), new CriticFactoryDefault { HiddenSizes = [256, 256] })
    {
    }

    /// <inheritdoc />
    public override string AlgorithmName => SacModule.AlgorithmName;

    /// <inheritdoc />
    public override Type AgentType => typeof(SacAgent);

    /// <inheritdoc />
    public override AlgorithmFactory WithConfiguration(Configuration configuration, Configuration? nas = null) =>
        (this with { Params = SacConfigurationMapping.ToParams(configuration, Params) }).WithNas(nas, new SacModule().NasSpace());

    /// <inheritdoc />
    protected override SacParams WithSchedule(SacParams parameters, OffPolicySchedule schedule) => parameters with
    {
        BatchSize = schedule.BatchSize, BufferSize = schedule.BufferSize, LearningStarts = schedule.LearningStarts,
        TrainFreq = schedule.TrainFreq, GradientSteps = schedule.GradientSteps,
    };

    /// <inheritdoc />
    protected override IAgent CreateAgent(Space observationSpace, Space actionSpace, SacParams parameters, int seed, int numEnvs,
        TanhGaussianActorFactory actorFactory, Func<Rng, TwinQCritic> critic) =>
        new SacAgent(observationSpace, actionSpace, parameters, seed, numEnvs,
            rng => actorFactory.Create(observationSpace, actionSpace, rng), critic, OptimizerDelegate);
}
