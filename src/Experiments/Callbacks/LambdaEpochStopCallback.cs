using RlExperiments.Agents.Training;

namespace RlExperiments.Experiments.Callbacks;

/// <summary>An <see cref="EpochStopCallback"/> from a delegate. Runs, but cannot be saved.</summary>
/// <param name="Callback">The delegate.</param>
public sealed record LambdaEpochStopCallback(Func<EpochInfo, TrainingContext, bool> Callback) : EpochStopCallback, ICodeCallback
{
    /// <inheritdoc />
    public string Description => LambdaNames.Describe(Callback);

    /// <inheritdoc />
    public override bool ShouldStop(EpochInfo info, TrainingContext context) => Callback(info, context);
}
