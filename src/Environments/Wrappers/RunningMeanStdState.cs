namespace RlExperiments.Environments.Wrappers;

/// <summary>A snapshot of a <see cref="RunningMeanStd"/>, for checkpoints (plain arrays, JSON-friendly).</summary>
/// <param name="Mean">Per-element running mean.</param>
/// <param name="Var">Per-element running (population) variance.</param>
/// <param name="Count">The (fractional) number of samples seen, starting at epsilon.</param>
public sealed record RunningMeanStdState(double[] Mean, double[] Var, double Count);
