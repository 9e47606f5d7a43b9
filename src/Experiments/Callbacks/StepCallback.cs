using RlExperiments.Agents.Training;
using RlExperiments.Factories;

namespace RlExperiments.Experiments.Callbacks;

/// <summary>
/// A per-step callback as data (Stable-Baselines3's <c>BaseCallback</c>, next to the epoch callbacks): saved in
/// experiment.json when it is a named, allow-listed record. When a run starts, <see cref="Start"/> makes the live
/// <see cref="IStepCallback"/> the trainer calls on every vector step and after every update; returning false stops
/// training. Derive for your own and allow-list it (<c>TypeAllowList.Default.Allow&lt;T&gt;()</c>); or use a lambda
/// (<see cref="LambdaStepCallback"/>, which runs but is not saved).
/// </summary>
public abstract record StepCallback : IValidatable
{
    /// <summary>Makes the live callback of one run (it may hold state, e.g. the best return so far, and may be <see cref="IDisposable"/>).</summary>
    public abstract IStepCallback Start(TrainingContext context);

    /// <inheritdoc />
    public virtual void Validate() { }

    /// <summary>Throws when the callback cannot work with the experiment (checked at <c>Build()</c>). Default: accepts all.</summary>
    public virtual void CheckApplicable(CallbackCheckContext context) { }
}
