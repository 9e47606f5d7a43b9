
namespace RlExperiments.Experiments.Callbacks;

/// <summary>An <see cref="EpochTestCallback"/> from a delegate. Runs, but cannot be saved.</summary>
/// <param name="Callback">The delegate.</param>
public sealed record LambdaEpochTestCallback(Action<int, long, TrainingContext> Callback) : EpochTestCallback, ICodeCallback
{
    /// <inheritdoc />
    public string Description => LambdaNames.Describe(Callback);

    /// <inheritdoc />
    public override void OnEpochTest(int epoch, long envStep, TrainingContext context) => Callback(epoch, envStep, context);
}
