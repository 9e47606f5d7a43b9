namespace RlExperiments.Tuning;

/// <summary>
/// Forbids a numeric relation between two numeric hyperparameters (ConfigSpace's <c>ForbiddenRelation</c>); applies
/// only when both are active and hold numbers.
/// </summary>
public abstract record ForbiddenRelation : ForbiddenClause
{
    /// <summary>Creates the relation.</summary>
    /// <param name="left">Left-hand hyperparameter.</param>
    /// <param name="right">Right-hand hyperparameter (a different one).</param>
    protected ForbiddenRelation(string left, string right)
    {
        if (string.IsNullOrWhiteSpace(left) || string.IsNullOrWhiteSpace(right)) throw new ArgumentException("Forbidden relation needs two hyperparameter names.");
        if (left == right) throw new ArgumentException($"Forbidden relation compares '{left}' with itself; name two different hyperparameters.");
        Left = left; Right = right;
    }

    /// <summary>Left-hand hyperparameter.</summary>
    public string Left { get; }
    /// <summary>Right-hand hyperparameter.</summary>
    public string Right { get; }
    /// <summary>Operator symbol used by <see cref="ToString"/>, e.g. "&gt;".</summary>
    public abstract string Operator { get; }

    /// <summary>Whether the relation holds (and so the values are forbidden).</summary>
    /// <param name="left">Value of <see cref="Left"/>.</param>
    /// <param name="right">Value of <see cref="Right"/>.</param>
    protected abstract bool Holds(double left, double right);

    /// <inheritdoc />
    public override IReadOnlyList<string> HyperparameterNames => new[] { Left, Right };

    /// <inheritdoc />
    public override bool IsForbidden(IReadOnlyDictionary<string, object> values) =>
        values.TryGetValue(Left, out var l) && values.TryGetValue(Right, out var r)
        && AsNumber(l) is { } x && AsNumber(r) is { } y && Holds(x, y);

    /// <inheritdoc />
    public sealed override string ToString() => $"Forbidden: {Left} {Operator} {Right}";
}
