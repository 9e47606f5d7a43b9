using RlExperiments.Tensors;

namespace RlExperiments.Agents.Algorithms.DiscreteSac;

/// <summary>
/// Discrete SAC's expectations, taken exactly over the categorical policy π(·|s) = softmax(logits) instead of sampled
/// (Christodoulou 2019, arXiv:1910.07207, eqs. 10–12): the soft state value, the policy loss and the α loss.
/// </summary>
public static class DiscreteSacLoss
{
    /// <summary>
    /// The soft state value <c>V(s) = Σₐ π(a|s) · (min(Q₁(s, a), Q₂(s, a)) − α log π(a|s))</c>, <c>[B]</c>
    /// (Tianshou: <c>Σ probs·min(Q₁, Q₂) + α·entropy</c>).
    /// </summary>
    /// <param name="logits">The actor's logits, <c>[B, actions]</c>.</param>
    /// <param name="q1">Q₁(s, ·), <c>[B, actions]</c>.</param>
    /// <param name="q2">Q₂(s, ·), <c>[B, actions]</c>.</param>
    /// <param name="alpha">The entropy coefficient α.</param>
    public static Tensor SoftValue(Tensor logits, Tensor q1, Tensor q2, float alpha)
    {
        ArgumentNullException.ThrowIfNull(logits);
        var logPi = logits.LogSoftmax(1);
        return (logPi.Exp() * (q1.Minimum(q2) - alpha * logPi)).Sum(1);
    }

    /// <summary>
    /// The policy loss <c>J(π) = mean_s Σₐ π(a|s) · (α log π(a|s) − min(Q₁(s, a), Q₂(s, a)))</c> (Tianshou:
    /// <c>−mean(α·entropy + Σ probs·min(Q₁, Q₂))</c>) and the policy's entropy <c>H(s) = −Σₐ π(a|s) log π(a|s)</c>,
    /// <c>[B]</c>. The Q-values are constants here (pass them computed without gradient).
    /// </summary>
    /// <param name="logits">The actor's logits, <c>[B, actions]</c>, with gradient.</param>
    /// <param name="q1">Q₁(s, ·), <c>[B, actions]</c>.</param>
    /// <param name="q2">Q₂(s, ·), <c>[B, actions]</c>.</param>
    /// <param name="alpha">The entropy coefficient α.</param>
    public static (Tensor Loss, Tensor Entropy) PolicyLoss(Tensor logits, Tensor q1, Tensor q2, float alpha)
    {
        ArgumentNullException.ThrowIfNull(logits);
        var logPi = logits.LogSoftmax(1);
        var pi = logPi.Exp();
        var entropy = -(pi * logPi).Sum(1);                                  // [B]
        var expectedQ = (pi * q1.Minimum(q2)).Sum(1);                        // [B]
        var loss = -(alpha * entropy + expectedQ).Mean();
        return (loss, entropy);
    }

    /// <summary>
    /// The entropy coefficient's loss <c>J(α) = −mean(log α · (H̄ − H(s)))</c> with the entropies as constants (Tianshou's
    /// <c>AutoAlpha.update</c>): α grows while the policy's entropy is below the target H̄ and shrinks while above.
    /// </summary>
    /// <param name="logAlpha">log α, <c>[1]</c>, with gradient.</param>
    /// <param name="entropy">H(s) per state, <c>[B]</c>.</param>
    /// <param name="targetEntropy">The target H̄.</param>
    public static Tensor AlphaLoss(Tensor logAlpha, Tensor entropy, float targetEntropy)
    {
        ArgumentNullException.ThrowIfNull(logAlpha);
        ArgumentNullException.ThrowIfNull(entropy);
        return -(logAlpha * (targetEntropy - entropy.Detach())).Mean();
    }
}
