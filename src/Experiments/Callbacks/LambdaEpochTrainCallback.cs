
namespace RlExperiments.Experiments.Callbacks;

/// <summary>An <see cref="EpochTrainCallback"/> from a delegate. Runs, but cannot be saved.</summary>
/// <param name="Callback">The delegate.</param>
public sealed record LambdaEpochTrainCallback(Action<int, long, TrainingContext> Callback) : EpochTrainCallback, ICodeCallback
{
    /// <inheritdoc />
    public string Description => LambdaNames.Describe(Callback);

    /// <inheritdoc />
    public override void OnEpochTrain(int epoch, long envStep, TrainingContext context) => Callback(epoch, envStep, context);
}
