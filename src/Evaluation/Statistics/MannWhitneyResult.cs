namespace RlExperiments.Evaluation.Statistics;

/// <summary>Outcome of <see cref="MannWhitney.Test"/>.</summary>
/// <param name="U">U statistic of the first sample (the number of pairs in which it is larger, ties counting half).</param>
/// <param name="Z">Standardised statistic with tie and continuity corrections (≥ −0.5/σ; 0 when every value is tied).</param>
/// <param name="PValue">Two-sided p-value of the normal approximation.</param>
public sealed record MannWhitneyResult(double U, double Z, double PValue);
