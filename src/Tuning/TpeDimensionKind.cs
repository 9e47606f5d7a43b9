namespace RlExperiments.Tuning;

/// <summary>What kind of kernel a <see cref="TpeDimension"/> gets.</summary>
internal enum TpeDimensionKind
{
    /// <summary>A categorical: a smoothed probability table per kernel.</summary>
    Categorical,
    /// <summary>A float: a truncated Gaussian density per kernel.</summary>
    Continuous,
    /// <summary>An integer: a truncated Gaussian's mass over the value's cell per kernel.</summary>
    Discrete,
}
