namespace RlExperiments.Tuning;

/// <summary>Forbids <c>Left &lt; Right</c>.</summary>
public sealed record ForbiddenLessThanRelation : ForbiddenRelation
{
    /// <summary>Creates the relation.</summary>
    /// <param name="left">Hyperparameter that must not be below <paramref name="right"/>.</param>
    /// <param name="right">Right-hand hyperparameter.</param>
    public ForbiddenLessThanRelation(string left, string right) : base(left, right) { }

    /// <inheritdoc />
    public override string Operator => "<";

    /// <inheritdoc />
    protected override bool Holds(double left, double right) => left < right;
}
