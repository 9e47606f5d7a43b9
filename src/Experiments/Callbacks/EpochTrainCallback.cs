using RlExperiments.Factories;

namespace RlExperiments.Experiments.Callbacks;

/// <summary>
/// A callback run at the start of each epoch, before its training steps (Tianshou's <c>EpochTrainCallback</c>). A named
/// record of plain values is saved with the experiment (allow-list your own types); a lambda
/// (<see cref="LambdaEpochTrainCallback"/>) works but cannot be saved.
/// </summary>
public abstract record EpochTrainCallback : IValidatable
{
    /// <summary>Called with the epoch about to run (1-based) and the environment steps so far.</summary>
    public abstract void OnEpochTrain(int epoch, long envStep, TrainingContext context);

    /// <inheritdoc />
    public virtual void Validate() { }

    /// <summary>Checks at <c>Build()</c> that the callback fits the algorithm and environment; throws <see cref="ArgumentException"/> if not.</summary>
    public virtual void CheckApplicable(CallbackCheckContext context) { }
}
