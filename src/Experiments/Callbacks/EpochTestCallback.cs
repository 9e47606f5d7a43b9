using Newtonsoft.Json;
using RlExperiments.Factories;

namespace RlExperiments.Experiments.Callbacks;

/// <summary>
/// A callback run before each test phase (Tianshou's <c>EpochTestCallback</c>), e.g. to set a test ε. See
/// <see cref="EpochTrainCallback"/> on persistence.
/// </summary>
public abstract record EpochTestCallback : IValidatable
{
    /// <summary>Called with the epoch just trained and the environment steps so far.</summary>
    public abstract void OnEpochTest(int epoch, long envStep, TrainingContext context);

    /// <summary>
    /// True when the test episodes must use the exploring policy (<c>deterministic: false</c>), e.g. because this
    /// callback sets a test ε. Default: false (greedy/mean actions).
    /// </summary>
    [JsonIgnore]
    public virtual bool RequiresStochasticTest => false;

    /// <summary>
    /// The ε an ε-greedy agent tests with (the trainer's <see cref="Agents.Training.TrainerConfig.EvalEps"/>, which puts the
    /// training ε back after the test), or null. Default: null.
    /// </summary>
    [JsonIgnore]
    public virtual double? TestEpsilon => null;

    /// <inheritdoc />
    public virtual void Validate() { }

    /// <summary>Checks at <c>Build()</c> that the callback fits the algorithm and environment; throws <see cref="ArgumentException"/> if not.</summary>
    public virtual void CheckApplicable(CallbackCheckContext context) { }
}
