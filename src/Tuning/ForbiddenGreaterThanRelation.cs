namespace RlExperiments.Tuning;

/// <summary>Forbids <c>Left &gt; Right</c>, e.g. <c>gradient_steps &gt; train_freq</c> to cap DQN's replay ratio at one update per step.</summary>
public sealed record ForbiddenGreaterThanRelation : ForbiddenRelation
{
    /// <summary>Creates the relation.</summary>
    /// <param name="left">Hyperparameter that must not exceed <paramref name="right"/>.</param>
    /// <param name="right">Right-hand hyperparameter.</param>
    public ForbiddenGreaterThanRelation(string left, string right) : base(left, right) { }

    /// <inheritdoc />
    public override string Operator => ">";

    /// <inheritdoc />
    protected override bool Holds(double left, double right) => left > right;
}
