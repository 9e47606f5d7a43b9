using RlExperiments.Tensors;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Agents.Algorithms;

/// <summary>
/// Gradient-norm clipping as <c>torch.nn.utils.clip_grad_norm_</c> (the same formula as
/// <see cref="GradClip.ClipGradNorm"/>), written with indexed loops so it never allocates: the engine's version
/// enumerates an <c>IReadOnlyList</c> with <c>foreach</c> when it clips, which boxes an enumerator on every clipped step.
/// </summary>
internal static class GradientClipping
{
    /// <summary>Scales all gradients so their joint L2 norm is at most <paramref name="maxNorm"/>; returns the norm before clipping.</summary>
    public static double ClipGradNorm(IReadOnlyList<Tensor> parameters, double maxNorm)
    {
        var norm = GradClip.GradNorm(parameters);
        if (double.IsPositiveInfinity(maxNorm)) return norm;
        var coef = maxNorm / (norm + 1e-6);
        if (!(coef < 1)) return norm;
        var c = (float)coef;
        for (var i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].Grad is not { } g) continue;
            var d = g.Data;
            for (var j = 0; j < d.Length; j++) d[j] *= c;
        }
        return norm;
    }
}
