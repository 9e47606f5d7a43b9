using RlExperiments.Agents.Training;

namespace RlExperiments.Experiments.Callbacks;

/// <summary>A per-step callback from code: <paramref name="OnStep"/> after every vector step, <paramref name="OnUpdate"/> (optional) after every update; false stops training. Runs, but cannot be saved.</summary>
/// <param name="OnStep">Called after every vector step of the training environments.</param>
/// <param name="OnUpdate">Called after every update; null for none.</param>
public sealed record LambdaStepCallback(Func<StepInfo, TrainingContext, bool> OnStep, Func<StepInfo, TrainingContext, bool>? OnUpdate = null)
    : StepCallback, ICodeCallback
{
    /// <inheritdoc />
    public string Description => LambdaNames.Describe(OnStep);

    /// <inheritdoc />
    public override IStepCallback Start(TrainingContext context) => new Live(this, context);

    private sealed class Live(LambdaStepCallback owner, TrainingContext context) : IStepCallback
    {
        public bool OnStep(in StepInfo info) => owner.OnStep(info, context);

        public bool OnUpdate(in StepInfo info) => owner.OnUpdate?.Invoke(info, context) ?? true;
    }
}
