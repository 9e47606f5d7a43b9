namespace RlExperiments.Tensors;

/// <summary>How a loss combines its per-element values.</summary>
public enum Reduction
{
    /// <summary>The mean over all elements (PyTorch's default).</summary>
    Mean,
    /// <summary>The sum over all elements.</summary>
    Sum,
    /// <summary>No reduction: one value per element, e.g. to weight samples by importance.</summary>
    None,
}

/// <summary>Fused losses, in the spirit of <c>torch.nn.functional</c>.</summary>
public static class Functional
{
    /// <summary>Mean squared error <c>(input − target)²</c>, reduced as asked.</summary>
    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
        Tensor.PointwiseLoss(OpKind.MseLoss, input, target, 0f, reduction);

    /// <summary>
    /// Huber loss with threshold <paramref name="delta"/>: <c>½d²</c> where |d| ≤ δ, else <c>δ(|d| − ½δ)</c>
    /// (PyTorch's <c>huber_loss</c>; equal to <c>smooth_l1_loss</c> when δ = 1).
    /// </summary>
    public static Tensor HuberLoss(Tensor input, Tensor target, float delta = 1f, Reduction reduction = Reduction.Mean)
    {
        if (!(delta > 0f))
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "delta must be positive.");
        return Tensor.PointwiseLoss(OpKind.HuberLoss, input, target, delta, reduction);
    }

    /// <summary>PyTorch's <c>smooth_l1_loss</c>: the Huber loss divided by <paramref name="beta"/>.</summary>
    public static Tensor SmoothL1Loss(Tensor input, Tensor target, float beta = 1f, Reduction reduction = Reduction.Mean) =>
        beta == 1f ? HuberLoss(input, target, 1f, reduction) : HuberLoss(input, target, beta, reduction) * (1f / beta);

    /// <summary>
    /// The Huber loss of the Q-values of the actions taken, <c>ℓ(q[i, actions[i]] − target[i])</c>, reduced as asked:
    /// <c>HuberLoss(q.Gather(1, actions), target, delta, reduction)</c> as one op (same values and gradients, bit for
    /// bit, without the gathered tensor). <paramref name="q"/> is [batch, actions]; <paramref name="actions"/> (integer
    /// values) and <paramref name="target"/> are [batch] or [batch, 1]; with <see cref="Reduction.None"/> the result has
    /// the target's shape.
    /// </summary>
    public static Tensor GatherHuberLoss(Tensor q, Tensor actions, Tensor target, float delta = 1f, Reduction reduction = Reduction.Mean)
    {
        if (!(delta > 0f))
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "delta must be positive.");
        return Tensor.GatheredLoss(OpKind.GatherHuberLoss, q, actions, target, delta, reduction);
    }

    /// <summary>The squared error of the Q-values of the actions taken, as <see cref="GatherHuberLoss"/> does for Huber.</summary>
    public static Tensor GatherMseLoss(Tensor q, Tensor actions, Tensor target, Reduction reduction = Reduction.Mean) =>
        Tensor.GatheredLoss(OpKind.GatherMseLoss, q, actions, target, 0f, reduction);

    /// <summary>
    /// The Q-learning target <c>y = rewards + discounts · (1 − dones) · max_a nextQ[:, a]</c>, or with
    /// <paramref name="nextQOnline"/> the double-DQN target <c>nextQ[i, argmax_a nextQOnline[i, a]]</c> in place of the
    /// max (first index on ties), in one pass: the same values as the elementwise ops, bit for bit, with one tensor
    /// instead of five. No gradient flows through it (a target). Rewards, discounts and dones are [batch] or
    /// [batch, 1]; the result has the rewards' shape.
    /// </summary>
    public static Tensor QTarget(Tensor rewards, Tensor discounts, Tensor dones, Tensor nextQ, Tensor? nextQOnline = null)
    {
        ArgumentNullException.ThrowIfNull(discounts);
        return Tensor.QTarget(rewards, discounts, 0f, dones, nextQ, nextQOnline);
    }

    /// <summary>The Q-learning target with one discount <paramref name="gamma"/> for every sample (see the tensor overload).</summary>
    public static Tensor QTarget(Tensor rewards, float gamma, Tensor dones, Tensor nextQ, Tensor? nextQOnline = null) =>
        Tensor.QTarget(rewards, null, gamma, dones, nextQ, nextQOnline);

    /// <summary>
    /// Each row of <paramref name="a"/> [R, C] multiplies k consecutive rows of <paramref name="b"/> [R·k, C]
    /// elementwise: <c>out[r·k + i] = a[r] ⊙ b[r·k + i]</c>, shape [R·k, C], with gradients for both. IQN combines a
    /// state's features ψ(s) with the embeddings φ(τᵢ) of its k quantile fractions this way without repeating ψ(s).
    /// </summary>
    public static Tensor RepeatMul(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Tensor.RepeatMul(a, b);
    }

    /// <summary>
    /// The quantile Huber loss of implicit quantile networks (Dabney et al. 2018) with Tianshou's reduction: for each
    /// row b, with quantiles zᵢ = <paramref name="quantiles"/>[b, i] at fractions τᵢ = <paramref name="taus"/>[b, i] and
    /// target samples yⱼ = <paramref name="targets"/>[b, j], uᵢⱼ = yⱼ − zᵢ and
    /// <c>ℓ_b = (1/N) Σᵢ Σⱼ |τᵢ − 1{uᵢⱼ ≤ 0}| · H_κ(uᵢⱼ)</c>, H_κ the Huber loss with threshold κ (½u² for |u| ≤ κ, else
    /// κ(|u| − ½κ)). <see cref="Reduction.Mean"/> averages ℓ_b over the batch, <see cref="Reduction.None"/> returns
    /// [batch]. The gradient flows to the quantiles (and to the targets if they require it); τ is a constant.
    /// </summary>
    public static Tensor QuantileHuberLoss(Tensor quantiles, Tensor taus, Tensor targets, float kappa = 1f, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(quantiles);
        ArgumentNullException.ThrowIfNull(taus);
        ArgumentNullException.ThrowIfNull(targets);
        if (!(kappa > 0f))
            throw new ArgumentOutOfRangeException(nameof(kappa), kappa, "kappa must be positive.");
        return Tensor.QuantileHuberLoss(quantiles, taus, targets, kappa, reduction);
    }
}
