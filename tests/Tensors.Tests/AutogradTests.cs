using RlExperiments.Core;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Tensors.Tests;

public class AutogradTests
{
    [Fact]
    public void GradientsAccumulateAcrossBackwardCalls()
    {
        var x = Tensor.From([2f], requiresGrad: true);
        (x * x).Sum().Backward();
        (x * 3f).Sum().Backward();
        x.Grad!.Data[0].Should().Be(2 * 2f + 3f);
    }

    [Fact]
    public void SharedSubexpressionGetsBothContributions()
    {
        var x = Tensor.From([1.5f], requiresGrad: true);
        var y = x.Tanh();
        (y * y + y).Sum().Backward();     // d/dx (t² + t) = (2t + 1)(1 − t²)
        var t = MathF.Tanh(1.5f);
        x.Grad!.Data[0].Should().BeApproximately((2 * t + 1) * (1 - t * t), 1e-6f);
    }

    [Fact]
    public void NonScalarBackwardWithoutSeedIsAClearError()
    {
        var x = Tensor.Ones([3], requiresGrad: true);
        FluentActions.Invoking(() => (x * 2f).Backward()).Should().Throw<InvalidOperationException>().WithMessage("*non-scalar*[3]*explicit gradient*");
        FluentActions.Invoking(() => (x * 2f).Backward(Tensor.Ones([2]))).Should().Throw<ArgumentException>().WithMessage("*[3]*[2]*");
    }

    [Fact]
    public void NaNInputsFlowThroughWithoutErrors()
    {
        var x = Tensor.From([float.NaN, 1f], requiresGrad: true);
        var loss = (x * 2f).Sum();
        float.IsNaN(loss.Item()).Should().BeTrue();
        loss.Backward();
        x.Grad!.ToArray().Should().Equal(2f, 2f);
    }

    [Fact]
    public void SecondBackwardThroughAFreedGraphIsAnError()
    {
        var x = Tensor.From([1f], requiresGrad: true);
        var h = x.Exp();
        var loss = h.Sum();
        loss.Backward();
        FluentActions.Invoking(() => loss.Backward()).Should().Throw<InvalidOperationException>().WithMessage("*already freed*");
        FluentActions.Invoking(() => (h * 2f).Sum().Backward()).Should().Throw<InvalidOperationException>().WithMessage("*earlier Backward freed*");
    }

    [Fact]
    public void NoGradBuildsNoGraphAndDetachStopsGradients()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        using (Tensor.NoGrad())
        {
            var y = x * 2f;
            y.RequiresGrad.Should().BeFalse();
            y.IsLeaf.Should().BeTrue();
        }
        (x * 2f).RequiresGrad.Should().BeTrue("recording resumes after the scope");
        var d = x.Detach();
        d.RequiresGrad.Should().BeFalse();
        ((x * d).Sum()).Backward();
        x.Grad!.ToArray().Should().Equal(1f, 2f); // d is a constant: d(x·d)/dx = d
        FluentActions.Invoking(() => (d * 2f).Sum().Backward()).Should().Throw<InvalidOperationException>().WithMessage("*does not require grad*");
    }

    [Fact]
    public void ScopeRecyclesTensorsAndMoveToOuterScopeKeepsThem()
    {
        Tensor kept;
        Tensor recycledFull, recycled;
        using (Tensor.Scope())
        {
            recycledFull = Tensor.Full([5], 3f);
            recycled = recycledFull * 2f;
            kept = (Tensor.Full([4], 1f) + 1f).MoveToOuterScope();
        }
        kept.ToArray().Should().Equal(2f, 2f, 2f, 2f);
        using (Tensor.Scope())
        {
            var again = Tensor.Full([5], 7f) * 1f;
            // The pool hands back storage of the same size: one of the two recycled [5] arrays is reused.
            again._data.Should().Match<float[]>(d => ReferenceEquals(d, recycled._data) || ReferenceEquals(d, recycledFull._data));
        }
        kept.ToArray().Should().Equal(2f, 2f, 2f, 2f);
    }

    [Fact]
    public void ScopesMustCloseInnermostFirst()
    {
        var outer = Tensor.Scope();
        var inner = Tensor.Scope();
        FluentActions.Invoking(() => outer.Dispose()).Should().Throw<InvalidOperationException>().WithMessage("*innermost first*");
        inner.Dispose();
        outer.Dispose();
    }

    [Fact]
    public void TrainingStepInAScopeAllocatesNothingAfterWarmUp()
    {
        var rng = new Rng(1);
        var net = new Mlp(4, [64, 64], 2, Activation.Tanh, rng);
        var opt = new Adam(net.Parameters(), 3e-4);
        var x = Tensor.Randn([128, 4], rng);
        var y = Tensor.Randn([128, 2], rng);
        var actions = Tensor.From(Enumerable.Range(0, 128).Select(i => (float)(i % 2)).ToArray());
        void Step()
        {
            using var scope = Tensor.Scope();
            var q = net.Forward(x);
            var loss = Functional.MseLoss(q, y) + Functional.HuberLoss(q.Gather(1, actions), y.Max(1).Values)
                       - 0.01f * new RlExperiments.Tensors.Distributions.Categorical(q).Entropy().Mean();
            opt.ZeroGrad();
            loss.Backward();
            GradClip.ClipGradNorm(opt.Parameters, 0.5);
            opt.Step();
            using (Tensor.NoGrad()) net.Forward(x.SliceRows(0, 8)).Argmax(1);
        }
        for (var i = 0; i < 20; i++) Step();
        var allocated = RlExperiments.Testing.SteadyStateAllocation.LeastBytes(() => { for (var i = 0; i < 1000; i++) Step(); });
        allocated.Should().Be(0, "forward, backward and Adam reuse pooled buffers in steady state");
    }

    [Fact]
    public void StepsOutsideAScopeStillLearn()
    {
        // Without scopes tensors are ordinary garbage-collected objects: a regression fit must still converge.
        var rng = new Rng(2);
        var net = new Mlp(1, [16], 1, Activation.Tanh, rng);
        var opt = new Adam(net.Parameters(), 1e-2);
        var x = Tensor.From(Enumerable.Range(0, 64).Select(i => i / 32f - 1f).ToArray(), [64, 1]);
        var target = x * x;
        float first = 0, last = 0;
        for (var i = 0; i < 500; i++)
        {
            var loss = Functional.MseLoss(net.Forward(x), target);
            if (i == 0) first = loss.Item();
            last = loss.Item();
            opt.ZeroGrad();
            loss.Backward();
            opt.Step();
        }
        last.Should().BeLessThan(first / 20);
    }
}
