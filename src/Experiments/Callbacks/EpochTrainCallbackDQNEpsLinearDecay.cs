using RlExperiments.Factories;

namespace RlExperiments.Experiments.Callbacks;

/// <summary>
/// Decays DQN's training ε linearly from <see cref="EpsTrain"/> to <see cref="EpsTrainFinal"/> over the first
/// <see cref="DecaySteps"/> environment steps, updated at the start of every epoch (Tianshou's
/// <c>EpochTrainCallbackDQNEpsLinearDecay</c>); replaces the params' per-step ε schedule and logs <c>train/eps</c>.
/// </summary>
public sealed record EpochTrainCallbackDQNEpsLinearDecay : EpochTrainCallback
{
    /// <summary>ε at environment step 0. Required. Allowed: [0, 1].</summary>
    public required double EpsTrain { get; init; }

    /// <summary>ε from <see cref="DecaySteps"/> on. Required. Allowed: [0, 1].</summary>
    public required double EpsTrainFinal { get; init; }

    /// <summary>Environment steps over which ε decays. Default: 1,000,000 (Tianshou's). Allowed: an integer ≥ 1.</summary>
    public long DecaySteps { get; init; } = 1_000_000;

    /// <summary>The ε this callback sets at <paramref name="envStep"/>.</summary>
    public double EpsAt(long envStep) =>
        envStep >= DecaySteps ? EpsTrainFinal : EpsTrain + (EpsTrainFinal - EpsTrain) * envStep / DecaySteps;

    /// <inheritdoc />
    public override void Validate()
    {
        FieldCheck.InRange(nameof(EpochTrainCallbackDQNEpsLinearDecay), nameof(EpsTrain), EpsTrain, 0, 1, maxInclusive: true);
        FieldCheck.InRange(nameof(EpochTrainCallbackDQNEpsLinearDecay), nameof(EpsTrainFinal), EpsTrainFinal, 0, 1, maxInclusive: true);
        FieldCheck.AtLeast(nameof(EpochTrainCallbackDQNEpsLinearDecay), nameof(DecaySteps), DecaySteps, 1);
    }

    /// <inheritdoc />
    public override void CheckApplicable(CallbackCheckContext context) => EpsilonGreedyOnly.Check(nameof(EpochTrainCallbackDQNEpsLinearDecay), context);

    /// <inheritdoc />
    public override void OnEpochTrain(int epoch, long envStep, TrainingContext context)
    {
        var eps = EpsAt(envStep);
        EpsilonGreedyOnly.Agent(nameof(EpochTrainCallbackDQNEpsLinearDecay), context).FixedEpsilon = eps;
        context.Metrics.Write("train/eps", eps, envStep);
    }
}
