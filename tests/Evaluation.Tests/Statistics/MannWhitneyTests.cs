using RlExperiments.Evaluation.Statistics;

namespace RlExperiments.Evaluation.Tests.Statistics;

public class MannWhitneyTests
{
    // Expected values from scipy 1.10.1: mannwhitneyu(a, b, alternative="two-sided", method="asymptotic", use_continuity=True).
    [Theory]
    [InlineData(new[] { 1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30 }, new[] { 0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29 }, 58.0, 0.13291945818531892)]
    [InlineData(new[] { 1.0, 2, 2, 3, 3, 3, 4, 5, 7, 7 }, new[] { 2.0, 3, 3, 4, 4, 6, 6, 6, 8, 9, 9, 10 }, 32.0, 0.0671069601037322)]
    [InlineData(new[] { 1.0, 1, 2 }, new[] { 1.0, 1, 2 }, 4.5, 1.0)]
    public void Matches_scipy_with_and_without_ties(double[] a, double[] b, double u, double p)
    {
        var r = MannWhitney.Test(a, b);
        r.U.Should().Be(u);
        r.PValue.Should().BeApproximately(p, 1e-9 * Math.Max(p, 1e-3));
    }

    [Fact]
    public void Separated_samples_give_scipys_tiny_p_value_in_either_order()
    {
        var low = Enumerable.Range(0, 20).Select(i => (double)i).ToArray();
        var high = low.Select(v => v + 100).ToArray();
        MannWhitney.Test(low, high).PValue.Should().BeApproximately(6.795615128173358e-08, 1e-14);
        MannWhitney.Test(high, low).PValue.Should().BeApproximately(6.795615128173358e-08, 1e-14);
        MannWhitney.Test(low, high).U.Should().Be(0);
        MannWhitney.Test(high, low).U.Should().Be(400);
    }

    [Fact]
    public void All_values_tied_is_p_one_and_empty_input_is_an_error()
    {
        MannWhitney.Test([2.0, 2.0], [2.0]).PValue.Should().Be(1);
        var act = () => MannWhitney.Test([], [1.0]);
        act.Should().Throw<ArgumentException>().WithMessage("*non-empty*");
    }
}
