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
}
