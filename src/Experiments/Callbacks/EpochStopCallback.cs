using RlExperiments.Agents.Training;
using RlExperiments.Factories;

namespace RlExperiments.Experiments.Callbacks;

/// <summary>
/// Decides after each test phase whether to stop training (Tianshou's <c>EpochStopCallback</c>). See
/// <see cref="EpochTrainCallback"/> on persistence.
/// </summary>
public abstract record EpochStopCallback : IValidatable
{
    /// <summary>Returns true to stop; <paramref name="info"/> holds the epoch's mean test return (NaN without testing).</summary>
    public abstract bool ShouldStop(EpochInfo info, TrainingContext context);

    /// <inheritdoc />
    public virtual void Validate() { }

    /// <summary>Checks at <c>Build()</c> that the callback fits the algorithm and environment; throws <see cref="ArgumentException"/> if not.</summary>
    public virtual void CheckApplicable(CallbackCheckContext context) { }
}
