using RlExperiments.Tensors;

namespace RlExperiments.Tensors.Tests;

/// <summary>
/// Gradient fan-out: one tensor feeding several operations (and the same operation twice) must receive the sum of the
/// gradients of every use, as in PyTorch's autograd.
/// </summary>
public class FanOutGradientTests
{
    [Fact]
    public void A_tensor_used_by_several_ops_accumulates_every_path()
    {
        float[] xs = [0.5f, -1.5f, 2f, 0.25f];
        var x = Tensor.From(xs, requiresGrad: true);
        // L = Σ (3x) + Σ x·x + Σ tanh(x) + mean(x):  ∂L/∂x = 3 + 2x + (1 − tanh² x) + 1/4.
        var loss = (x * 3f).Sum() + (x * x).Sum() + x.Tanh().Sum() + x.Mean();
        loss.Backward();
        for (var i = 0; i < xs.Length; i++)
        {
            var th = Math.Tanh(xs[i]);
            ((double)x.Grad!.Data[i]).Should().BeApproximately(3 + 2 * xs[i] + (1 - th * th) + 0.25, 1e-5, $"element {i}");
        }
    }

    [Fact]
    public void An_intermediate_result_feeding_two_branches_passes_both_gradients_back()
    {
        var x = Tensor.From([1f, 2f, 3f], requiresGrad: true);
        var w = Tensor.From([0.5f, -1f, 2f], requiresGrad: true);
        var h = x * w;                        // used twice below
        var loss = (h * h).Sum() + (h * 2f).Sum() - h.Exp().Sum();
        loss.Backward();
        // ∂L/∂h = 2h + 2 − eʰ; ∂L/∂x = ∂L/∂h · w, ∂L/∂w = ∂L/∂h · x.
        float[] xv = [1f, 2f, 3f], wv = [0.5f, -1f, 2f];
        for (var i = 0; i < 3; i++)
        {
            double hi = xv[i] * wv[i];
            var dh = 2 * hi + 2 - Math.Exp(hi);
            ((double)x.Grad!.Data[i]).Should().BeApproximately(dh * wv[i], 1e-4 * Math.Max(1, Math.Abs(dh * wv[i])), $"x {i}");
            ((double)w.Grad!.Data[i]).Should().BeApproximately(dh * xv[i], 1e-4 * Math.Max(1, Math.Abs(dh * xv[i])), $"w {i}");
        }
    }
}
