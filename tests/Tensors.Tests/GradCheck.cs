using RlExperiments.Core;
using RlExperiments.Tensors;

namespace RlExperiments.Tensors.Tests;

/// <summary>
/// Central-difference gradient checking for float32 ops.
/// </summary>
/// <remarks>
/// The analytic gradient of L = Σ w·f(x) (w a fixed random weighting, so every output element counts)
/// is compared with (L(x + h) − L(x − h)) / 2h per input element, with L evaluated in double from the
/// float32 outputs. With h = 1e-2 the truncation error is O(h²·|f'''|) ≈ 1e-4 for the O(1) inputs used,
/// and float32 rounding in f contributes ≈ ε·|L|/h ≈ 1e-7·10/1e-2 = 1e-4. Hence the tolerance
/// |analytic − numeric| ≤ 2e-3 + 2e-2·|numeric|, about ten times the expected error, yet far below
/// the error of a wrong derivative (a factor or sign slip is O(1)). Inputs of kinked ops (relu, clamp,
/// max, Huber) are kept more than h away from the kinks.
/// </remarks>
public static class GradCheck
{
    public const double H = 1e-2;
    public const double Atol = 2e-3;
    public const double Rtol = 2e-2;

    public static void Check(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        foreach (var x in inputs) x.RequiresGrad = true;
        var y = f(inputs);
        var rng = new Rng(1234);
        var w = Tensor.Rand(y.Shape, rng, -1f, 1f);
        foreach (var x in inputs) x.Grad = null;
        y.Backward(w);

        for (var k = 0; k < inputs.Length; k++)
        {
            var x = inputs[k];
            x.Grad.Should().NotBeNull($"input {k} should receive a gradient");
            var analytic = x.Grad!.ToArray();
            for (var i = 0; i < x.Count; i++)
            {
                var original = x.Data[i];
                x.Data[i] = (float)(original + H);
                var lp = Weighted(f, inputs, w);
                x.Data[i] = (float)(original - H);
                var lm = Weighted(f, inputs, w);
                x.Data[i] = original;
                var numeric = (lp - lm) / (2 * H);
                Math.Abs(analytic[i] - numeric).Should().BeLessThanOrEqualTo(Atol + Rtol * Math.Abs(numeric),
                    $"d/d input{k}[{i}]: analytic {analytic[i]} vs numeric {numeric}");
            }
        }
    }

    private static double Weighted(Func<Tensor[], Tensor> f, Tensor[] inputs, Tensor w)
    {
        using var _ = Tensor.NoGrad();
        var y = f(inputs);
        double s = 0;
        for (var i = 0; i < y.Count; i++) s += (double)y.Data[i] * w.Data[i];
        return s;
    }

    /// <summary>Uniform values in [lo, hi) with every |v| ≥ minAbs away from 0 (for kinks at zero).</summary>
    public static Tensor Input(int[] shape, int seed, float lo = -2f, float hi = 2f, float minAbs = 0f)
    {
        var t = Tensor.Rand(shape, new Rng((ulong)seed), lo, hi);
        var d = t.Data;
        for (var i = 0; i < d.Length; i++)
            if (Math.Abs(d[i]) < minAbs) d[i] = d[i] < 0 ? -minAbs - 0.05f : minAbs + 0.05f;
        return t;
    }

    public static void ShouldEqual(Tensor actual, double[] expected, double tol = 1e-5)
    {
        actual.Count.Should().Be(expected.Length);
        for (var i = 0; i < expected.Length; i++)
            ((double)actual.Data[i]).Should().BeApproximately(expected[i], tol * Math.Max(1, Math.Abs(expected[i])), $"element {i}");
    }
}
