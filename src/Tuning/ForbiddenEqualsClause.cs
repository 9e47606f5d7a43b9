namespace RlExperiments.Tuning;

/// <summary>Forbids <see cref="Name"/> taking <see cref="Value"/> (ConfigSpace's <c>ForbiddenEqualsClause</c>).</summary>
/// <param name="Name">Hyperparameter name.</param>
/// <param name="Value">Forbidden value (double, long/int, string or bool).</param>
public sealed record ForbiddenEqualsClause(string Name, object Value) : ForbiddenClause
{
    /// <summary>Forbidden value, normalised (integral types to long, float to double).</summary>
    public object Value { get; init; } = ConfigValues.Normalize(Value);

    /// <inheritdoc />
    public override IReadOnlyList<string> HyperparameterNames => new[] { Name };

    /// <inheritdoc />
    public override bool IsForbidden(IReadOnlyDictionary<string, object> values) =>
        values.TryGetValue(Name, out var v) && ValuesEqual(v, Value);

    /// <inheritdoc />
    public override string ToString() => $"Forbidden: {Name} == {ConfigValues.Format(Value)}";
}
