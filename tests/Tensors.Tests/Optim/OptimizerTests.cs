using RlExperiments.Core;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Tensors.Tests.Optim;

/// <summary>
/// Each optimiser against the update rule in PyTorch's documentation, computed here in double precision
/// for several steps with fixed gradients. float32 arithmetic in the optimiser keeps agreement to ~1e-6 relative.
/// </summary>
public class OptimizerTests
{
    private static readonly double[] P0 = [0.5, -1.5, 2.0];
    private static readonly double[][] Grads = [[0.1, -0.2, 0.3], [-0.5, 0.4, 0.05], [0.2, 0.2, -0.7], [1.0, -1.0, 0.0]];

    private static Tensor Param() => Tensor.From(P0.Select(v => (float)v).ToArray(), requiresGrad: true);

    private static void Run(Optimizer opt, Tensor p, Func<int, double[], double[]> reference)
    {
        var expected = (double[])P0.Clone();
        for (var t = 0; t < Grads.Length; t++)
        {
            opt.ZeroGrad();
            p.Grad = Tensor.From(Grads[t].Select(v => (float)v).ToArray());
            opt.Step();
            expected = reference(t + 1, expected);
            for (var i = 0; i < expected.Length; i++)
                ((double)p.Data[i]).Should().BeApproximately(expected[i], 2e-6 * Math.Max(1, Math.Abs(expected[i])), $"step {t + 1}, element {i}");
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void AdamFollowsPyTorch(double weightDecay)
    {
        double lr = 0.01, b1 = 0.8, b2 = 0.95, eps = 1e-6;
        var p = Param();
        var m = new double[3];
        var v = new double[3];
        Run(new Adam([p], lr, b1, b2, eps, weightDecay), p, (t, theta) =>
        {
            var g = Grads[t - 1];
            var next = new double[3];
            for (var i = 0; i < 3; i++)
            {
                var gi = g[i] + weightDecay * theta[i];
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                var denom = Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(b2, t)) + eps;
                next[i] = theta[i] - lr / (1 - Math.Pow(b1, t)) * m[i] / denom;
            }
            return next;
        });
    }

    [Theory]
    [InlineData(8)]   // Vector<float> width on AVX2/AVX-512 machines: the vector loop
    [InlineData(3)]   // the scalar tail
    public void AdamMomentsOfAZeroGradientDecayToZeroWithoutSubnormalsAndTheWeightsFollowPyTorch(int size)
    {
        // A weight whose gradient becomes zero (a dead ReLU unit): its moments decay geometrically. Unflushed they would
        // spend thousands of steps in the subnormal range (slow on x64); flushed they reach exact zero, while the
        // parameters still follow the double-precision PyTorch rule to float precision.
        double lr = 1e-3, b1 = 0.9, b2 = 0.99, eps = 1e-8; // β₂ = 0.99: v leaves the float range within the test's 10k steps
        var p = Tensor.From(Enumerable.Range(0, size).Select(i => 0.25f * (i + 1)).ToArray(), requiresGrad: true);
        var theta = p.ToArray().Select(x => (double)x).ToArray();
        var m = new double[size];
        var v = new double[size];
        var opt = new Adam([p], lr, b1, b2, eps);
        for (var t = 1; t <= 10000; t++)
        {
            var g = t <= 3 ? 1e-3 : 0.0;
            p.Grad = Tensor.Full([size], (float)g);
            opt.Step();
            for (var i = 0; i < size; i++)
            {
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                theta[i] -= lr / (1 - Math.Pow(b1, t)) * m[i] / (Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(b2, t)) + eps);
            }
            if (t % 1000 != 0) continue;
            foreach (var (name, buffer) in opt.GetState().Buffers)
                buffer.ToArray().Should().NotContain(x => float.IsSubnormal(x), $"{name} after {t} steps");
        }
        for (var i = 0; i < size; i++) ((double)p.Data[i]).Should().BeApproximately(theta[i], 1e-6, $"element {i}");
        opt.GetState().Buffers.Values.SelectMany(b => b.ToArray()).Should().OnlyContain(x => x == 0f, "both moments have decayed to exactly zero");
    }

    [Fact]
    public void AdamWithZeroEpsilonFlushesNothing()
    {
        var p = Tensor.From([1f], requiresGrad: true);
        var opt = new Adam([p], 1e-3, eps: 0);
        p.Grad = Tensor.From([1e-16f]);
        opt.Step();
        float.IsFinite(p.Data[0]).Should().BeTrue("a tiny gradient's square is kept when nothing guards the division");
        opt.GetState().Buffers["exp_avg_sq.0"].Data[0].Should().BeGreaterThan(0f);
    }

    [Fact]
    public void AdamWDecaysDecoupled()
    {
        double lr = 0.02, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.05;
        var p = Param();
        var m = new double[3];
        var v = new double[3];
        Run(new AdamW([p], lr, b1, b2, eps, wd), p, (t, theta) =>
        {
            var g = Grads[t - 1];
            var next = new double[3];
            for (var i = 0; i < 3; i++)
            {
                var decayed = theta[i] * (1 - lr * wd);
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                var denom = Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(b2, t)) + eps;
                next[i] = decayed - lr / (1 - Math.Pow(b1, t)) * m[i] / denom;
            }
            return next;
        });
    }

    [Theory]
    [InlineData(0.9, 0.0, false, 0.0)]
    [InlineData(0.9, 0.0, true, 0.01)]
    [InlineData(0.5, 0.3, false, 0.0)]
    [InlineData(0.0, 0.0, false, 0.0)]
    public void SgdFollowsPyTorch(double mu, double dampening, bool nesterov, double wd)
    {
        var lr = 0.1;
        var p = Param();
        double[]? buf = null;
        Run(new Sgd([p], lr, mu, dampening, wd, nesterov), p, (t, theta) =>
        {
            var g = Grads[t - 1].Select((gi, i) => gi + wd * theta[i]).ToArray();
            if (mu != 0)
            {
                buf = buf is null ? (double[])g.Clone() : buf.Select((b, i) => mu * b + (1 - dampening) * g[i]).ToArray();
                g = nesterov ? g.Select((gi, i) => gi + mu * buf[i]).ToArray() : (double[])buf.Clone();
            }
            return theta.Select((x, i) => x - lr * g[i]).ToArray();
        });
    }

    [Theory]
    [InlineData(false, 0.0, 0.0)]
    [InlineData(true, 0.0, 0.0)]
    [InlineData(false, 0.9, 0.0)]
    [InlineData(true, 0.5, 0.1)]
    public void RmsPropFollowsPyTorch(bool centered, double mu, double wd)
    {
        double lr = 0.01, alpha = 0.9, eps = 1e-6;
        var p = Param();
        var sq = new double[3];
        var avg = new double[3];
        var buf = new double[3];
        Run(new RmsProp([p], lr, alpha, eps, wd, mu, centered), p, (t, theta) =>
        {
            var next = new double[3];
            for (var i = 0; i < 3; i++)
            {
                var g = Grads[t - 1][i] + wd * theta[i];
                sq[i] = alpha * sq[i] + (1 - alpha) * g * g;
                double d;
                if (centered)
                {
                    avg[i] = alpha * avg[i] + (1 - alpha) * g;
                    d = Math.Sqrt(sq[i] - avg[i] * avg[i]) + eps;
                }
                else d = Math.Sqrt(sq[i]) + eps;
                if (mu > 0)
                {
                    buf[i] = mu * buf[i] + g / d;
                    next[i] = theta[i] - lr * buf[i];
                }
                else next[i] = theta[i] - lr * g / d;
            }
            return next;
        });
    }

    [Fact]
    public void SavedStateContinuesExactly()
    {
        var a = Param();
        var b = Param();
        var optA = new Adam([a], 0.01);
        var optB = new Adam([b], 0.5);
        for (var t = 0; t < 2; t++)
        {
            a.Grad = Tensor.From(Grads[t].Select(v => (float)v).ToArray());
            optA.Step();
        }
        a.Data.CopyTo(b.Data);
        var path = Path.Combine(Path.GetTempPath(), $"adam-{Guid.NewGuid():N}.safetensors");
        try
        {
            optA.GetState().Save(path);
            optB.LoadState(OptimizerState.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
        optB.StepCount.Should().Be(2);
        optB.LearningRate.Should().Be(0.01);
        for (var t = 2; t < 4; t++)
        {
            a.Grad = Tensor.From(Grads[t].Select(v => (float)v).ToArray());
            b.Grad = Tensor.From(Grads[t].Select(v => (float)v).ToArray());
            optA.Step();
            optB.Step();
        }
        b.ToArray().Should().Equal(a.ToArray());
    }

    [Fact]
    public void LoadingAFileWithoutOptimizerMetadataIsAClearError()
    {
        var path = Path.Combine(Path.GetTempPath(), $"weights-{Guid.NewGuid():N}.safetensors");
        try
        {
            RlExperiments.Tensors.Serialization.SafeTensors.Save(path, new Dictionary<string, Tensor> { ["w"] = Tensor.Zeros([2]) });
            FluentActions.Invoking(() => OptimizerState.Load(path)).Should().Throw<InvalidDataException>().WithMessage("*not an optimizer state*");
        }
        finally
        {
            File.Delete(path); // also when an assertion fails: mutation runs (tools/mutation-test.sh) left 2 GB files here
        }
    }

    [Fact]
    public void LoadStateRejectsWrongShapesNamesAndTypes()
    {
        var state = new Adam([Param()]).GetState();
        FluentActions.Invoking(() => new Sgd([Param()], 0.1, momentum: 0.9).LoadState(state))
            .Should().Throw<InvalidDataException>().WithMessage("*saved by Adam, not Sgd*");
        var other = new Adam([Tensor.Zeros([2], requiresGrad: true)]);
        var p = Param();
        p.Grad = Tensor.Ones([3]);
        var trained = new Adam([p]);
        trained.Step();
        FluentActions.Invoking(() => other.LoadState(trained.GetState()))
            .Should().Throw<InvalidDataException>().WithMessage("*exp_avg*.0*shape [3]*[2]*");
    }

    [Fact]
    public void InvalidHyperparametersAreNamed()
    {
        FluentActions.Invoking(() => new Adam([Param()], learningRate: -1)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*learning rate*");
        FluentActions.Invoking(() => new Adam([Param()], beta1: 1.0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*beta1*[0, 1)*");
        FluentActions.Invoking(() => new Sgd([Param()], 0.1, nesterov: true)).Should().Throw<ArgumentException>().WithMessage("*Nesterov*momentum > 0*");
        FluentActions.Invoking(() => new Adam([Tensor.Zeros([2])])).Should().Throw<ArgumentException>().WithMessage("*does not require grad*");
    }

    [Fact]
    public void ClipGradNormScalesJointNormAndReturnsIt()
    {
        var a = Tensor.Zeros([2], requiresGrad: true);
        var b = Tensor.Zeros([1], requiresGrad: true);
        a.Grad = Tensor.From([3f, 0f]);
        b.Grad = Tensor.From([4f]);
        var norm = GradClip.ClipGradNorm([a, b], 1.0);
        norm.Should().BeApproximately(5.0, 1e-6);
        var scale = 1.0 / (5.0 + 1e-6);
        ((double)a.Grad!.Data[0]).Should().BeApproximately(3 * scale, 1e-6);
        ((double)b.Grad!.Data[0]).Should().BeApproximately(4 * scale, 1e-6);
        // Below the limit nothing changes.
        GradClip.ClipGradNorm([a, b], 10.0);
        ((double)b.Grad!.Data[0]).Should().BeApproximately(4 * scale, 1e-6);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AdamGivesEveryElementTheSameBitsInTheVectorLoopsAsInTheScalarLoop(bool decoupled)
    {
        // 1,000 weights as one tensor (16- and 8-lane loops, then a scalar tail) and as 1,000 one-element tensors (the
        // scalar loop only), from the same values, over steps whose moments decay into the flush thresholds.
        const int n = 1000;
        var rng = new Rng(21);
        var start = Enumerable.Range(0, n).Select(_ => 2f * rng.NextFloat() - 1f).ToArray();
        var grads = Enumerable.Range(0, 6).Select(step => Enumerable.Range(0, n)
            .Select(i => step > 2 && i % 5 == 0 ? 0f : (2f * rng.NextFloat() - 1f) * MathF.Pow(10f, -(i % 40))).ToArray()).ToArray();
        var whole = Tensor.From(start, requiresGrad: true);
        var singles = start.Select(x => Tensor.From([x], requiresGrad: true)).ToArray();
        Optimizer Make(IReadOnlyList<Tensor> ps) => decoupled ? new AdamW(ps, 1e-2, weightDecay: 0.1) : new Adam(ps, 1e-2, weightDecay: 0.1);
        var a = Make([whole]);
        var b = Make(singles);
        foreach (var g in grads)
        {
            whole.Grad = Tensor.From(g);
            for (var i = 0; i < n; i++) singles[i].Grad = Tensor.From([g[i]]);
            a.Step();
            b.Step();
        }

        var vectorBits = whole.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();
        var scalarBits = singles.Select(t => BitConverter.SingleToInt32Bits(t.Data[0])).ToArray();
        vectorBits.Should().Equal(scalarBits);
    }

    [Fact]
    public void ClipGradNormWithPrecomputedSumsOfSquaresClipsTheSameAndChecksTheirCount()
    {
        var a = Tensor.Zeros([2], requiresGrad: true);
        var b = Tensor.Zeros([1], requiresGrad: true);
        var none = Tensor.Zeros([3], requiresGrad: true);
        a.Grad = Tensor.From([3f, 0f]);
        b.Grad = Tensor.From([4f]);
        var norm = GradClip.ClipGradNorm([a, none, b], [9f, 0f, 16f], 1.0);
        norm.Should().Be(5.0);
        ((double)a.Grad!.Data[0]).Should().BeApproximately(3 / (5.0 + 1e-6), 1e-6);
        ((double)b.Grad!.Data[0]).Should().BeApproximately(4 / (5.0 + 1e-6), 1e-6);
        FluentActions.Invoking(() => GradClip.ClipGradNorm([a, b], [1f], 1.0)).Should().Throw<ArgumentException>().WithMessage("*1 sums of squares for 2 parameters*");
    }

    [Fact]
    public void ClippingAllocatesNothing()
    {
        IReadOnlyList<Tensor> ps = [Tensor.Zeros([4], requiresGrad: true), Tensor.Zeros([3], requiresGrad: true)];
        void Clip()
        {
            ps[0].Grad = ps[0].Grad ?? Tensor.Full([4], 10f);
            ps[0].Grad!.Fill(10f);
            GradClip.ClipGradNorm(ps, 0.5); // always clips
        }
        for (var i = 0; i < 10; i++) Clip();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) Clip();
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void LinearScheduleInterpolatesThenHolds()
    {
        var opt = new Adam([Param()], learningRate: 1.0);
        var s = new LinearLr(opt, 1.0, 0.0, totalSteps: 4);
        opt.LearningRate.Should().Be(1.0);
        var seen = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            s.Step();
            seen.Add(opt.LearningRate);
        }
        seen.Should().Equal(0.75, 0.5, 0.25, 0.0, 0.0, 0.0);
        s.Restore(2);
        opt.LearningRate.Should().Be(0.5);
        var c = new ConstantLr(opt);
        c.Step();
        opt.LearningRate.Should().Be(0.5, "ConstantLr keeps the rate it found");
    }

    [Fact]
    public void ZeroGradThenBackwardOverwritesInsteadOfAccumulating()
    {
        var w = Tensor.From([1f, 2f], requiresGrad: true);
        (w * 3f).Sum().Backward();
        (w * 3f).Sum().Backward();
        w.Grad!.ToArray().Should().Equal(6f, 6f);
        w.ZeroGrad();
        w.Grad!.ToArray().Should().Equal(0f, 0f);
        (w * 5f).Sum().Backward();
        w.Grad!.ToArray().Should().Equal(5f, 5f);
        w.ZeroGrad();
        (w * 7f).Sum().Backward();
        w.Grad!.ToArray().Should().Equal(7f, 7f);
    }
}
