namespace RlExperiments.Tuning;

/// <summary>One evaluated (or running) configuration.</summary>
/// <param name="Configuration">The configuration.</param>
/// <param name="Value">Objective value; null unless complete.</param>
/// <param name="State">Trial state.</param>
public sealed record Trial(Configuration Configuration, double? Value, TrialState State);
