using RlExperiments.Core;
using RlExperiments.Agents.Networks;
using RlExperiments.Agents;
using RlExperiments.Agents.Algorithms.Npg;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Npg;

/// <summary>
/// The natural policy gradient (<see cref="NpgAgent"/>) with optional actor and critic factories (always separate networks: <see cref="ActorCriticAlgorithmFactory{TParams}.CriticUseActor"/> is refused).
/// The critic's optimiser is Adam with <see cref="Agents.PolicyGradient.NaturalGradientParams.LearningRate"/> unless
/// <see cref="AlgorithmFactory.OptimizerFactory"/> is set; the actor moves by the natural-gradient step.
/// </summary>
public sealed record NPGAlgorithmFactory : ActorCriticAlgorithmFactory<NpgParams>
{
    /// <inheritdoc />
    public override string AlgorithmName => NpgModule.AlgorithmName;

    /// <inheritdoc />
    public override Type AgentType => typeof(NpgAgent);

    /// <inheritdoc />
    public override (int NumEpochs, int EpochNumSteps) DefaultSchedule => (10, 10_240);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (CriticUseActor)
            throw new ArgumentException($"{nameof(NPGAlgorithmFactory)}.{nameof(CriticUseActor)} = true is invalid: NPG fits the critic apart from the natural-gradient step of the actor; allowed: false.", nameof(CriticUseActor));
    }

    /// <inheritdoc />
    public override AlgorithmFactory WithConfiguration(Configuration configuration, Configuration? nas = null) =>
        (this with { Params = NpgConfigurationMapping.ToParams(configuration, Params) }).WithNas(nas, new NpgModule().NasSpace());

    /// <inheritdoc />
    protected override NpgParams ApplySampling(NpgParams parameters, int? batchSize, int? numSteps, int? numEpochs) =>
        parameters with
        {
            BatchSize = batchSize ?? parameters.BatchSize,
            NumSteps = numSteps ?? parameters.NumSteps,
            UpdateEpochs = numEpochs ?? parameters.UpdateEpochs,
        };

    /// <inheritdoc />
    protected override IAgent CreateAgent(Space observationSpace, Space actionSpace, NpgParams parameters, int seed, Func<Rng, ActorCriticNetwork> network) =>
        new NpgAgent(observationSpace, actionSpace, parameters, seed, network, OptimizerDelegate);
}
