namespace RlExperiments.Tuning;

/// <summary>
/// How the TPE sees one hyperparameter (Optuna's distributions and their internal representation): a categorical as
/// the index of its choice; a float as its value, or its log when log-scaled; an integer as its value, a cell
/// [v − ½, v + ½] (in log space for a log-scaled integer) of a Gaussian kernel in the transformed space.
/// </summary>
internal sealed class TpeDimension
{
    private TpeDimension(Hyperparameter hyperparameter, TpeDimensionKind kind, double low, double high, bool log, int choices)
    {
        Hyperparameter = hyperparameter; Kind = kind; Low = low; High = high; Log = log; Choices = choices;
    }

    /// <summary>The hyperparameter.</summary>
    public Hyperparameter Hyperparameter { get; }
    /// <summary>Categorical, continuous or integer cell.</summary>
    public TpeDimensionKind Kind { get; }
    /// <summary>Lower end of the kernels' support in the transformed space (log(lower − ½) for a log-scaled integer).</summary>
    public double Low { get; }
    /// <summary>Upper end of the kernels' support in the transformed space.</summary>
    public double High { get; }
    /// <summary>Whether the kernels live in log space.</summary>
    public bool Log { get; }
    /// <summary>Number of choices of a categorical (0 otherwise).</summary>
    public int Choices { get; }

    /// <summary>The dimension of a hyperparameter, or null when it can take one value only (nothing to sample).</summary>
    public static TpeDimension? For(Hyperparameter hp) => hp switch
    {
        CategoricalHyperparameter c when c.Choices.Count > 1 => new(hp, TpeDimensionKind.Categorical, 0, 0, false, c.Choices.Count),
        FloatHyperparameter f => f.Log
            ? new(hp, TpeDimensionKind.Continuous, Math.Log(f.Lower), Math.Log(f.Upper), true, 0)
            : new(hp, TpeDimensionKind.Continuous, f.Lower, f.Upper, false, 0),
        IntegerHyperparameter i => i.Log
            ? new(hp, TpeDimensionKind.Discrete, Math.Log(i.Lower - 0.5), Math.Log(i.Upper + 0.5), true, 0)
            : new(hp, TpeDimensionKind.Discrete, i.Lower - 0.5, i.Upper + 0.5, false, 0),
        CategoricalHyperparameter or ConstantHyperparameter => null,
        _ => throw new NotSupportedException($"TPE over {hp.GetType().Name} '{hp.Name}' is not supported."),
    };

    /// <summary>The value's internal representation: choice index, (log-)value of a float, integer value.</summary>
    public double ToInternal(object value) => Kind switch
    {
        TpeDimensionKind.Categorical => ((CategoricalHyperparameter)Hyperparameter).IndexOf(value),
        TpeDimensionKind.Continuous => Transform(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
        _ => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The legal value of an internal representation.</summary>
    public object ToValue(double x)
    {
        switch (Hyperparameter)
        {
            case CategoricalHyperparameter c: return c.Choices[(int)x];
            case FloatHyperparameter f: return Math.Clamp(Log ? Math.Exp(x) : x, f.Lower, f.Upper);
            default:
                var i = (IntegerHyperparameter)Hyperparameter;
                return (long)Math.Clamp(x, i.Lower, i.Upper);
        }
    }

    /// <summary>The space the Gaussian kernels live in: log for log-scaled numerics, else identity.</summary>
    public double Transform(double v) => Log ? Math.Log(v) : v;

    /// <summary>Inverse of <see cref="Transform"/>.</summary>
    public double Untransform(double t) => Log ? Math.Exp(t) : t;
}
