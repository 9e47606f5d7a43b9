namespace RlExperiments.Tuning;

/// <summary>
/// A ConfigSpace-style forbidden clause: a combination of hyperparameter values that a <see cref="ConfigurationSpace"/>
/// excludes. A clause only applies when every hyperparameter it names is active (present); otherwise it forbids nothing.
/// </summary>
public abstract record ForbiddenClause
{
    /// <summary>The hyperparameters the clause names (each must be in the space it is added to).</summary>
    public abstract IReadOnlyList<string> HyperparameterNames { get; }

    /// <summary>Whether <paramref name="values"/> is forbidden; false when a named hyperparameter is absent (inactive).</summary>
    /// <param name="values">Values of the active hyperparameters, e.g. a <see cref="Configuration"/>.</param>
    public abstract bool IsForbidden(IReadOnlyDictionary<string, object> values);

    /// <summary>Numeric view of a value (long is widened), or null for strings and bools.</summary>
    /// <param name="value">Value.</param>
    internal static double? AsNumber(object value) => ConfigValues.Normalize(value) switch { double d => d, long l => l, _ => null };

    /// <summary>Value equality that also treats equal numbers as equal across long and double (4 == 4.0).</summary>
    /// <param name="a">First value.</param>
    /// <param name="b">Second value.</param>
    internal static bool ValuesEqual(object a, object b) =>
        AsNumber(a) is { } x && AsNumber(b) is { } y ? x == y : ConfigValues.AreEqual(a, b);
}
