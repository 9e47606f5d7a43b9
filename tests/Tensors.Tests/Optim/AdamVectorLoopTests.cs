using RlExperiments.Tensors;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Tensors.Tests.Optim;

/// <summary>
/// Adam and AdamW on a parameter long enough for the vectorised body of the update (1027 elements: many full
/// <c>Vector&lt;float&gt;</c> blocks and a scalar tail on every vector width), against PyTorch's rule computed here in double
/// precision, element by element, with gradients that differ per element and change sign over the steps.
/// </summary>
public class AdamVectorLoopTests
{
    private const int Size = 1027;

    private static double Grad(int t, int i) => Math.Sin(0.37 * i + 1.3 * t) * (1 + (i % 7)) * 0.1;

    [Theory]
    [InlineData(false, 0.0)]
    [InlineData(false, 0.05)]
    [InlineData(true, 0.05)]
    public void The_vectorised_update_follows_the_reference_on_every_element(bool decoupled, double wd)
    {
        double lr = 0.01, b1 = 0.8, b2 = 0.95, eps = 1e-6;
        var p = Tensor.From(Enumerable.Range(0, Size).Select(i => (float)Math.Cos(0.11 * i)).ToArray(), requiresGrad: true);
        var theta = p.ToArray().Select(x => (double)x).ToArray();
        var m = new double[Size];
        var v = new double[Size];
        Optimizer opt = decoupled ? new AdamW([p], lr, b1, b2, eps, wd) : new Adam([p], lr, b1, b2, eps, wd);
        for (var t = 1; t <= 5; t++)
        {
            var g = Enumerable.Range(0, Size).Select(i => Grad(t, i)).ToArray();
            p.Grad = Tensor.From(g.Select(x => (float)x).ToArray());
            opt.Step();
            for (var i = 0; i < Size; i++)
            {
                var gi = decoupled ? g[i] : g[i] + wd * theta[i];
                var start = decoupled ? theta[i] * (1 - lr * wd) : theta[i];
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                theta[i] = start - lr / (1 - Math.Pow(b1, t)) * m[i] / (Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(b2, t)) + eps);
            }
            for (var i = 0; i < Size; i++)
                ((double)p.Data[i]).Should().BeApproximately(theta[i], 2e-6 * Math.Max(1, Math.Abs(theta[i])), $"step {t}, element {i}");
        }
        var state = opt.GetState().Buffers;
        for (var i = 0; i < Size; i += 97)
        {
            ((double)state["exp_avg.0"].Data[i]).Should().BeApproximately(m[i], 1e-6, $"first moment {i}");
            ((double)state["exp_avg_sq.0"].Data[i]).Should().BeApproximately(v[i], 1e-7, $"second moment {i}");
        }
    }

    [Fact]
    public void Parameters_without_a_gradient_are_left_alone()
    {
        var a = Tensor.From(Enumerable.Repeat(1f, Size).ToArray(), requiresGrad: true);
        var b = Tensor.From(Enumerable.Repeat(2f, 40).ToArray(), requiresGrad: true);
        var opt = new Adam([a, b], 0.1);
        b.Grad = Tensor.Full([40], 0.5f);
        opt.Step();
        a.ToArray().Should().OnlyContain(x => x == 1f, "a has no gradient");
        b.ToArray().Should().OnlyContain(x => Math.Abs(x - 1.9f) < 1e-6f, "the first Adam step moves by lr·sign(g)");
        opt.GetState().Buffers.Keys.Should().NotContain(k => k.EndsWith(".0"), "a parameter without a gradient gets no moments");
    }
}
