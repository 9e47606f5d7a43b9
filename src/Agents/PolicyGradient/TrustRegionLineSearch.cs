namespace RlExperiments.Agents.PolicyGradient;

/// <summary>TRPO's backtracking line search along a natural-gradient direction x, independent of the network (testable on its own).</summary>
public static class TrustRegionLineSearch
{
    /// <summary>
    /// Starts at <c>α = √(2·maxKl / xᵀFx)</c> (the step whose quadratic KL model ½α²·xᵀFx equals maxKl) and tries
    /// <c>θ_old + α·x</c> for α, α·c, α·c², … (at most <paramref name="maxBacktracks"/> tries); the first step whose
    /// surrogate exceeds <paramref name="surrogate"/> and whose mean KL is below <paramref name="maxKl"/> is accepted.
    /// When none is, <paramref name="restore"/> puts θ_old back and the step reports α = 0.
    /// </summary>
    /// <param name="tryStep">Sets θ = θ_old + α·x and returns the surrogate L(θ) and mean KL(π_old ‖ π_θ) there.</param>
    /// <param name="restore">Sets θ = θ_old exactly.</param>
    /// <param name="xFx">xᵀ(F + c·I)x; a value ≤ 0 (g = 0) means no step.</param>
    /// <param name="surrogate">L(θ_old).</param>
    /// <param name="maxKl">The trust region δ.</param>
    /// <param name="backtrackCoeff">The shrink factor c in (0, 1).</param>
    /// <param name="maxBacktracks">The number of step sizes tried.</param>
    public static NaturalStep Search(Func<double, (double Surrogate, double Kl)> tryStep, Action restore, double xFx, double surrogate,
        double maxKl, double backtrackCoeff, int maxBacktracks)
    {
        ArgumentNullException.ThrowIfNull(tryStep);
        ArgumentNullException.ThrowIfNull(restore);
        if (xFx <= 0) return new NaturalStep(0, 0, 0, Accepted: false); // g = 0: nothing to step along.

        // α = √(2δ / xᵀFx).
        var alpha = Math.Sqrt(2 * maxKl / xFx);
        if (!double.IsFinite(alpha)) return new NaturalStep(double.NaN, double.NaN, 0, Accepted: false);

        for (var i = 0; i < maxBacktracks; i++)
        {
            // θ = θ_old + α·x; accept iff L(θ) > L(θ_old) and mean KL(π_old ‖ π_θ) < δ.
            var (newSurrogate, kl) = tryStep(alpha);
            if (newSurrogate > surrogate && kl < maxKl) return new NaturalStep(alpha, kl, i, Accepted: true);
            // α ← α·backtrack_coeff.
            alpha *= backtrackCoeff;
        }

        // No step satisfied both: θ ← θ_old exactly.
        restore();
        return new NaturalStep(0, 0, maxBacktracks, Accepted: false);
    }
}
