using RlExperiments.Agents;
using RlExperiments.Agents.Algorithms.Td3;
using RlExperiments.Agents.Networks;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Factories.Models;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Td3;

/// <summary>
/// Twin delayed DDPG (<see cref="Td3Agent"/>) with optional actor and critic factories; defaults are Stable-Baselines3's
/// TD3. An actor factory creates the network <c>[B, obs]</c> → <c>[B, actions]</c>, which the agent squashes with tanh.
/// </summary>
public sealed record TD3AlgorithmFactory : TwinCriticAlgorithmFactory<Td3Params, ActorFactory>
{
    /// <summary>TD3 with Stable-Baselines3's networks: a [400, 300] ReLU actor and two [400, 300] ReLU critics.</summary>
    public TD3AlgorithmFactory()
        : base(new ActorFactoryDefault { HiddenSizes = [400, 300] }, new CriticFactoryDefault { HiddenSizes = [400, 300] })
    {
    }

    /// <inheritdoc />
    public override string AlgorithmName => Td3Module.AlgorithmName;

    /// <inheritdoc />
    public override Type AgentType => typeof(Td3Agent);

    /// <inheritdoc />
    public override AlgorithmFactory WithConfiguration(Configuration configuration, Configuration? nas = null) =>
        (this with { Params = Td3ConfigurationMapping.ToParams(configuration, Params) }).WithNas(nas, new Td3Module().NasSpace());

    /// <inheritdoc />
    protected override Td3Params WithSchedule(Td3Params parameters, OffPolicySchedule schedule) => parameters with
    {
        BatchSize = schedule.BatchSize, BufferSize = schedule.BufferSize, LearningStarts = schedule.LearningStarts,
        TrainFreq = schedule.TrainFreq, GradientSteps = schedule.GradientSteps,
    };

    /// <inheritdoc />
    protected override IAgent CreateAgent(Space observationSpace, Space actionSpace, Td3Params parameters, int seed, int numEnvs,
        ActorFactory actorFactory, Func<Rng, TwinQCritic> critic) =>
        new Td3Agent(observationSpace, actionSpace, parameters, seed, numEnvs,
            rng => new DeterministicActor(actorFactory.Create(observationSpace, actionSpace, rng), observationSpace.FlatSize, actionSpace.FlatSize),
            critic, OptimizerDelegate);
}
