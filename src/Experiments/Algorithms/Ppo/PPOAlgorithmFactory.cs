using RlExperiments.Agents;
using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Agents.Networks;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Ppo;

/// <summary>Proximal policy optimisation (<see cref="PpoAgent"/>) with optional actor and critic factories; defaults are Stable-Baselines3's PPO.</summary>
public sealed record PPOAlgorithmFactory : ActorCriticAlgorithmFactory<PpoParams>
{
    /// <inheritdoc />
    public override string AlgorithmName => PpoModule.AlgorithmName;

    /// <inheritdoc />
    public override Type AgentType => typeof(PpoAgent);

    /// <inheritdoc />
    public override (int NumEpochs, int EpochNumSteps) DefaultSchedule => (10, 10_240);

    /// <inheritdoc />
    public override AlgorithmFactory WithConfiguration(Configuration configuration, Configuration? nas = null) =>
        (this with { Params = PpoConfigurationMapping.ToParams(configuration, Params) }).WithNas(nas, new PpoModule().NasSpace());

    /// <inheritdoc />
    protected override PpoParams ApplySampling(PpoParams parameters, int? batchSize, int? numSteps, int? numEpochs) =>
        parameters with
        {
            BatchSize = batchSize ?? parameters.BatchSize,
            NumSteps = numSteps ?? parameters.NumSteps,
            UpdateEpochs = numEpochs ?? parameters.UpdateEpochs,
        };

    /// <inheritdoc />
    protected override IAgent CreateAgent(Space observationSpace, Space actionSpace, PpoParams parameters, int seed, Func<Rng, ActorCriticNetwork> network) =>
        new PpoAgent(observationSpace, actionSpace, parameters, seed, network, OptimizerDelegate);
}
