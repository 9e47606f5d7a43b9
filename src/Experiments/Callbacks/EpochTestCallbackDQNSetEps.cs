using RlExperiments.Factories;

namespace RlExperiments.Experiments.Callbacks;

/// <summary>
/// Sets DQN's ε for the test episodes (Tianshou's <c>EpochTestCallbackDQNSetEps</c>); the test then uses ε-greedy actions
/// instead of greedy ones. It is the trainer's <see cref="Agents.Training.TrainerConfig.EvalEps"/> (the evaluation applies
/// it and puts the training ε back), the same semantic as the AutoRL environment's <c>EvalEps</c>.
/// </summary>
public sealed record EpochTestCallbackDQNSetEps : EpochTestCallback
{
    /// <summary>The test ε. Required. Allowed: [0, 1].</summary>
    public required double Eps { get; init; }

    /// <inheritdoc />
    public override bool RequiresStochasticTest => true;

    /// <inheritdoc />
    public override void Validate() => FieldCheck.InRange(nameof(EpochTestCallbackDQNSetEps), nameof(Eps), Eps, 0, 1, maxInclusive: true);

    /// <inheritdoc />
    public override void CheckApplicable(CallbackCheckContext context) => EpsilonGreedyOnly.Check(nameof(EpochTestCallbackDQNSetEps), context);

    /// <inheritdoc />
    public override double? TestEpsilon => Eps;

    /// <inheritdoc />
    public override void OnEpochTest(int epoch, long envStep, TrainingContext context) =>
        EpsilonGreedyOnly.Agent(nameof(EpochTestCallbackDQNSetEps), context);
}
