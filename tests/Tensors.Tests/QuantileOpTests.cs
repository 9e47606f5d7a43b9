using RlExperiments.Tensors;
using static RlExperiments.Tensors.Tests.GradCheck;

namespace RlExperiments.Tensors.Tests;

/// <summary>IQN's ops: <see cref="Functional.RepeatMul"/> and <see cref="Functional.QuantileHuberLoss"/>, hand-computed and by central differences.</summary>
public class QuantileOpTests
{
    [Fact]
    public void RepeatMulMultipliesEachRowOfAIntoItsBlockOfBAndScattersGradients()
    {
        var a = Tensor.From([1, 2, 3, 4], [2, 2], requiresGrad: true);
        var b = Tensor.From([1, 1, 2, 2, 0.5f, 1, 1, 0], [4, 2], requiresGrad: true);
        var y = Functional.RepeatMul(a, b);
        y.Shape.ToArray().Should().Equal(4, 2);
        y.ToArray().Should().Equal(1, 2, 2, 4, 1.5f, 4, 3, 0);
        y.Sum().Backward();
        a.Grad!.ToArray().Should().Equal(3, 3, 1.5f, 1);            // Σ of each row's block of b
        b.Grad!.ToArray().Should().Equal(1, 2, 1, 2, 3, 4, 3, 4);    // its row of a, repeated
    }

    [Fact]
    public void RepeatMulGradientsMatchFiniteDifferences() =>
        Check(x => Functional.RepeatMul(x[0], x[1]), Input([3, 4], 1, -1f, 1f), Input([9, 4], 2, -1f, 1f));

    [Fact]
    public void RepeatMulRefusesBlocksThatDoNotDivide()
    {
        var act = () => Functional.RepeatMul(Tensor.Zeros([2, 3]), Tensor.Zeros([5, 3]));
        act.Should().Throw<ArgumentException>().WithMessage("RepeatMul: a must be [R, C] and b [R·k, C]*[2, 3]*[5, 3]*");
    }

    [Fact]
    public void QuantileHuberLossMatchesAHandComputedBatch()
    {
        // Row 0: z = [0, 2], τ = [0.25, 0.75], y = [1, 0.5]. u = y − z:
        //   i=0: u = 1 (w = |0.25 − 0| = 0.25, H = 0.5), u = 0.5 (w 0.25, H 0.125)  → 0.125 + 0.03125
        //   i=1: u = −1 (w = |0.75 − 1| = 0.25, H 0.5), u = −1.5 (w 0.25, H = 1.5 − 0.5 = 1) → 0.125 + 0.25
        //   ℓ₀ = (0.15625 + 0.375) / 2 = 0.265625
        // Row 1: z = [1, 1], τ = [0.5, 0.1], y = [1, 3]:
        //   i=0: u = 0 (w = |0.5 − 1| = 0.5, H 0), u = 2 (w 0.5, H 1.5) → 0.75
        //   i=1: u = 0 (w 0.9, H 0), u = 2 (w 0.1, H 1.5) → 0.15
        //   ℓ₁ = 0.9 / 2 = 0.45;  L = (0.265625 + 0.45) / 2 = 0.3578125
        var z = Tensor.From([0, 2, 1, 1], [2, 2], requiresGrad: true);
        var taus = Tensor.From([0.25f, 0.75f, 0.5f, 0.1f], [2, 2]);
        var y = Tensor.From([1, 0.5f, 1, 3], [2, 2]);
        var loss = Functional.QuantileHuberLoss(z, taus, y);
        loss.Item().Should().BeApproximately(0.3578125f, 1e-7f);
        var perRow = Functional.QuantileHuberLoss(z, taus, y, reduction: Reduction.None).ToArray();
        perRow[0].Should().BeApproximately(0.265625f, 1e-7f);
        perRow[1].Should().BeApproximately(0.45f, 1e-7f);

        // ∂L/∂zᵢ = −(1/B)(1/N) Σⱼ wᵢⱼ · clamp(uᵢⱼ, −1, 1):
        //   row 0: i=0 −(0.25 + 0.125)/4 = −0.09375, i=1 (0.25 + 0.25)/4 = 0.125; row 1: i=0 −0.5/4, i=1 −0.1/4
        loss.Backward();
        var g = z.Grad!.ToArray();
        g[0].Should().BeApproximately(-0.09375f, 1e-7f);
        g[1].Should().BeApproximately(0.125f, 1e-7f);
        g[2].Should().BeApproximately(-0.125f, 1e-7f);
        g[3].Should().BeApproximately(-0.025f, 1e-7f);
    }

    [Fact]
    public void QuantileHuberLossGradientsMatchFiniteDifferencesAwayFromTheKinks()
    {
        // Quantiles on a grid of 0.5 steps and targets offset by 0.25: every u is at least 0.25 from 0 and ±1.
        var z = Tensor.From([0, 0.5f, -1, 2, 1.5f, 0, -0.5f, 1], [2, 4]);
        var taus = Tensor.From([0.1f, 0.3f, 0.6f, 0.9f, 0.2f, 0.4f, 0.7f, 0.8f], [2, 4]);
        var y = Tensor.From([0.25f, -1.25f, 2.75f, 1.25f, 0.75f, -0.25f], [2, 3]);
        Check(x => Functional.QuantileHuberLoss(x[0], taus, x[1], reduction: Reduction.None), z, y);
    }

    [Fact]
    public void QuantileHuberLossRefusesMismatchedFractions()
    {
        var act = () => Functional.QuantileHuberLoss(Tensor.Zeros([2, 3]), Tensor.Zeros([2, 2]), Tensor.Zeros([2, 4]));
        act.Should().Throw<ArgumentException>().WithMessage("QuantileHuberLoss: taus [2, 2] must have the quantiles' shape [2, 3].*");
    }
}
