namespace RlExperiments.Tuning;

/// <summary>
/// Thrown by an objective to stop its trial early (Optuna's <c>TrialPruned</c>), usually after
/// <see cref="TrialContext.ShouldPrune"/> returned true. The trial is recorded <see cref="TrialState.Pruned"/> with its
/// last intermediate value.
/// </summary>
public sealed class TrialPrunedException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public TrialPrunedException() : base("The trial was pruned.") { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why the trial was pruned.</param>
    public TrialPrunedException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why the trial was pruned.</param>
    /// <param name="innerException">The cause.</param>
    public TrialPrunedException(string message, Exception innerException) : base(message, innerException) { }
}
