namespace RlExperiments.Tuning;

/// <summary>Makes <see cref="Child"/> active only when <see cref="Parent"/> is active and its value satisfies the condition.</summary>
public abstract record Condition(string Child, string Parent)
{
    /// <summary>Whether the parent's value activates the child.</summary>
    /// <param name="parentValue">Current value of the parent.</param>
    public abstract bool IsSatisfiedBy(object parentValue);
}

/// <summary>Child active only when the parent equals <see cref="Value"/>.</summary>
/// <param name="Child">Conditional hyperparameter.</param>
/// <param name="Parent">Hyperparameter it depends on.</param>
/// <param name="Value">Parent value that activates the child.</param>
public sealed record EqualsCondition(string Child, string Parent, object Value) : Condition(Child, Parent)
{
    /// <inheritdoc />
    public override bool IsSatisfiedBy(object parentValue) => ConfigValues.AreEqual(parentValue, Value);
    /// <inheritdoc />
    public override string ToString() => $"{Child} | {Parent} == {ConfigValues.Format(Value)}";
}

/// <summary>Child active only when the parent takes one of <see cref="Values"/>.</summary>
/// <param name="Child">Conditional hyperparameter.</param>
/// <param name="Parent">Hyperparameter it depends on.</param>
/// <param name="Values">Parent values that activate the child.</param>
public sealed record InCondition(string Child, string Parent, IReadOnlyList<object> Values) : Condition(Child, Parent)
{
    /// <inheritdoc />
    public override bool IsSatisfiedBy(object parentValue) => Values.Any(v => ConfigValues.AreEqual(parentValue, v));
    /// <inheritdoc />
    public override string ToString() => $"{Child} | {Parent} in {{{string.Join(", ", Values.Select(ConfigValues.Format))}}}";
}
