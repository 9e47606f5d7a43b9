using RlExperiments.Core;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;
using static RlExperiments.Tensors.Tests.GradCheck;

namespace RlExperiments.Tensors.Tests;

/// <summary>The fused ops: values and gradients against the unfused compositions (bit for bit) and against central differences.</summary>
public class FusedOpTests
{
    public static TheoryData<Activation> Activations => new() { Activation.ReLU, Activation.Tanh, Activation.ELU, Activation.Sigmoid, Activation.Identity };

    /// <summary>Inputs whose pre-activations all lie at least 0.15 from 0 (the kink of ReLU and ELU).</summary>
    private static (Tensor X, Tensor W, Tensor B) AwayFromKinks(int seed)
    {
        for (var s = seed; ; s += 17)
        {
            var x = Input([3, 5], s);
            var w = Input([4, 5], s + 1, -1f, 1f);
            var b = Input([4], s + 2, -1f, 1f);
            using var _ = Tensor.NoGrad();
            var z = Tensor.Linear(x, w, b);
            if (z.ToArray().All(v => Math.Abs(v) > 0.15f)) return (x, w, b);
        }
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void LinearWithActivationMatchesFiniteDifferences(Activation activation)
    {
        var (x, w, b) = AwayFromKinks(40);
        Check(t => Tensor.Linear(t[0], t[1], t[2], activation), x, w, b);
        Check(t => Tensor.Linear(t[0], t[1], null, activation), x, w);
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void FusedMlpEqualsTheLayerByLayerCompositionBitForBit(Activation activation)
    {
        var net = new Mlp(4, [16, 8], 3, activation, new Rng(3));
        var x = Tensor.Randn([7, 4], new Rng(4), requiresGrad: true);
        var seed = Tensor.Randn([7, 3], new Rng(5));

        var fused = net.Forward(x);
        fused.Backward(seed);
        var fusedGrads = net.Parameters().Select(p => p.Grad!.ToArray()).Append(x.Grad!.ToArray()).ToArray();

        net.ZeroGrad();
        x.Grad = null;
        var h = x;
        foreach (var layer in net.Layers) h = layer.Forward(h); // one op per layer: Linear, then the activation op
        h.Backward(seed);
        var plainGrads = net.Parameters().Select(p => p.Grad!.ToArray()).Append(x.Grad!.ToArray()).ToArray();

        Bits(fused.ToArray()).Should().Equal(Bits(h.ToArray()));
        for (var i = 0; i < fusedGrads.Length; i++) Bits(fusedGrads[i]).Should().Equal(Bits(plainGrads[i]), $"gradient {i}");
    }

    [Fact]
    public void A_one_output_head_on_a_ReLU_layer_applies_its_derivative_as_it_writes_the_gradient_with_the_same_bits()
    {
        // A critic's shape: the head's input gradient is written already masked by the ReLU below (one pass instead of
        // two), and the layer below then skips its own derivative; the bits are those of the layer-by-layer graph.
        var net = new Mlp(4, [64, 48], 1, Activation.ReLU, new Rng(6));
        var x = Tensor.Randn([37, 4], new Rng(7), requiresGrad: true);
        var seed = Tensor.Randn([37, 1], new Rng(8));

        long fusedBefore = Tensor.t_fusedHeadBackwards;
        var fused = net.Forward(x);
        fused.Backward(seed);
        (Tensor.t_fusedHeadBackwards - fusedBefore).Should().Be(1, "the head's backward took the masked path");
        var fusedGrads = net.Parameters().Select(p => p.Grad!.ToArray()).Append(x.Grad!.ToArray()).ToArray();

        net.ZeroGrad();
        x.Grad = null;
        var h = x;
        foreach (var layer in net.Layers) h = layer.Forward(h);
        h.Backward(seed);
        var plainGrads = net.Parameters().Select(p => p.Grad!.ToArray()).Append(x.Grad!.ToArray()).ToArray();
        for (var i = 0; i < fusedGrads.Length; i++) Bits(fusedGrads[i]).Should().Equal(Bits(plainGrads[i]), $"gradient {i}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_ReLU_layer_read_by_a_head_and_by_another_op_gets_both_gradients(bool headFirst)
    {
        // Two consumers: the head must not apply the derivative early, since the other op's gradient (3 everywhere, also
        // where the ReLU is off) is added to the same buffer afterwards or before, whichever the traversal reaches first.
        var rng = new Rng(9);
        var w1 = Tensor.Randn([32, 4], rng, requiresGrad: true);
        var w2 = Tensor.Randn([1, 32], rng, requiresGrad: true);
        var x = Tensor.Randn([9, 4], rng);
        Tensor Loss(Tensor h) => headFirst
            ? Tensor.Linear(h, w2, null).Sum() + (h * 3f).Sum()
            : (h * 3f).Sum() + Tensor.Linear(h, w2, null).Sum();

        long fusedBefore = Tensor.t_fusedHeadBackwards;
        Loss(Tensor.Linear(x, w1, null, Activation.ReLU)).Backward();
        (Tensor.t_fusedHeadBackwards - fusedBefore).Should().Be(0);
        var fusedOpGrad = w1.Grad!.ToArray();

        w1.Grad = null;
        w2.Grad = null;
        Loss(Tensor.Linear(x, w1, null).Relu()).Backward();
        Bits(fusedOpGrad).Should().Equal(Bits(w1.Grad!.ToArray()));
    }

    public static TheoryData<string, Reduction, bool> GatherLossCases()
    {
        var data = new TheoryData<string, Reduction, bool>();
        foreach (var loss in new[] { "huber", "mse" })
        foreach (var reduction in new[] { Reduction.Mean, Reduction.Sum, Reduction.None })
        foreach (var column in new[] { false, true })
            data.Add(loss, reduction, column);
        return data;
    }

    private static (Tensor Q, Tensor Actions, Tensor Target) GatherInputs(bool column, int seed)
    {
        var rng = new Rng((ulong)seed);
        var q = Tensor.Randn([6, 3], rng);
        var shape = column ? new[] { 6, 1 } : new[] { 6 };
        var actions = Tensor.From([0f, 2f, 1f, 1f, 0f, 2f], shape);
        var target = Tensor.Randn(shape, rng);
        // Keep every difference more than h away from the Huber kinks at ±1.
        for (var r = 0; r < 6; r++)
        {
            var d = q[r, (int)actions.Data[r]] - target.Data[r];
            if (Math.Abs(Math.Abs(d) - 1f) < 0.1f) target.Data[r] += 0.3f;
        }
        return (q, actions, target);
    }

    [Theory]
    [MemberData(nameof(GatherLossCases))]
    public void GatherLossEqualsGatherThenLossBitForBit(string loss, Reduction reduction, bool column)
    {
        var (q, actions, target) = GatherInputs(column, 11);
        q.RequiresGrad = true;
        target.RequiresGrad = true;
        var seedShape = reduction == Reduction.None ? target.Shape.ToArray() : Array.Empty<int>();
        var seed = Tensor.Randn(seedShape, new Rng(3));

        var fused = loss == "huber"
            ? Functional.GatherHuberLoss(q, actions, target, 1.3f, reduction)
            : Functional.GatherMseLoss(q, actions, target, reduction);
        fused.Backward(seed);
        var (fq, ft) = (q.Grad!.ToArray(), target.Grad!.ToArray());
        q.Grad = null;
        target.Grad = null;

        var gathered = q.Gather(1, actions);
        var plain = loss == "huber"
            ? Functional.HuberLoss(gathered, target, 1.3f, reduction)
            : Functional.MseLoss(gathered, target, reduction);
        plain.Backward(seed);

        fused.Shape.ToArray().Should().Equal(plain.Shape.ToArray());
        Bits(fused.ToArray()).Should().Equal(Bits(plain.ToArray()));
        Bits(fq).Should().Equal(Bits(q.Grad!.ToArray()));
        Bits(ft).Should().Equal(Bits(target.Grad!.ToArray()));
    }

    [Theory]
    [MemberData(nameof(GatherLossCases))]
    public void GatherLossMatchesFiniteDifferences(string loss, Reduction reduction, bool column)
    {
        var (q, actions, target) = GatherInputs(column, 12);
        Func<Tensor[], Tensor> f = loss == "huber"
            ? t => Functional.GatherHuberLoss(t[0], actions, t[1], 1f, reduction)
            : t => Functional.GatherMseLoss(t[0], actions, t[1], reduction);
        Check(f, q, target);
    }

    [Fact]
    public void GatherLossRejectsBadActionsAndShapes()
    {
        var q = Tensor.Zeros([2, 3]);
        FluentActions.Invoking(() => Functional.GatherHuberLoss(q, Tensor.From([0f, 3f]), Tensor.Zeros([2])))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*action 3 at row 1*");
        FluentActions.Invoking(() => Functional.GatherMseLoss(q, Tensor.From([0f, 1.5f]), Tensor.Zeros([2])))
            .Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => Functional.GatherMseLoss(q, Tensor.Zeros([3]), Tensor.Zeros([2])))
            .Should().Throw<ArgumentException>().WithMessage("*actions [3]*[2] or [2, 1]*");
        FluentActions.Invoking(() => Functional.GatherHuberLoss(q, Tensor.Zeros([2]), Tensor.Zeros([2]), delta: 0f))
            .Should().Throw<ArgumentOutOfRangeException>();
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void QTargetEqualsTheElementwiseOpsBitForBit(bool column, bool doubleDqn)
    {
        var rng = new Rng(21);
        var shape = column ? new[] { 9, 1 } : new[] { 9 };
        var rewards = Tensor.Randn(shape, rng);
        var discounts = Tensor.Rand(shape, rng, 0.9f, 1f);
        var dones = Tensor.From([0f, 1f, 0f, 0f, 1f, 0f, 0f, 0f, 1f], shape);
        var nextQ = Tensor.Randn([9, 4], rng);
        var online = Tensor.Randn([9, 4], rng);
        using var _ = Tensor.NoGrad();
        var v = doubleDqn ? nextQ.Gather(1, online.Argmax(1, keepDim: column)) : nextQ.Max(1, keepDim: column).Values;

        var expected = rewards + discounts * (1f - dones) * v;
        var fused = Functional.QTarget(rewards, discounts, dones, nextQ, doubleDqn ? online : null);
        fused.Shape.ToArray().Should().Equal(shape);
        Bits(fused.ToArray()).Should().Equal(Bits(expected.ToArray()));

        var expectedGamma = rewards + 0.99f * (1f - dones) * v;
        var fusedGamma = Functional.QTarget(rewards, 0.99f, dones, nextQ, doubleDqn ? online : null);
        Bits(fusedGamma.ToArray()).Should().Equal(Bits(expectedGamma.ToArray()));
    }

    private static int[] Bits(float[] v) => v.Select(BitConverter.SingleToInt32Bits).ToArray();
}
