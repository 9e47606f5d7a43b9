using RlExperiments.Core;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Distributions;
using static RlExperiments.Tensors.Tests.GradCheck;

namespace RlExperiments.Tensors.Tests.Distributions;

public class DistributionTests
{
    [Fact]
    public void CategoricalLogProbAndEntropyMatchDefinitionsAndGradients()
    {
        var logits = Input([3, 4], 21);
        var actions = Tensor.From([1f, 3f, 0f]);
        var dist = new Categorical(logits);
        for (var r = 0; r < 3; r++)
        {
            var z = Enumerable.Range(0, 4).Sum(j => Math.Exp(logits[r, j]));
            var p = Enumerable.Range(0, 4).Select(j => Math.Exp(logits[r, j]) / z).ToArray();
            ((double)dist.LogProb(actions).Data[r]).Should().BeApproximately(Math.Log(p[(int)actions.Data[r]]), 1e-5);
            ((double)dist.Entropy().Data[r]).Should().BeApproximately(-p.Sum(q => q * Math.Log(q)), 1e-5);
        }
        Check(t => new Categorical(t[0]).LogProb(actions), logits);
        Check(t => new Categorical(t[0]).Entropy(), logits);
        dist.Mode().ToArray().Should().Equal(Enumerable.Range(0, 3).Select(r => (float)Enumerable.Range(0, 4).MaxBy(j => logits[r, j])).ToArray());
    }

    [Fact]
    public void SampleFromLogitsDrawsAndScoresAsTheTensorPathBitForBit()
    {
        var logits = Tensor.Randn([37, 5], new Rng(12));
        for (var i = 0; i < logits.Count; i++) logits.Data[i] *= 3f;
        var dist = new Categorical(logits);
        var expectedActions = dist.Sample(new Rng(13));
        var expectedLogProbs = dist.LogProb(expectedActions);

        var actions = new float[37];
        var logProbs = new float[37];
        Categorical.SampleFromLogits(logits.Data, new Rng(13), actions, logProbs, new float[5]);
        actions.Should().Equal(expectedActions.ToArray());
        logProbs.Should().Equal(expectedLogProbs.ToArray());
        actions.Distinct().Count().Should().BeGreaterThan(1);

        FluentActions.Invoking(() => Categorical.SampleFromLogits(new float[10], new Rng(1), new float[3], new float[3], new float[5]))
            .Should().Throw<ArgumentException>().WithMessage("*10 logits, 3 actions*");
        FluentActions.Invoking(() => Categorical.SampleFromLogits(new float[10], new Rng(1), new float[2], new float[2], new float[4]))
            .Should().Throw<ArgumentException>().WithMessage("*scratch needs 5*");
    }

    [Fact]
    public void CategoricalSamplesFollowTheProbabilities()
    {
        var logits = Tensor.From([0f, MathF.Log(2f), MathF.Log(7f)], [1, 3]); // p = 0.1, 0.2, 0.7
        var dist = new Categorical(logits);
        var rng = new Rng(3);
        var counts = new int[3];
        const int n = 20_000;
        for (var i = 0; i < n; i++) counts[(int)dist.Sample(rng).Data[0]]++;
        // Binomial sd is at most sqrt(n/4) = 71; allow 5 sd.
        counts[0].Should().BeCloseTo(2_000, 355);
        counts[1].Should().BeCloseTo(4_000, 355);
        counts[2].Should().BeCloseTo(14_000, 355);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void NormalLogProbAndEntropy(bool stateIndependentStd)
    {
        var mean = Input([3, 2], 22);
        var logStd = stateIndependentStd ? Input([2], 23, -1f, 0.5f) : Input([3, 2], 23, -1f, 0.5f);
        var x = Input([3, 2], 24);
        var dist = new Normal(mean, logStd);
        for (var r = 0; r < 3; r++)
        {
            double lp = 0, h = 0;
            for (var j = 0; j < 2; j++)
            {
                double ls = stateIndependentStd ? logStd.Data[j] : logStd[r, j];
                var z = (x[r, j] - mean[r, j]) / Math.Exp(ls);
                lp += -0.5 * z * z - ls - 0.5 * Math.Log(2 * Math.PI);
                h += 0.5 + 0.5 * Math.Log(2 * Math.PI) + ls;
            }
            ((double)dist.LogProb(x).Data[r]).Should().BeApproximately(lp, 1e-5);
            ((double)dist.Entropy().Data[r]).Should().BeApproximately(h, 1e-5);
        }
        Check(t => new Normal(t[0], t[1]).LogProb(t[2]), mean, logStd, x);
        Check(t => new Normal(mean, t[0]).Entropy(), logStd);
    }

    [Fact]
    public void NormalRSampleIsReparameterisedAndHasTheRightMoments()
    {
        var mean = Tensor.Full([5000, 1], 1.5f, requiresGrad: true);
        var logStd = Tensor.From([MathF.Log(0.5f)], requiresGrad: true);
        var sample = new Normal(mean, logStd).RSample(new Rng(4));
        var values = sample.ToArray();
        values.Average().Should().BeApproximately(1.5f, 0.5f * 5 / MathF.Sqrt(5000));
        Math.Sqrt(values.Select(v => (v - 1.5) * (v - 1.5)).Average()).Should().BeApproximately(0.5, 0.03);
        sample.Sum().Backward();
        mean.Grad!.Data[0].Should().Be(1f, "d(μ + σε)/dμ = 1");
        // d/d logσ Σ(μ + σε) = Σ σε = Σ (x − μ)
        ((double)logStd.Grad!.Data[0]).Should().BeApproximately(values.Sum(v => v - 1.5), 1e-2);
    }

    [Fact]
    public void TanhNormalLogProbIsADensityOnTheSquashedInterval()
    {
        // ∫ π(a) da over (−1, 1) must be 1: integrate exp(logπ(tanh u))·(1 − tanh²u) du over u (a = tanh u).
        var mean = Tensor.From([0.7f], [1, 1]);
        var logStd = Tensor.From([MathF.Log(0.8f)], [1, 1]);
        var dist = new TanhNormal(mean, logStd);
        double integral = 0;
        const double du = 1e-3;
        for (var u = -8.0; u < 8.0; u += du)
        {
            var lp = dist.LogProbOfPreSquash(Tensor.From([(float)u], [1, 1])).Item();
            var t = Math.Tanh(u);
            integral += Math.Exp(lp) * (1 - t * t) * du;
        }
        integral.Should().BeApproximately(1.0, 1e-3);
    }

    [Fact]
    public void TanhNormalMatchesTheEpsilonFormWhereThatIsAccurateAndDifferentiates()
    {
        var mean = Input([4, 2], 25, -1f, 1f);
        var logStd = Input([4, 2], 26, -1f, 0f);
        var u = Input([4, 2], 27, -1.5f, 1.5f);
        var lp = new TanhNormal(mean, logStd).LogProbOfPreSquash(u);
        var gaussian = new Normal(mean, logStd).LogProb(u);
        for (var r = 0; r < 4; r++)
        {
            var correction = Enumerable.Range(0, 2).Sum(j => Math.Log(1 - Math.Pow(Math.Tanh(u[r, j]), 2)));
            ((double)lp.Data[r]).Should().BeApproximately(gaussian.Data[r] - correction, 1e-4);
        }
        Check(t => new TanhNormal(t[0], t[1]).LogProbOfPreSquash(t[2]), mean, logStd, u);
        var (action, logProb) = new TanhNormal(mean, logStd).RSampleWithLogProb(new Rng(5));
        action.ToArray().Should().OnlyContain(a => a > -1f && a < 1f);
        logProb.Shape.ToArray().Should().Equal(4);
    }
}
