using RlExperiments.Agents.PolicyGradient;

namespace RlExperiments.Agents.Algorithms.Npg;

/// <summary>
/// Hyperparameters of the natural policy gradient (NPG; Kakade 2001, as Tianshou's <c>NPG</c>): the shared ones of
/// <see cref="NaturalGradientParams"/> plus <see cref="TrustRegionSize"/>. Names follow Tianshou's <c>NPGParams</c>
/// .NET-cased. An immutable record of plain values: it serialises as is.
/// </summary>
public sealed record NpgParams : NaturalGradientParams
{
    /// <summary>
    /// The step size η of <c>θ ← θ + η·x</c>, x ≈ (F + c·I)⁻¹g (Tianshou's <c>trust_region_size</c>, v1's
    /// <c>actor_step_size</c>, with Tianshou's semantics: a fixed multiple of the natural gradient, not a KL radius);
    /// default 0.5. Must be &gt; 0.
    /// </summary>
    public double TrustRegionSize { get; init; } = 0.5;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        ParamChecks.Positive(nameof(TrustRegionSize), TrustRegionSize);
    }
}
