using RlExperiments.Core;
using RlExperiments.Agents.Networks;
using RlExperiments.Agents;
using RlExperiments.Agents.Algorithms.Trpo;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Trpo;

/// <summary>
/// Trust region policy optimisation (<see cref="TrpoAgent"/>) with optional actor and critic factories (always separate networks: <see cref="ActorCriticAlgorithmFactory{TParams}.CriticUseActor"/> is refused).
/// The critic's optimiser is Adam with <see cref="Agents.PolicyGradient.NaturalGradientParams.LearningRate"/> unless
/// <see cref="AlgorithmFactory.OptimizerFactory"/> is set; the actor moves by the natural-gradient step under the line search.
/// </summary>
public sealed record TRPOAlgorithmFactory : ActorCriticAlgorithmFactory<TrpoParams>
{
    /// <inheritdoc />
    public override string AlgorithmName => TrpoModule.AlgorithmName;

    /// <inheritdoc />
    public override Type AgentType => typeof(TrpoAgent);

    /// <inheritdoc />
    public override (int NumEpochs, int EpochNumSteps) DefaultSchedule => (10, 10_240);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (CriticUseActor)
            throw new ArgumentException($"{nameof(TRPOAlgorithmFactory)}.{nameof(CriticUseActor)} = true is invalid: TRPO fits the critic apart from the natural-gradient step of the actor; allowed: false.", nameof(CriticUseActor));
    }

    /// <inheritdoc />
    public override AlgorithmFactory WithConfiguration(Configuration configuration, Configuration? nas = null) =>
        (this with { Params = TrpoConfigurationMapping.ToParams(configuration, Params) }).WithNas(nas, new TrpoModule().NasSpace());

    /// <inheritdoc />
    protected override TrpoParams ApplySampling(TrpoParams parameters, int? batchSize, int? numSteps, int? numEpochs) =>
        parameters with
        {
            BatchSize = batchSize ?? parameters.BatchSize,
            NumSteps = numSteps ?? parameters.NumSteps,
            UpdateEpochs = numEpochs ?? parameters.UpdateEpochs,
        };

    /// <inheritdoc />
    protected override IAgent CreateAgent(Space observationSpace, Space actionSpace, TrpoParams parameters, int seed, Func<Rng, ActorCriticNetwork> network) =>
        new TrpoAgent(observationSpace, actionSpace, parameters, seed, network, OptimizerDelegate);
}
