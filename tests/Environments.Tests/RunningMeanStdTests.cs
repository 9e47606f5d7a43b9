using RlExperiments.Environments.Wrappers;

namespace RlExperiments.Environments.Tests;

/// <summary>
/// RunningMeanStd against the plain formulas: after folding in samples x₁..xₙ from the start (mean 0, variance 1,
/// count ε), the mean is Σx / (n + ε) and the variance (ε·1 + Σ(x − x̄)² + ε·n·x̄²/(n + ε)) / (n + ε), computed here
/// directly from the samples (Chan et al.'s combination of the prior with one batch of n).
/// </summary>
public class RunningMeanStdTests
{
    private static (double Mean, double Var) Expected(double[] xs, double eps)
    {
        var n = xs.Length;
        var mean = xs.Average();
        var m2 = xs.Sum(x => (x - mean) * (x - mean));
        var total = n + eps;
        return (mean * n / total, (eps * 1.0 + m2 + mean * mean * eps * n / total) / total);
    }

    private static readonly double[][] Columns =
    [
        [0.5, -1.25, 3.0, 2.5, -0.75, 1.0],
        [10, 12, 9, 11, 10.5, 13],
    ];

    private static float[] Rows(int from, int to)
    {
        var rows = new float[(to - from) * 2];
        for (var r = from; r < to; r++)
        for (var c = 0; c < 2; c++)
            rows[(r - from) * 2 + c] = (float)Columns[c][r];
        return rows;
    }

    [Theory]
    [InlineData(1e-4)]
    [InlineData(0.5)]
    public void Single_samples_batches_and_double_samples_agree_with_the_formulas(double eps)
    {
        var single = new RunningMeanStd(2, eps);
        var doubles = new RunningMeanStd(2, eps);
        var batched = new RunningMeanStd(2, eps);
        var split = new RunningMeanStd(2, eps);
        for (var r = 0; r < 6; r++)
        {
            single.Update(Rows(r, r + 1).AsSpan());
            doubles.Update(new[] { Columns[0][r], Columns[1][r] }.AsSpan());
        }
        batched.UpdateBatch(Rows(0, 6));
        split.UpdateBatch(Rows(0, 2));
        split.UpdateBatch(Rows(2, 6));
        foreach (var rms in new[] { single, doubles, batched, split })
        {
            rms.Count.Should().BeApproximately(6 + eps, 1e-12);
            for (var c = 0; c < 2; c++)
            {
                var (mean, variance) = Expected(Columns[c], eps);
                rms.Mean[c].Should().BeApproximately(mean, 1e-9);
                rms.Var[c].Should().BeApproximately(variance, 1e-9);
            }
        }
        single.Size.Should().Be(2);
    }

    [Fact]
    public void Starts_at_mean_zero_variance_one_and_count_epsilon()
    {
        var rms = new RunningMeanStd(3);
        rms.Mean.ToArray().Should().Equal(0, 0, 0);
        rms.Var.ToArray().Should().Equal(1, 1, 1);
        rms.Count.Should().Be(1e-4);
    }

    [Fact]
    public void State_round_trips_and_invalid_states_and_inputs_are_refused()
    {
        var rms = new RunningMeanStd(2);
        rms.UpdateBatch(Rows(0, 4));
        var state = rms.GetState();
        state.Mean[0] = 99; // a copy: changing it leaves the statistics alone
        rms.Mean[0].Should().NotBe(99);
        state = rms.GetState();
        var copy = new RunningMeanStd(2);
        copy.SetState(state);
        copy.Mean.ToArray().Should().Equal(rms.Mean.ToArray());
        copy.Var.ToArray().Should().Equal(rms.Var.ToArray());
        copy.Count.Should().Be(rms.Count);

        copy.Invoking(c => c.SetState(new RunningMeanStdState([0.0], [1.0], 1))).Should().Throw<ArgumentException>().WithMessage("*1 elements*tracks 2*");
        copy.Invoking(c => c.SetState(new RunningMeanStdState([0.0, 0], [1.0], 1))).Should().Throw<ArgumentException>();
        copy.Invoking(c => c.SetState(new RunningMeanStdState([0.0, 0], [1.0, 1], 0))).Should().Throw<ArgumentException>().WithMessage("Count must be positive; got 0.*");
        copy.Invoking(c => c.SetState(new RunningMeanStdState([0.0, 0], [1.0, 1], double.NaN))).Should().Throw<ArgumentException>();
        copy.Invoking(c => c.SetState(new RunningMeanStdState([0.0, 0], [1.0, -1], 1))).Should().Throw<ArgumentException>().WithMessage("Variances must be non-negative; got -1.*");
        copy.Invoking(c => c.SetState(new RunningMeanStdState([0.0, 0], [double.NaN, 1], 1))).Should().Throw<ArgumentException>();
        copy.Invoking(c => c.SetState(null!)).Should().Throw<ArgumentNullException>();
        copy.SetState(new RunningMeanStdState([0.0, 0], [0.0, 0], 1e-9));
        copy.Var.ToArray().Should().Equal(0, 0);
        copy.Mean.ToArray().Should().Equal(rms.Mean.ToArray().Select(_ => 0.0));

        rms.Invoking(r => r.Update(new float[3].AsSpan())).Should().Throw<ArgumentException>().WithMessage("The sample has 3 elements; this RunningMeanStd tracks 2.");
        rms.Invoking(r => r.Update(new double[1].AsSpan())).Should().Throw<ArgumentException>();
        rms.Invoking(r => r.UpdateBatch(new float[3])).Should().Throw<ArgumentException>().WithMessage("The batch length 3 must be a positive multiple of 2.*");
        rms.Invoking(r => r.UpdateBatch([])).Should().Throw<ArgumentException>();
        var size = () => new RunningMeanStd(0);
        size.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("size");
        var eps = () => new RunningMeanStd(1, 0);
        eps.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("epsilon");
        var nanEps = () => new RunningMeanStd(1, double.NaN);
        nanEps.Should().Throw<ArgumentOutOfRangeException>();
    }
}
