using RlExperiments.Core;

namespace RlExperiments.Tuning;

/// <summary>Base type of a hyperparameter in a <see cref="ConfigurationSpace"/>.</summary>
public abstract record Hyperparameter
{
    /// <summary>Creates a hyperparameter with the given name.</summary>
    /// <param name="name">Unique name within a space.</param>
    protected Hyperparameter(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("Hyperparameter name must not be empty.", nameof(name));
        Name = name;
    }

    /// <summary>Unique name of the hyperparameter.</summary>
    public string Name { get; }

    /// <summary>Default value (double, long, string or bool).</summary>
    public abstract object Default { get; }

    /// <summary>Draws a value from the prior (uniform, log-uniform for log-scaled numerics).</summary>
    /// <param name="rng">Seeded random source.</param>
    public abstract object Sample(Rng rng);

    /// <summary>Returns an error message when <paramref name="value"/> is not legal, otherwise null.</summary>
    /// <param name="value">Candidate value.</param>
    public abstract string? Check(object value);

    /// <summary>Converts a value read from JSON (long for integral numbers) to this hyperparameter's value type.</summary>
    /// <param name="value">Raw value.</param>
    public virtual object Coerce(object value) => ConfigValues.Normalize(value);
}

/// <summary>A hyperparameter taking one of a fixed list of choices.</summary>
public sealed record CategoricalHyperparameter : Hyperparameter
{
    /// <summary>Creates a categorical hyperparameter.</summary>
    /// <param name="name">Name.</param>
    /// <param name="choices">Distinct choices (double, long/int, string or bool).</param>
    /// <param name="defaultValue">Default choice; the first choice when null.</param>
    public CategoricalHyperparameter(string name, IEnumerable<object> choices, object? defaultValue = null) : base(name)
    {
        Choices = choices.Select(ConfigValues.Normalize).ToArray();
        if (Choices.Count == 0) throw new ArgumentException($"Categorical '{name}' needs at least one choice.", nameof(choices));
        if (Choices.Distinct().Count() != Choices.Count) throw new ArgumentException($"Categorical '{name}' has duplicate choices.", nameof(choices));
        var d = defaultValue is null ? Choices[0] : ConfigValues.Normalize(defaultValue);
        if (IndexOf(d) < 0) throw new ArgumentException($"Default {ConfigValues.Format(d)} of '{name}' is not one of its choices.", nameof(defaultValue));
        Default = d;
    }

    /// <summary>The choices.</summary>
    public IReadOnlyList<object> Choices { get; }

    /// <inheritdoc />
    public override object Default { get; }

    /// <summary>Index of a value in <see cref="Choices"/>, or -1.</summary>
    /// <param name="value">Value to look up.</param>
    public int IndexOf(object value)
    {
        var v = ConfigValues.Normalize(value);
        for (int i = 0; i < Choices.Count; i++)
            if (ConfigValues.AreEqual(Choices[i], v)) return i;
        return -1;
    }

    /// <inheritdoc />
    public override object Sample(Rng rng) => Choices[rng.NextInt(Choices.Count)];

    /// <inheritdoc />
    public override string? Check(object value) => IndexOf(value) >= 0 ? null
        : $"Value {ConfigValues.Format(value)} of '{Name}' is not one of {{{string.Join(", ", Choices.Select(ConfigValues.Format))}}}.";

    /// <inheritdoc />
    public override object Coerce(object value)
    {
        var v = ConfigValues.Normalize(value);
        if (IndexOf(v) >= 0) return Choices[IndexOf(v)];
        if (v is long l && Choices.Any(c => c is double)) return (double)l;
        return v;
    }
}

/// <summary>A real-valued hyperparameter in [lower, upper], optionally log-scaled.</summary>
public sealed record FloatHyperparameter : Hyperparameter
{
    /// <summary>Creates a float hyperparameter.</summary>
    /// <param name="name">Name.</param>
    /// <param name="lower">Inclusive lower bound.</param>
    /// <param name="upper">Inclusive upper bound (greater than lower).</param>
    /// <param name="defaultValue">Default; the (geometric, when log) midpoint when null.</param>
    /// <param name="log">Sample log-uniformly (needs lower &gt; 0).</param>
    public FloatHyperparameter(string name, double lower, double upper, double? defaultValue = null, bool log = false) : base(name)
    {
        if (!(lower < upper) || double.IsInfinity(lower) || double.IsInfinity(upper)) throw new ArgumentException($"Float '{name}' needs finite lower < upper, got [{lower}, {upper}].");
        if (log && lower <= 0) throw new ArgumentException($"Log-scaled float '{name}' needs lower > 0, got {lower}.");
        Lower = lower; Upper = upper; Log = log;
        DefaultValue = defaultValue ?? (log ? Math.Sqrt(lower * upper) : (lower + upper) / 2);
        if (DefaultValue < lower || DefaultValue > upper) throw new ArgumentException($"Default {DefaultValue} of '{name}' is outside [{lower}, {upper}].");
    }

    /// <summary>Inclusive lower bound.</summary>
    public double Lower { get; }
    /// <summary>Inclusive upper bound.</summary>
    public double Upper { get; }
    /// <summary>Whether the hyperparameter is log-scaled.</summary>
    public bool Log { get; }
    /// <summary>Default value.</summary>
    public double DefaultValue { get; }

    /// <inheritdoc />
    public override object Default => DefaultValue;

    /// <inheritdoc />
    public override object Sample(Rng rng) => Log
        ? Math.Clamp(Math.Exp(rng.Uniform(Math.Log(Lower), Math.Log(Upper))), Lower, Upper)
        : rng.Uniform(Lower, Upper);

    /// <inheritdoc />
    public override string? Check(object value)
    {
        if (ConfigValues.Normalize(value) is not double d) return $"Value {ConfigValues.Format(value)} of '{Name}' is not a floating-point number.";
        return d >= Lower && d <= Upper ? null : $"Value {ConfigValues.Format(d)} of '{Name}' is outside the range [{ConfigValues.Format(Lower)}, {ConfigValues.Format(Upper)}].";
    }

    /// <inheritdoc />
    public override object Coerce(object value) => ConfigValues.Normalize(value) is long l ? (double)l : ConfigValues.Normalize(value);
}

/// <summary>An integer hyperparameter in [lower, upper], optionally log-scaled.</summary>
public sealed record IntegerHyperparameter : Hyperparameter
{
    /// <summary>Creates an integer hyperparameter.</summary>
    /// <param name="name">Name.</param>
    /// <param name="lower">Inclusive lower bound.</param>
    /// <param name="upper">Inclusive upper bound (greater than lower).</param>
    /// <param name="defaultValue">Default; the rounded (geometric, when log) midpoint when null.</param>
    /// <param name="log">Sample log-uniformly (needs lower &gt; 0).</param>
    public IntegerHyperparameter(string name, long lower, long upper, long? defaultValue = null, bool log = false) : base(name)
    {
        if (lower >= upper) throw new ArgumentException($"Integer '{name}' needs lower < upper, got [{lower}, {upper}].");
        if (log && lower <= 0) throw new ArgumentException($"Log-scaled integer '{name}' needs lower > 0, got {lower}.");
        Lower = lower; Upper = upper; Log = log;
        DefaultValue = defaultValue ?? (long)Math.Round(log ? Math.Sqrt((double)lower * upper) : (lower + upper) / 2.0);
        if (DefaultValue < lower || DefaultValue > upper) throw new ArgumentException($"Default {DefaultValue} of '{name}' is outside [{lower}, {upper}].");
    }

    /// <summary>Inclusive lower bound.</summary>
    public long Lower { get; }
    /// <summary>Inclusive upper bound.</summary>
    public long Upper { get; }
    /// <summary>Whether the hyperparameter is log-scaled.</summary>
    public bool Log { get; }
    /// <summary>Default value.</summary>
    public long DefaultValue { get; }

    /// <inheritdoc />
    public override object Default => DefaultValue;

    /// <summary>Lower bound of the continuous (log-)transformed interval whose rounding gives the integers.</summary>
    internal double TransformedLow => Log ? Math.Log(Lower - 0.5) : Lower - 0.5;
    /// <summary>Upper bound of the continuous (log-)transformed interval.</summary>
    internal double TransformedHigh => Log ? Math.Log(Upper + 0.5) : Upper + 0.5;

    /// <summary>Maps a value from the transformed continuous space back to a legal integer.</summary>
    internal long FromTransformed(double x) => Math.Clamp((long)Math.Round(Log ? Math.Exp(x) : x), Lower, Upper);

    /// <inheritdoc />
    public override object Sample(Rng rng) => FromTransformed(rng.Uniform(TransformedLow, TransformedHigh));

    /// <inheritdoc />
    public override string? Check(object value)
    {
        if (ConfigValues.Normalize(value) is not long l) return $"Value {ConfigValues.Format(value)} of '{Name}' is not an integer.";
        return l >= Lower && l <= Upper ? null : $"Value {l} of '{Name}' is outside the range [{Lower}, {Upper}].";
    }

    /// <inheritdoc />
    public override object Coerce(object value) =>
        ConfigValues.Normalize(value) is double d && d == Math.Floor(d) && Math.Abs(d) < 9e15 ? (long)d : ConfigValues.Normalize(value);
}

/// <summary>A hyperparameter with a single fixed value.</summary>
public sealed record ConstantHyperparameter : Hyperparameter
{
    /// <summary>Creates a constant.</summary>
    /// <param name="name">Name.</param>
    /// <param name="value">The value (double, long/int, string or bool).</param>
    public ConstantHyperparameter(string name, object value) : base(name) => Value = ConfigValues.Normalize(value);

    /// <summary>The value.</summary>
    public object Value { get; }

    /// <inheritdoc />
    public override object Default => Value;

    /// <inheritdoc />
    public override object Sample(Rng rng) => Value;

    /// <inheritdoc />
    public override string? Check(object value) => ConfigValues.AreEqual(value, Value) ? null
        : $"Value {ConfigValues.Format(value)} of '{Name}' differs from its constant {ConfigValues.Format(Value)}.";
}

/// <summary>Helpers for configuration values (double, long, string, bool).</summary>
public static class ConfigValues
{
    /// <summary>Normalises integral types to long and float to double; rejects unsupported types.</summary>
    /// <param name="value">Value to normalise.</param>
    public static object Normalize(object value) => value switch
    {
        null => throw new ArgumentNullException(nameof(value)),
        double or long or string or bool => value,
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        uint u => (long)u,
        float f => (double)f,
        decimal m => (double)m,
        _ => throw new ArgumentException($"Unsupported hyperparameter value type {value.GetType().Name}; use double, long, string or bool."),
    };

    /// <summary>Value equality after normalisation.</summary>
    /// <param name="a">First value.</param>
    /// <param name="b">Second value.</param>
    public static bool AreEqual(object a, object b) => Normalize(a).Equals(Normalize(b));

    /// <summary>Invariant text form of a value.</summary>
    /// <param name="value">Value.</param>
    public static string Format(object value) => value switch
    {
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        string s => "'" + s + "'",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "null",
    };
}
