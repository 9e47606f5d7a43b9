namespace RlExperiments.Agents.Training;

/// <summary>
/// A hook the trainers call on every vector step of the training environments and after every update, in
/// Stable-Baselines3's <c>BaseCallback</c> shape: returning false stops training. The stop takes effect at the end of
/// the current collect (off-policy: the step; on-policy: the rollout and its update), then the epoch's test phase runs
/// and the run ends. With no callback registered the trainers do not call anything (no allocation per step).
/// </summary>
public interface IStepCallback
{
    /// <summary>After each vector step of the training environments (SB3's <c>_on_step</c>). Return false to stop training.</summary>
    bool OnStep(in StepInfo info);

    /// <summary>After each update: an off-policy training phase (its gradient steps) or an on-policy rollout's update. Return false to stop training.</summary>
    bool OnUpdate(in StepInfo info);
}
