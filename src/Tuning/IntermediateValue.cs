namespace RlExperiments.Tuning;

/// <summary>A value a trial reported at a step through <see cref="TrialContext.Report"/> (what a pruner looks at).</summary>
/// <param name="Step">The step (the caller decides its unit: environment steps, AutoRL steps, epochs).</param>
/// <param name="Value">The reported value (NaN when the objective reported NaN).</param>
public sealed record IntermediateValue(long Step, double Value);
