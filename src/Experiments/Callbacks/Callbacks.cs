using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using RlExperiments.Agents;
using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Training;
using RlExperiments.Environments;
using RlExperiments.Factories;

namespace RlExperiments.Experiments.Callbacks;

/// <summary>What epoch callbacks can reach while a run trains (Tianshou's <c>TrainingContext</c>).</summary>
/// <param name="Agent">The agent being trained.</param>
/// <param name="Envs">The run's environments.</param>
/// <param name="Metrics">The run's metrics sink (e.g. to log a schedule value).</param>
/// <param name="Logger">The run's logger.</param>
public sealed record TrainingContext(IAgent Agent, EnvironmentSet Envs, IMetricsSink Metrics, ILogger Logger);

/// <summary>What <c>Build()</c> knows when it checks a callback: the algorithm and the environment.</summary>
/// <param name="AlgorithmName">"DQN", "PPO" or "SAC".</param>
/// <param name="EnvSpec">The environment's registered spec (reward threshold, time limit).</param>
public sealed record CallbackCheckContext(string AlgorithmName, EnvSpec EnvSpec);

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

    /// <inheritdoc />
    public virtual void Validate() { }

    /// <summary>Checks at <c>Build()</c> that the callback fits the algorithm and environment; throws <see cref="ArgumentException"/> if not.</summary>
    public virtual void CheckApplicable(CallbackCheckContext context) { }
}

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

/// <summary>Sets DQN's training ε to a fixed value at the start of every epoch (Tianshou's <c>EpochTrainCallbackDQNSetEps</c>), replacing the params' ε schedule.</summary>
public sealed record EpochTrainCallbackDQNSetEps : EpochTrainCallback
{
    /// <summary>The training ε. Required. Allowed: [0, 1].</summary>
    public required double Eps { get; init; }

    /// <inheritdoc />
    public override void Validate() => FieldCheck.InRange(nameof(EpochTrainCallbackDQNSetEps), nameof(Eps), Eps, 0, 1, maxInclusive: true);

    /// <inheritdoc />
    public override void CheckApplicable(CallbackCheckContext context) => DqnOnly.Check(nameof(EpochTrainCallbackDQNSetEps), context);

    /// <inheritdoc />
    public override void OnEpochTrain(int epoch, long envStep, TrainingContext context) =>
        DqnOnly.Agent(nameof(EpochTrainCallbackDQNSetEps), context).FixedEpsilon = Eps;
}

/// <summary>
/// Decays DQN's training ε linearly from <see cref="EpsTrain"/> to <see cref="EpsTrainFinal"/> over the first
/// <see cref="DecaySteps"/> environment steps, updated at the start of every epoch (Tianshou's
/// <c>EpochTrainCallbackDQNEpsLinearDecay</c>); replaces the params' per-step ε schedule and logs <c>train/eps</c>.
/// </summary>
public sealed record EpochTrainCallbackDQNEpsLinearDecay : EpochTrainCallback
{
    /// <summary>ε at environment step 0. Required. Allowed: [0, 1].</summary>
    public required double EpsTrain { get; init; }

    /// <summary>ε from <see cref="DecaySteps"/> on. Required. Allowed: [0, 1].</summary>
    public required double EpsTrainFinal { get; init; }

    /// <summary>Environment steps over which ε decays. Default: 1,000,000 (Tianshou's). Allowed: an integer ≥ 1.</summary>
    public long DecaySteps { get; init; } = 1_000_000;

    /// <summary>The ε this callback sets at <paramref name="envStep"/>.</summary>
    public double EpsAt(long envStep) =>
        envStep >= DecaySteps ? EpsTrainFinal : EpsTrain + (EpsTrainFinal - EpsTrain) * envStep / DecaySteps;

    /// <inheritdoc />
    public override void Validate()
    {
        FieldCheck.InRange(nameof(EpochTrainCallbackDQNEpsLinearDecay), nameof(EpsTrain), EpsTrain, 0, 1, maxInclusive: true);
        FieldCheck.InRange(nameof(EpochTrainCallbackDQNEpsLinearDecay), nameof(EpsTrainFinal), EpsTrainFinal, 0, 1, maxInclusive: true);
        FieldCheck.AtLeast(nameof(EpochTrainCallbackDQNEpsLinearDecay), nameof(DecaySteps), DecaySteps, 1);
    }

    /// <inheritdoc />
    public override void CheckApplicable(CallbackCheckContext context) => DqnOnly.Check(nameof(EpochTrainCallbackDQNEpsLinearDecay), context);

    /// <inheritdoc />
    public override void OnEpochTrain(int epoch, long envStep, TrainingContext context)
    {
        var eps = EpsAt(envStep);
        DqnOnly.Agent(nameof(EpochTrainCallbackDQNEpsLinearDecay), context).FixedEpsilon = eps;
        context.Metrics.Write("train/eps", eps, envStep);
    }
}

/// <summary>
/// Sets DQN's ε for the test episodes (Tianshou's <c>EpochTestCallbackDQNSetEps</c>); the test then uses ε-greedy actions
/// instead of greedy ones. Training ε is restored from the schedule (or the train callback) at the next training step.
/// </summary>
public sealed record EpochTestCallbackDQNSetEps : EpochTestCallback
{
    /// <summary>The test ε. Required. Allowed: [0, 1].</summary>
    public required double Eps { get; init; }

    /// <inheritdoc />
    public override bool RequiresStochasticTest => true;

    /// <inheritdoc />
    public override void Validate() => FieldCheck.InRange(nameof(EpochTestCallbackDQNSetEps), nameof(Eps), Eps, 0, 1, maxInclusive: true);

    /// <inheritdoc />
    public override void CheckApplicable(CallbackCheckContext context) => DqnOnly.Check(nameof(EpochTestCallbackDQNSetEps), context);

    /// <inheritdoc />
    public override void OnEpochTest(int epoch, long envStep, TrainingContext context) =>
        DqnOnly.Agent(nameof(EpochTestCallbackDQNSetEps), context).Epsilon = Eps;
}

/// <summary>
/// A marker for callbacks that are code (lambdas) rather than data: they run like any other callback but cannot be
/// saved in <c>experiment.json</c>. <c>Experiment.Save</c> names them and refuses (unless told to drop them).
/// </summary>
public interface ICodeCallback
{
    /// <summary>A description for messages, e.g. the delegate's method name.</summary>
    string Description { get; }
}

/// <summary>An <see cref="EpochTrainCallback"/> from a delegate. Runs, but cannot be saved.</summary>
/// <param name="Callback">The delegate.</param>
public sealed record LambdaEpochTrainCallback(Action<int, long, TrainingContext> Callback) : EpochTrainCallback, ICodeCallback
{
    /// <inheritdoc />
    public string Description => LambdaNames.Describe(Callback);

    /// <inheritdoc />
    public override void OnEpochTrain(int epoch, long envStep, TrainingContext context) => Callback(epoch, envStep, context);
}

/// <summary>An <see cref="EpochTestCallback"/> from a delegate. Runs, but cannot be saved.</summary>
/// <param name="Callback">The delegate.</param>
public sealed record LambdaEpochTestCallback(Action<int, long, TrainingContext> Callback) : EpochTestCallback, ICodeCallback
{
    /// <inheritdoc />
    public string Description => LambdaNames.Describe(Callback);

    /// <inheritdoc />
    public override void OnEpochTest(int epoch, long envStep, TrainingContext context) => Callback(epoch, envStep, context);
}

/// <summary>An <see cref="EpochStopCallback"/> from a delegate. Runs, but cannot be saved.</summary>
/// <param name="Callback">The delegate.</param>
public sealed record LambdaEpochStopCallback(Func<EpochInfo, TrainingContext, bool> Callback) : EpochStopCallback, ICodeCallback
{
    /// <inheritdoc />
    public string Description => LambdaNames.Describe(Callback);

    /// <inheritdoc />
    public override bool ShouldStop(EpochInfo info, TrainingContext context) => Callback(info, context);
}

internal static class LambdaNames
{
    public static string Describe(Delegate d) =>
        d is null ? "null" : $"lambda {d.Method.DeclaringType?.Name ?? "?"}.{d.Method.Name}";
}

internal static class DqnOnly
{
    public static void Check(string owner, CallbackCheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.AlgorithmName != "DQN")
            throw new ArgumentException($"{owner} applies to DQN only; this experiment uses {context.AlgorithmName}. Remove the callback.", owner);
    }

    public static IEpsilonGreedy Agent(string owner, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Agent as IEpsilonGreedy
            ?? throw new InvalidOperationException($"{owner} needs an ε-greedy agent (IEpsilonGreedy, e.g. DqnAgent); the agent is a {context.Agent.GetType().Name}.");
    }
}
