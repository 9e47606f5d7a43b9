using RlExperiments.Core;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Kernels;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Tensors.Tests.Nn;

public class InferencePlanTests
{
    public static TheoryData<Activation> Activations => new() { Activation.ReLU, Activation.Tanh, Activation.ELU, Activation.Sigmoid, Activation.Identity };

    [Theory]
    [MemberData(nameof(Activations))]
    public void PlanEqualsModuleForwardBitForBitForEveryBatchSize(Activation activation)
    {
        var rng = new Rng(5);
        var net = new Mlp(4, [64, 64], 3, activation, rng);
        var plan = new InferencePlan(net, maxBatch: 9);
        plan.Inputs.Should().Be(4);
        plan.Outputs.Should().Be(3);
        // CleanRL's DQN widths (not multiples of any vector width) exercise the depth tails and a short last row group.
        var odd = new Mlp(5, [120, 84], 2, activation, rng);
        var oddPlan = new InferencePlan(odd, maxBatch: 9);
        foreach (var rows in new[] { 1, 2, 3, 4, 5, 9 })
        {
            var xo = Tensor.Randn([rows, 5], rng);
            float[] expectedOdd;
            using (Tensor.NoGrad()) expectedOdd = odd.Forward(xo).ToArray();
            oddPlan.Forward(xo.Data).ToArray().Should().Equal(expectedOdd, $"4-120-84-2, rows {rows}");
        }
        foreach (var rows in new[] { 1, 2, 3, 4, 5, 9 })
        {
            var x = Tensor.Randn([rows, 4], rng);
            float[] expected;
            using (Tensor.NoGrad()) expected = net.Forward(x).ToArray();
            var actual = plan.Forward(x.Data).ToArray();
            actual.Should().Equal(expected, $"the plan sums as the module's products do (rows {rows})");
        }
    }

    [Fact]
    public void PlanReadsTheLiveParametersAndPicksTheGreedyAction()
    {
        var net = new Mlp(3, [8], 2, Activation.ReLU, new Rng(1));
        var plan = new InferencePlan(net);
        var obs = new[] { 0.5f, -1f, 2f };
        var last = net.LinearLayers.Last();
        last.Weight.Data.Clear();
        last.Bias!.Data[0] = 1f;
        last.Bias.Data[1] = 2f;
        plan.Argmax(obs).Should().Be(1);
        last.Bias.Data[0] = 3f;
        plan.Argmax(obs).Should().Be(0);
        plan.Forward(obs).ToArray().Should().Equal(3f, 2f);
    }

    [Fact]
    public void BatchArgmaxGivesOneActionPerRow()
    {
        var net = new Mlp(2, [16], 4, Activation.Tanh, new Rng(3));
        var plan = new InferencePlan(net, maxBatch: 6);
        var x = Tensor.Randn([6, 2], new Rng(4));
        var actions = new int[6];
        plan.Argmax(x.Data, actions);
        using var _ = Tensor.NoGrad();
        var q = net.Forward(x);
        for (var r = 0; r < 6; r++)
        {
            var row = q.Data.Slice(r * 4, 4).ToArray();
            actions[r].Should().Be(Array.IndexOf(row, row.Max()));
        }
    }

    [Fact]
    public void ActingAllocatesNothing()
    {
        var net = new Mlp(4, [64, 64], 2, Activation.ReLU, new Rng(6));
        var plan = new InferencePlan(net, maxBatch: 8);
        var one = new float[] { 0.1f, -0.2f, 0.3f, 0.05f };
        var eight = Tensor.Randn([8, 4], new Rng(7)).ToArray();
        var actions = new int[8];
        var sum = 0;
        for (var i = 0; i < 100; i++)
        {
            sum += plan.Argmax(one);
            plan.Argmax(eight, actions);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            sum += plan.Argmax(one);
            plan.Argmax(eight, actions);
        }
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        sum.Should().BeGreaterThanOrEqualTo(0);
    }

    private sealed class Custom : Module
    {
        public override Tensor Forward(Tensor input) => input;
    }

    [Fact]
    public void UnsupportedLayersAndBadInputsAreRefusedWithClearMessages()
    {
        var net = new Sequential(new Linear(2, 3, new Rng(1)), new Custom());
        InferencePlan.CanCompile(net).Should().BeFalse();
        InferencePlan.CanCompile(new Mlp(2, [3], 1, Activation.Tanh, new Rng(1))).Should().BeTrue();
        FluentActions.Invoking(() => new InferencePlan(net)).Should().Throw<NotSupportedException>().WithMessage("*Custom*");
        var plan = new InferencePlan(new Mlp(2, [3], 1, Activation.Tanh, new Rng(1)), maxBatch: 2);
        FluentActions.Invoking(() => plan.Forward(new float[3])).Should().Throw<ArgumentException>().WithMessage("*1 to 2 rows of 2*");
        FluentActions.Invoking(() => plan.Forward(new float[6])).Should().Throw<ArgumentException>();
    }

    [Fact]
    public unsafe void MatVecPathsAgreeWithADoubleReferenceOnOddShapes()
    {
        var rng = new Rng(9);
        foreach (var inF in new[] { 1, 3, 8, 9, 17, 31, 64, 100 })
        foreach (var outF in new[] { 1, 3, 4, 5, 64, 67 })
        {
            var w = Tensor.Rand([outF, inF], rng, -1f, 1f).ToArray();
            var x = Tensor.Rand([inF], rng, -1f, 1f).ToArray();
            var b = Tensor.Rand([outF], rng, -1f, 1f).ToArray();
            var auto = new float[outF];
            var avx2 = new float[outF];
            var scalar = new float[outF];
            fixed (float* pw = w, px = x, pb = b, pa = auto, p2 = avx2, ps = scalar)
            {
                MatVec.Multiply(pw, outF, inF, px, pb, pa);
                MatVec.MultiplyVector256(pw, outF, inF, px, pb, p2);
                MatVec.Scalar(pw, outF, inF, px, pb, ps);
            }
            for (var o = 0; o < outF; o++)
            {
                double exact = b[o], bound = Math.Abs(b[o]);
                for (var i = 0; i < inF; i++)
                {
                    exact += (double)w[o * inF + i] * x[i];
                    bound += Math.Abs((double)w[o * inF + i] * x[i]);
                }
                var tol = (inF + 2) * bound / (1 << 24);
                foreach (var (name, got) in new[] { ("auto", auto), ("avx2", avx2), ("scalar", scalar) })
                    Math.Abs(got[o] - exact).Should().BeLessThanOrEqualTo(tol, $"{name} {outF}x{inF} row {o}");
            }
        }
    }
}
