namespace RlExperiments.Tuning;

/// <summary>One trial of a study as stored (Optuna's <c>FrozenTrial</c>).</summary>
/// <param name="Number">Trial number, 0-based, unique in the study, in creation order.</param>
/// <param name="State">Trial state.</param>
/// <param name="Configuration">The evaluated configuration.</param>
/// <param name="Value">Objective value when complete; the last intermediate value when pruned; otherwise null.</param>
/// <param name="Error">Why the trial failed (exception type and message, "objective returned NaN", "stale: ..."); null otherwise.</param>
/// <param name="StartedUtc">When the trial started running (null while waiting).</param>
/// <param name="CompletedUtc">When the trial finished (null while waiting or running).</param>
/// <param name="HeartbeatUtc">Last sign of life of the process running it.</param>
/// <param name="SessionId">Id of the optimizer session (one <see cref="HyperparameterOptimizer.Optimize(ConfigurationSpace, Func{TrialContext, double})"/> call) that ran it.</param>
/// <param name="RequeuedFrom">Number of the stale trial whose configuration this trial re-runs; null otherwise.</param>
/// <param name="IntermediateValues">Reported intermediate values, ordered by step.</param>
public sealed record StudyTrial(
    int Number,
    TrialState State,
    Configuration Configuration,
    double? Value,
    string? Error,
    DateTime? StartedUtc,
    DateTime? CompletedUtc,
    DateTime? HeartbeatUtc,
    string? SessionId,
    int? RequeuedFrom,
    IReadOnlyList<IntermediateValue> IntermediateValues)
{
    /// <summary>Wall time from start to completion; null unless finished.</summary>
    public TimeSpan? Duration => StartedUtc is { } s && CompletedUtc is { } c ? c - s : null;

    /// <summary>Whether the trial is finished (complete, pruned or failed).</summary>
    public bool IsFinished => State is TrialState.Complete or TrialState.Pruned or TrialState.Failed;

    /// <summary>The last reported intermediate value (largest step); null when none was reported.</summary>
    public IntermediateValue? LastIntermediateValue => IntermediateValues.Count == 0 ? null : IntermediateValues[^1];

    /// <summary>The trial as a sampler sees it.</summary>
    public Trial ToTrial() => new(Configuration, State == TrialState.Complete ? Value : null, State) { StartedUtc = StartedUtc, CompletedUtc = CompletedUtc };
}
