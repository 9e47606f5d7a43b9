using RlExperiments.Core;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;
using static RlExperiments.Tensors.Tests.GradCheck;

namespace RlExperiments.Tensors.Tests;

/// <summary>The batched ensemble linear op: values equal E separate <see cref="Tensor.Linear(Tensor, Tensor, Tensor?, Activation)"/>
/// calls bit for bit, gradients match central differences, for a shared [B, in] input and a per-member [E, B, in] one.</summary>
public class EnsembleLinearTests
{
    public static TheoryData<Activation> Activations => new() { Activation.ReLU, Activation.Tanh, Activation.Identity };

    /// <summary>Inputs whose pre-activations all lie at least 0.15 from 0 (ReLU's kink), x shared or per member.</summary>
    private static (Tensor X, Tensor W, Tensor B) AwayFromKinks(int seed, bool shared)
    {
        for (var s = seed; ; s += 17)
        {
            var x = Input(shared ? [3, 5] : [2, 3, 5], s);
            var w = Input([2, 4, 5], s + 1, -1f, 1f);
            var b = Input([2, 4], s + 2, -1f, 1f);
            using var _ = Tensor.NoGrad();
            var z = Tensor.EnsembleLinear(x, w, b);
            if (z.ToArray().All(v => Math.Abs(v) > 0.15f)) return (x, w, b);
        }
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void GradientsMatchFiniteDifferences(Activation activation)
    {
        foreach (var shared in new[] { true, false })
        {
            var (x, w, b) = AwayFromKinks(60, shared);
            Check(t => Tensor.EnsembleLinear(t[0], t[1], t[2], activation), x, w, b);
            Check(t => Tensor.EnsembleLinear(t[0], t[1], null, activation), x, w);
        }
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void EachMemberEqualsItsOwnLinearLayerBitForBit(Activation activation)
    {
        const int e = 3, batch = 7, inF = 6, outF = 5;
        var rng = new Rng(9);
        var w = Tensor.Randn([e, outF, inF], rng, requiresGrad: true);
        var b = Tensor.Randn([e, outF], rng, requiresGrad: true);
        var x = Tensor.Randn([batch, inF], rng, requiresGrad: true);
        var g = Tensor.Randn([e, batch, outF], rng);

        var y = Tensor.EnsembleLinear(x, w, b, activation);
        y.Backward(g);
        y.Shape.ToArray().Should().Equal(e, batch, outF);

        for (var m = 0; m < e; m++)
        {
            var wm = Tensor.From(w.Data.Slice(m * outF * inF, outF * inF), [outF, inF], requiresGrad: true);
            var bm = Tensor.From(b.Data.Slice(m * outF, outF), [outF], requiresGrad: true);
            var xm = Tensor.From(x.Data, [batch, inF], requiresGrad: true);
            var ym = Tensor.Linear(xm, wm, bm, activation);
            ym.Backward(Tensor.From(g.Data.Slice(m * batch * outF, batch * outF), [batch, outF]));
            Bits(ym.ToArray()).Should().Equal(Bits(y.Data.Slice(m * batch * outF, batch * outF).ToArray()), $"member {m} values");
            Bits(wm.Grad!.ToArray()).Should().Equal(Bits(w.Grad!.Data.Slice(m * outF * inF, outF * inF).ToArray()), $"member {m} dW");
            Bits(bm.Grad!.ToArray()).Should().Equal(Bits(b.Grad!.Data.Slice(m * outF, outF).ToArray()), $"member {m} db");
        }
    }

    [Fact]
    public void SharedInputGradientIsTheSumOverMembers()
    {
        var rng = new Rng(2);
        var w = Tensor.Randn([2, 3, 4], rng);
        var x = Tensor.Randn([5, 4], rng, requiresGrad: true);
        Tensor.EnsembleLinear(x, w, null).Sum().Backward();
        // d/dx Σ x·W[e]ᵀ = Σ_e Σ_o W[e, o, :] for every row.
        for (var i = 0; i < 4; i++)
        {
            var expected = 0f;
            for (var m = 0; m < 2; m++) for (var o = 0; o < 3; o++) expected += w.Data[(m * 3 + o) * 4 + i];
            for (var r = 0; r < 5; r++) x.Grad!.Data[r * 4 + i].Should().BeApproximately(expected, 1e-5f);
        }
    }

    [Fact]
    public void MismatchedShapesAreRefusedNamingThem()
    {
        var w = Tensor.Zeros([2, 3, 4]);
        var act = () => Tensor.EnsembleLinear(Tensor.Zeros([3, 3, 4]), w, null);
        act.Should().Throw<ArgumentException>().WithMessage("*[3, 3, 4]*[2, 3, 4]*");
        var bias = () => Tensor.EnsembleLinear(Tensor.Zeros([5, 4]), w, Tensor.Zeros([3]));
        bias.Should().Throw<ArgumentException>().WithMessage("*bias*[2, 3]*");
    }

    [Fact]
    public void ModuleInitialisesEachMemberInPyTorchsRange()
    {
        var layer = new EnsembleLinear(10, 16, 8, new Rng(1));
        layer.Weight.Shape.ToArray().Should().Equal(10, 8, 16);
        layer.Bias.Shape.ToArray().Should().Equal(10, 8);
        layer.Weight.ToArray().Should().OnlyContain(v => Math.Abs(v) <= 0.25f);
        layer.Weight.ToArray().Max().Should().BeGreaterThan(0.2f, "uniform over (−1/√16, 1/√16)");
    }

    private static int[] Bits(float[] v) => v.Select(BitConverter.SingleToInt32Bits).ToArray();
}
