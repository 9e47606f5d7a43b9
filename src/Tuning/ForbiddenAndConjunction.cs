namespace RlExperiments.Tuning;

/// <summary>
/// Forbids a configuration only when every one of <see cref="Clauses"/> forbids it (ConfigSpace's
/// <c>ForbiddenAndConjunction</c>); hence it applies only when all hyperparameters named by its clauses are active.
/// </summary>
public sealed record ForbiddenAndConjunction : ForbiddenClause
{
    /// <summary>Creates the conjunction.</summary>
    /// <param name="clauses">At least one clause.</param>
    public ForbiddenAndConjunction(params ForbiddenClause[] clauses)
    {
        ArgumentNullException.ThrowIfNull(clauses);
        if (clauses.Length == 0) throw new ArgumentException("A forbidden conjunction needs at least one clause.", nameof(clauses));
        if (clauses.Any(c => c is null)) throw new ArgumentException("A forbidden conjunction must not contain null clauses.", nameof(clauses));
        Clauses = clauses.ToArray();
    }

    /// <summary>The clauses that must all hold.</summary>
    public IReadOnlyList<ForbiddenClause> Clauses { get; }

    /// <inheritdoc />
    public override IReadOnlyList<string> HyperparameterNames =>
        Clauses.SelectMany(c => c.HyperparameterNames).Distinct(StringComparer.Ordinal).ToArray();

    /// <inheritdoc />
    public override bool IsForbidden(IReadOnlyDictionary<string, object> values) => Clauses.All(c => c.IsForbidden(values));

    /// <summary>Same clauses in the same order.</summary>
    /// <param name="other">Other conjunction.</param>
    public bool Equals(ForbiddenAndConjunction? other) => other is not null && Clauses.SequenceEqual(other.Clauses);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var c in Clauses) h.Add(c);
        return h.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => "(" + string.Join(" && ", Clauses) + ")";
}
