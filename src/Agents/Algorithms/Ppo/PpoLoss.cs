using RlExperiments.Agents.PolicyGradient;
using RlExperiments.Tensors;

namespace RlExperiments.Agents.Algorithms.Ppo;

/// <summary>
/// The pieces of PPO's objective as plain functions (used by <see cref="PpoAgent"/> and testable on their own).
/// Notation: r = π_θ(a|s) / π_old(a|s), A = advantage, ε = clip range.
/// </summary>
public static class PpoLoss
{
    /// <summary>
    /// The clipped surrogate loss, to minimise:
    /// <c>L^CLIP = −mean( min( r·A, clip(r, 1 − ε, 1 + ε)·A ) )</c>.
    /// </summary>
    /// <param name="ratio">r, [B], with gradient.</param>
    /// <param name="advantages">A, [B] (no gradient).</param>
    /// <param name="clipRange">ε &gt; 0.</param>
    public static Tensor ClippedSurrogate(Tensor ratio, Tensor advantages, float clipRange)
    {
        var unclipped = ratio * advantages;
        var clipped = ratio.Clamp(1f - clipRange, 1f + clipRange) * advantages;
        return -unclipped.Minimum(clipped).Mean();
    }

    /// <summary>
    /// The value loss, Stable-Baselines3's form: <c>mean((R − V)²)</c>, or with value clipping
    /// <c>mean((R − (V_old + clip(V − V_old, −ε_v, ε_v)))²)</c>.
    /// </summary>
    /// <param name="values">V_θ(s), [B], with gradient.</param>
    /// <param name="oldValues">V_old(s) from the rollout, [B].</param>
    /// <param name="returns">R, [B].</param>
    /// <param name="clipRangeVf">ε_v, or null for the plain MSE.</param>
    public static Tensor ValueLoss(Tensor values, Tensor oldValues, Tensor returns, float? clipRangeVf)
    {
        var predicted = clipRangeVf is { } c ? oldValues + (values - oldValues).Clamp(-c, c) : values;
        return Functional.MseLoss(predicted, returns);
    }

    /// <summary>
    /// The low-variance KL(π_old ‖ π_θ) estimator Stable-Baselines3 and CleanRL log and test against target_kl
    /// (Schulman's k3): <c>mean((r − 1) − log r)</c>, from log r = log π_θ − log π_old. Always ≥ 0.
    /// </summary>
    public static double ApproxKl(ReadOnlySpan<float> logRatio)
    {
        if (logRatio.IsEmpty) return 0;
        double sum = 0;
        foreach (var lr in logRatio) sum += Math.Exp(lr) - 1.0 - lr;
        return sum / logRatio.Length;
    }

    /// <summary>The fraction of samples with |r − 1| &gt; ε, i.e. where the clipping is active.</summary>
    public static double ClipFraction(ReadOnlySpan<float> ratio, double clipRange)
    {
        if (ratio.IsEmpty) return 0;
        var n = 0;
        foreach (var r in ratio)
            if (Math.Abs(r - 1.0) > clipRange) n++;
        return (double)n / ratio.Length;
    }

    /// <summary>
    /// Normalises advantages in place: <c>(A − mean(A)) / (std(A) + 1e-8)</c> with the unbiased std, as
    /// Stable-Baselines3 (<c>advantages.std()</c> in PyTorch divides by n − 1). Needs at least 2 values; a
    /// single value is left unchanged.
    /// </summary>
    public static void NormalizeAdvantages(Span<float> advantages) => AdvantageNormalization.Normalize(advantages);
}
