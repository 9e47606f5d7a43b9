using RlExperiments.Factories;

namespace RlExperiments.Experiments.Callbacks;

/// <summary>Sets DQN's training ε to a fixed value at the start of every epoch (Tianshou's <c>EpochTrainCallbackDQNSetEps</c>), replacing the params' ε schedule.</summary>
public sealed record EpochTrainCallbackDQNSetEps : EpochTrainCallback
{
    /// <summary>The training ε. Required. Allowed: [0, 1].</summary>
    public required double Eps { get; init; }

    /// <inheritdoc />
    public override void Validate() => FieldCheck.InRange(nameof(EpochTrainCallbackDQNSetEps), nameof(Eps), Eps, 0, 1, maxInclusive: true);

    /// <inheritdoc />
    public override void CheckApplicable(CallbackCheckContext context) => EpsilonGreedyOnly.Check(nameof(EpochTrainCallbackDQNSetEps), context);

    /// <inheritdoc />
    public override void OnEpochTrain(int epoch, long envStep, TrainingContext context) =>
        EpsilonGreedyOnly.Agent(nameof(EpochTrainCallbackDQNSetEps), context).FixedEpsilon = Eps;
}
