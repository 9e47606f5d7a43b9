using RlExperiments.Agents;
using RlExperiments.Agents.Algorithms.A2c;
using RlExperiments.Agents.Networks;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.A2c;

/// <summary>
/// Synchronous advantage actor-critic (<see cref="A2cAgent"/>) with optional actor and critic factories. The optimiser is the
/// agent's default, RMSprop with α 0.99 and ε 1e-5 (Stable-Baselines3's A2C), unless <see cref="AlgorithmFactory.OptimizerFactory"/> is set
/// (e.g. <c>AdamOptimizerFactory</c> or an <c>RmsPropOptimizerFactory</c> of other settings).
/// </summary>
public sealed record A2CAlgorithmFactory : ActorCriticAlgorithmFactory<A2cParams>
{
    /// <inheritdoc />
    public override string AlgorithmName => A2cModule.AlgorithmName;

    /// <inheritdoc />
    public override Type AgentType => typeof(A2cAgent);

    /// <inheritdoc />
    public override (int NumEpochs, int EpochNumSteps) DefaultSchedule => (10, 10_000);

    /// <inheritdoc />
    public override AlgorithmFactory WithConfiguration(Configuration configuration, Configuration? nas = null) =>
        (this with { Params = A2cConfigurationMapping.ToParams(configuration, Params) }).WithNas(nas, new A2cModule().NasSpace());

    /// <inheritdoc />
    protected override A2cParams ApplySampling(A2cParams parameters, int? batchSize, int? numSteps, int? numEpochs) =>
        parameters with
        {
            BatchSize = batchSize ?? parameters.BatchSize,
            NumSteps = numSteps ?? parameters.NumSteps,
            UpdateEpochs = numEpochs ?? parameters.UpdateEpochs,
        };

    /// <inheritdoc />
    protected override IAgent CreateAgent(Space observationSpace, Space actionSpace, A2cParams parameters, int seed, Func<Rng, ActorCriticNetwork> network) =>
        new A2cAgent(observationSpace, actionSpace, parameters, seed, network, OptimizerDelegate);
}
