using RlExperiments.Core;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;
using static RlExperiments.Tensors.Tests.GradCheck;

namespace RlExperiments.Tensors.Tests.Nn;

public class ModuleTests
{
    [Fact]
    public void MlpHasPyTorchNamesShapesAndDefaultInitBounds()
    {
        var net = new Mlp(4, [64, 32], 2, Activation.ReLU, new Rng(1));
        net.NamedParameters().Select(p => p.Name).Should().Equal("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias");
        net.StateDict()["2.weight"].Shape.ToArray().Should().Equal(32, 64);
        net.ParameterCount.Should().Be(4 * 64 + 64 + 64 * 32 + 32 + 32 * 2 + 2);
        foreach (var layer in net.LinearLayers)
        {
            var bound = 1f / MathF.Sqrt(layer.InFeatures);
            layer.Weight.ToArray().Should().OnlyContain(w => Math.Abs(w) <= bound);
            // U(−b, b) has standard deviation b/√3.
            var values = layer.Weight.ToArray();
            Math.Sqrt(values.Average(v => v * v)).Should().BeApproximately(bound / Math.Sqrt(3), bound * 0.1);
        }
    }

    [Fact]
    public void MlpForwardEqualsTheLayerFormulaAndDifferentiates()
    {
        var net = new Mlp(3, [5], 2, Activation.Tanh, new Rng(2));
        var x = Input([4, 3], 30);
        var l0 = (Linear)net.Layers[0];
        var l1 = (Linear)net.Layers[2];
        var y = net.Forward(x);
        for (var r = 0; r < 4; r++)
            for (var o = 0; o < 2; o++)
            {
                double s = l1.Bias!.Data[o];
                for (var h = 0; h < 5; h++)
                {
                    double z = l0.Bias!.Data[h];
                    for (var i = 0; i < 3; i++) z += x[r, i] * l0.Weight[h, i];
                    s += Math.Tanh(z) * l1.Weight[o, h];
                }
                ((double)y[r, o]).Should().BeApproximately(s, 1e-5);
            }
        var ps = net.Parameters().ToArray();
        Check(t => net.Forward(t[0]), [x, .. ps]);
    }

    [Theory]
    [InlineData(8, 4, 1.0f)]
    [InlineData(4, 8, 1.41421356f)]
    [InlineData(6, 6, 0.01f)]
    public void OrthogonalInitGivesOrthonormalRowsOrColumnsTimesGain(int rows, int cols, float gain)
    {
        var layer = new Linear(cols, rows, new Rng(3)).InitOrthogonal(gain, new Rng(4), biasValue: 0.5f);
        var w = layer.Weight;
        // W·Wᵀ = g²I when rows ≤ cols, WᵀW = g²I otherwise.
        var small = Math.Min(rows, cols);
        for (var a = 0; a < small; a++)
            for (var b = 0; b < small; b++)
            {
                double dot = 0;
                var len = Math.Max(rows, cols);
                for (var k = 0; k < len; k++)
                    dot += rows <= cols ? (double)w[a, k] * w[b, k] : (double)w[k, a] * w[k, b];
                dot.Should().BeApproximately(a == b ? gain * gain : 0, 1e-5 * Math.Max(1, gain * gain));
            }
        layer.Bias!.ToArray().Should().OnlyContain(v => v == 0.5f);
    }

    [Fact]
    public void CopyFromAndSoftUpdate()
    {
        var online = new Mlp(2, [3], 1, Activation.ReLU, new Rng(5));
        var target = new Mlp(2, [3], 1, Activation.ReLU, new Rng(6));
        var before = target.Parameters().Select(p => p.ToArray()).ToArray();
        target.SoftUpdate(online, 0.1f);
        var theirs = online.Parameters();
        var mine = target.Parameters();
        for (var i = 0; i < mine.Count; i++)
            for (var j = 0; j < mine[i].Count; j++)
                mine[i].Data[j].Should().BeApproximately(0.9f * before[i][j] + 0.1f * theirs[i].Data[j], 1e-6f);
        target.CopyFrom(online);
        for (var i = 0; i < mine.Count; i++) mine[i].ToArray().Should().Equal(theirs[i].ToArray());
        FluentActions.Invoking(() => target.SoftUpdate(new Mlp(2, [4], 1, Activation.ReLU, new Rng(7)), 0.5f))
            .Should().Throw<ArgumentException>().WithMessage("*'0.weight'*[3, 2]*[4, 2]*");
        FluentActions.Invoking(() => target.SoftUpdate(online, 1.5f)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*tau*");
    }

    [Fact]
    public void FrozenModulePassesGradientToItsInputButComputesNoneForItsWeights()
    {
        var critic = new Mlp(2, [4], 1, Activation.ReLU, new Rng(8));
        var action = Tensor.From([0.3f, -0.7f], [1, 2], requiresGrad: true);
        critic.SetRequiresGrad(false);
        critic.Forward(action).Sum().Backward();
        action.Grad.Should().NotBeNull("the gradient still flows through the frozen network to its input");
        critic.Parameters().Should().OnlyContain(p => p.Grad == null);
        critic.SetRequiresGrad(true);
        critic.Parameters().Should().OnlyContain(p => p.RequiresGrad);
    }

    [Fact]
    public void LoadStateDictRejectsMissingAndExtraNames()
    {
        var net = new Mlp(2, [3], 1, Activation.ReLU, new Rng(5));
        var state = net.StateDict();
        state.Remove("2.bias");
        FluentActions.Invoking(() => net.LoadStateDict(state)).Should().Throw<InvalidDataException>().WithMessage("*missing*'2.bias'*[1]*");
        state = net.StateDict();
        state["extra"] = Tensor.Zeros([1]);
        FluentActions.Invoking(() => net.LoadStateDict(state)).Should().Throw<InvalidDataException>().WithMessage("*unexpected entry 'extra'*");
    }

    [Fact]
    public void Freezing_and_zeroing_a_module_allocate_nothing()
    {
        // SAC-style updates freeze the critics twice per step; foreach over Parameters() boxed an enumerator there.
        var mlp = new Mlp(3, [8, 8], 1, Activation.ReLU, new Rng(0));
        for (var i = 0; i < 100; i++) { mlp.SetRequiresGrad(false); mlp.SetRequiresGrad(true); mlp.ZeroGrad(); }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++) { mlp.SetRequiresGrad(false); mlp.SetRequiresGrad(true); mlp.ZeroGrad(); }
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        mlp.Parameters().Should().OnlyContain(p => p.RequiresGrad);
    }
}
