using System.Numerics.Tensors;

namespace RlExperiments.Tensors.Optim;

/// <summary>Gradient clipping, as <c>torch.nn.utils.clip_grad_norm_</c>.</summary>
public static class GradClip
{
    /// <summary>
    /// Scales all gradients together so their joint L2 norm is at most <paramref name="maxNorm"/>
    /// (factor <c>maxNorm / (norm + 1e-6)</c> when below 1) and returns the norm before clipping.
    /// A non-finite norm is returned as is, so the caller can stop training and name the step.
    /// </summary>
    public static double ClipGradNorm(IReadOnlyList<Tensor> parameters, double maxNorm)
    {
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must be positive.");
        return Clip(parameters, GradNorm(parameters), maxNorm);
    }

    /// <summary>
    /// <see cref="ClipGradNorm(IReadOnlyList{Tensor}, double)"/> with each parameter's Σg² already computed (0 for a
    /// parameter without a gradient), e.g. on the thread that wrote the gradient while it is still in that core's cache:
    /// the same norm, bit for bit, as when it is computed here.
    /// </summary>
    /// <exception cref="ArgumentException">The sums and the parameters differ in number.</exception>
    public static double ClipGradNorm(IReadOnlyList<Tensor> parameters, ReadOnlySpan<float> sumsOfSquares, double maxNorm)
    {
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must be positive.");
        if (sumsOfSquares.Length != parameters.Count)
            throw new ArgumentException($"{sumsOfSquares.Length} sums of squares for {parameters.Count} parameters.", nameof(sumsOfSquares));
        double sumSq = 0;
        foreach (var s in sumsOfSquares) sumSq += s;
        return Clip(parameters, Math.Sqrt(sumSq), maxNorm);
    }

    private static double Clip(IReadOnlyList<Tensor> parameters, double norm, double maxNorm)
    {
        var coef = maxNorm / (norm + 1e-6);
        if (coef < 1)
        {
            // Index loop: foreach over an IReadOnlyList would allocate an enumerator on every clipped step.
            for (var i = 0; i < parameters.Count; i++)
                if (parameters[i].Grad is { } g) TensorPrimitives.Multiply(g.Data, (float)coef, g.Data);
        }
        return norm;
    }

    /// <summary>The joint L2 norm of all gradients (parameters without one count as zero).</summary>
    public static double GradNorm(IReadOnlyList<Tensor> parameters)
    {
        double sumSq = 0;
        for (var i = 0; i < parameters.Count; i++)
            if (parameters[i].Grad is { } g) sumSq += TensorPrimitives.SumOfSquares(g.Data);
        return Math.Sqrt(sumSq);
    }
}
