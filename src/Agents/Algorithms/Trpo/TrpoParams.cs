using RlExperiments.Agents.PolicyGradient;

namespace RlExperiments.Agents.Algorithms.Trpo;

/// <summary>
/// Hyperparameters of trust region policy optimisation (TRPO; Schulman et al. 2015, as Tianshou's <c>TRPO</c>): the
/// shared ones of <see cref="NaturalGradientParams"/> plus the trust region and its line search. Names follow
/// Tianshou's <c>TRPOParams</c> .NET-cased, defaults are Tianshou's. An immutable record of plain values.
/// </summary>
public sealed record TrpoParams : NaturalGradientParams
{
    /// <summary>The trust region δ: a step is accepted only if the mean KL(π_old ‖ π_new) stays below it (<c>max_kl</c>); default 0.01. Must be &gt; 0.</summary>
    public double MaxKl { get; init; } = 0.01;

    /// <summary>The line search's shrink factor (<c>backtrack_coeff</c>); default 0.8. Must lie in (0, 1).</summary>
    public double BacktrackCoeff { get; init; } = 0.8;

    /// <summary>Step sizes tried before the step is rejected (<c>max_backtracks</c>); default 10. Must be ≥ 1.</summary>
    public int MaxBacktracks { get; init; } = 10;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        ParamChecks.Positive(nameof(MaxKl), MaxKl);
        if (!(BacktrackCoeff > 0 && BacktrackCoeff < 1))
            throw new ArgumentOutOfRangeException(nameof(BacktrackCoeff), BacktrackCoeff, $"{nameof(BacktrackCoeff)} must lie in (0, 1).");
        ParamChecks.AtLeast(nameof(MaxBacktracks), MaxBacktracks, 1);
    }
}
