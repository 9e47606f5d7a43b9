using RlExperiments.Agents.Training;
using RlExperiments.Environments;
using RlExperiments.Factories;

namespace RlExperiments.Experiments.Callbacks;

/// <summary>
/// Stops training once the mean test return reaches <see cref="Threshold"/> (Tianshou's
/// <c>EpochStopCallbackRewardThreshold</c>): <c>testReturnMean ≥ threshold</c>.
/// </summary>
public sealed record EpochStopCallbackRewardThreshold : EpochStopCallback
{
    /// <summary>
    /// The return to reach. Default: null, meaning the environment's registered reward threshold (e.g. 475 for
    /// CartPole-v1). Allowed: null (then the environment must have a threshold) or a finite number.
    /// </summary>
    public double? Threshold { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        if (Threshold is { } t && !double.IsFinite(t))
            throw FieldCheck.OutOfRange(nameof(EpochStopCallbackRewardThreshold), nameof(Threshold), t, "a finite number, or null for the environment's reward threshold");
    }

    /// <inheritdoc />
    public override void CheckApplicable(CallbackCheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Threshold is null && context.EnvSpec.RewardThreshold is null)
            throw new ArgumentException(
                $"{nameof(EpochStopCallbackRewardThreshold)}.{nameof(Threshold)} = null is invalid for {context.EnvSpec.Id}, which has no registered reward threshold; allowed: a finite number.",
                nameof(Threshold));
    }

    /// <inheritdoc />
    public override bool ShouldStop(EpochInfo info, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var threshold = Threshold ?? context.Envs.RewardThreshold
            ?? throw new InvalidOperationException($"{context.Envs.EnvId} has no reward threshold; set {nameof(EpochStopCallbackRewardThreshold)}.{nameof(Threshold)}.");
        return !double.IsNaN(info.TestReturnMean) && info.TestReturnMean >= threshold;
    }
}
