using RlExperiments.Evaluation.Statistics;

namespace RlExperiments.Evaluation.Tests.Statistics;

/// <summary>
/// Reference values from scipy 1.10.1 (Debian bookworm python3-scipy): stats.ttest_ind(equal_var=False),
/// stats.permutation_test(permutation_type='independent', statistic = difference of means), stats.tukey_hsd.
/// </summary>
public class HypothesisTestsTests
{
    // Welch's t-test examples from the Wikipedia article "Welch's t-test" (A1/A2 of example 1 and 2, A1/A2 of example 3).
    private static readonly double[] WikiA1 = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
    private static readonly double[] WikiA2 = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
    private static readonly double[] WikiB1 = [17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8];
    private static readonly double[] WikiB2 = [21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8, 20.7, 21.7, 21.5, 22.5, 23.6, 21.5, 22.5, 23.5, 21.5, 21.8];
    private static readonly double[] WikiC1 = [19.8, 20.4, 19.6, 17.8, 18.5, 18.9, 18.3, 18.9, 19.5, 22.0];
    private static readonly double[] WikiC2 = [28.2, 26.6, 20.1, 23.3, 25.2, 22.1, 17.7, 27.6, 20.6, 13.7, 23.2, 17.5, 20.6, 18.0, 23.9, 21.6, 24.3, 20.4, 23.9, 13.3];

    public static TheoryData<double[], double[], double, double, double> WelchCases => new()
    {
        // Wikipedia rounds to t = -2.46, df = 25.0, p = 0.021 / t = -1.57, df = 9.9, p = 0.149 / t = -2.22, df = 24.5, p = 0.036.
        { WikiA1, WikiA2, -2.455356398286006, 24.988529290231416, 0.021378001462866985 },
        { WikiB1, WikiB2, -1.5654335235985037, 9.904741248650831, 0.14884169660532834 },
        { WikiC1, WikiC2, -2.225512039969852, 24.524634944257343, 0.035484530830010325 },
    };

    [Theory]
    [MemberData(nameof(WelchCases))]
    public void Welch_matches_the_textbook_examples(double[] a, double[] b, double t, double df, double p)
    {
        var r = HypothesisTests.WelchTTest(new ScoreGroup("A1", a), new ScoreGroup("A2", b));
        r.Statistic.Should().BeApproximately(t, 1e-10);
        r.DegreesOfFreedom!.Value.Should().BeApproximately(df, 1e-9);
        r.PValue.Should().BeApproximately(p, 1e-10);
        r.StatisticName.Should().Be("t");
    }

    [Fact]
    public void Welch_interval_one_sided_p_values_and_decision()
    {
        var a = new ScoreGroup("A1", WikiA1);
        var b = new ScoreGroup("A2", WikiA2);
        var r = HypothesisTests.WelchTTest(a, b);
        // scipy: diff -/+ t.ppf(0.975, df) * se.
        r.Difference.Should().BeApproximately(-2.166666666666668, 1e-12);
        r.ConfidenceLower!.Value.Should().BeApproximately(-3.9840962671409264, 1e-8);
        r.ConfidenceUpper!.Value.Should().BeApproximately(-0.34923706619240935, 1e-8);
        r.Reject.Should().BeTrue();
        r.Decision.Should().Be("A1 < A2");
        HypothesisTests.WelchTTest(a, b, alternative: Alternative.Less).PValue.Should().BeApproximately(0.010689000731433492, 1e-12);
        var greater = HypothesisTests.WelchTTest(a, b, alternative: Alternative.Greater);
        greater.PValue.Should().BeApproximately(0.9893109992685665, 1e-12);
        greater.Reject.Should().BeFalse();
        greater.Decision.Should().Be("no significant difference");
        var less = HypothesisTests.WelchTTest(a, b, alternative: Alternative.Less);
        less.ConfidenceLower.Should().Be(double.NegativeInfinity);
        less.ConfidenceUpper!.Value.Should().BeApproximately(-0.6593347835830361, 1e-8);
    }

    [Fact]
    public void Welch_with_zero_variance_in_both_groups()
    {
        var r = HypothesisTests.WelchTTest(new ScoreGroup("A", [500, 500, 500]), new ScoreGroup("B", [200, 200]));
        r.Statistic.Should().Be(double.PositiveInfinity);
        r.PValue.Should().Be(0);
        var same = HypothesisTests.WelchTTest(new ScoreGroup("A", [500, 500]), new ScoreGroup("B", [500, 500]));
        same.PValue.Should().Be(1);
    }

    [Fact]
    public void Permutation_test_by_hand_on_the_smallest_example()
    {
        // {1,2,3} vs {4,5,6}: C(6,3) = 20 splits, observed mean difference -3 is the most extreme: only 1 split has
        // a difference <= -3, so p_less = 1/20 and the two-sided p is 2/20 = 0.1.
        var r = HypothesisTests.PermutationTest(new ScoreGroup("x", [1, 2, 3]), new ScoreGroup("y", [4, 5, 6]));
        r.Statistic.Should().Be(-3);
        r.PValue.Should().BeApproximately(0.1, 1e-15);
        r.Details.Should().Contain("exact").And.Contain("20");
        HypothesisTests.PermutationTest(new ScoreGroup("x", [1, 2, 3]), new ScoreGroup("y", [4, 5, 6]), alternative: Alternative.Less).PValue.Should().BeApproximately(0.05, 1e-15);
        HypothesisTests.PermutationTest(new ScoreGroup("x", [1, 2, 3]), new ScoreGroup("y", [4, 5, 6]), alternative: Alternative.Greater).PValue.Should().Be(1);
    }

    [Theory]
    // scipy.stats.permutation_test(..., permutation_type='independent', alternative=...) with an exact null (126 / 462 splits).
    [InlineData(new[] { 3.1, 4.2, 2.8, 5.0 }, new[] { 5.5, 6.1, 4.9, 7.2, 5.8 }, Alternative.TwoSided, 0.031746031746031744)]
    [InlineData(new[] { 3.1, 4.2, 2.8, 5.0 }, new[] { 5.5, 6.1, 4.9, 7.2, 5.8 }, Alternative.Less, 0.015873015873015872)]
    [InlineData(new[] { 3.1, 4.2, 2.8, 5.0 }, new[] { 5.5, 6.1, 4.9, 7.2, 5.8 }, Alternative.Greater, 0.9920634920634921)]
    [InlineData(new[] { 10.0, 12.5, 9.8, 11.1, 13.0 }, new[] { 9.0, 8.7, 10.1, 9.5, 11.9, 8.8 }, Alternative.TwoSided, 0.07792207792207792)]
    [InlineData(new[] { 10.0, 12.5, 9.8, 11.1, 13.0 }, new[] { 9.0, 8.7, 10.1, 9.5, 11.9, 8.8 }, Alternative.Less, 0.9653679653679653)]
    [InlineData(new[] { 10.0, 12.5, 9.8, 11.1, 13.0 }, new[] { 9.0, 8.7, 10.1, 9.5, 11.9, 8.8 }, Alternative.Greater, 0.03896103896103896)]
    public void Exact_permutation_test_matches_scipy(double[] x, double[] y, Alternative alternative, double expected)
    {
        HypothesisTests.PermutationTest(new ScoreGroup("x", x), new ScoreGroup("y", y), alternative: alternative).PValue
            .Should().BeApproximately(expected, 1e-14);
    }

    [Fact]
    public void Exact_permutation_test_agrees_with_a_bitmask_enumeration()
    {
        // Independent enumeration: every subset of the 11 pooled values with 5 members, via bitmasks.
        double[] x = [4.1, 3.3, 5.9, 4.4, 5.0];
        double[] y = [3.0, 2.9, 4.2, 3.1, 3.6, 2.2];
        var pooled = x.Concat(y).ToArray();
        var observed = x.Average() - y.Average();
        int total = 0, atLeast = 0;
        for (var mask = 0; mask < 1 << pooled.Length; mask++)
        {
            if (System.Numerics.BitOperations.PopCount((uint)mask) != x.Length)
                continue;
            double sa = 0, sb = 0;
            for (var i = 0; i < pooled.Length; i++)
            {
                if ((mask & (1 << i)) != 0) sa += pooled[i];
                else sb += pooled[i];
            }
            total++;
            if (sa / x.Length - sb / y.Length >= observed - 1e-12)
                atLeast++;
        }
        total.Should().Be(462);
        var r = HypothesisTests.PermutationTest(new ScoreGroup("x", x), new ScoreGroup("y", y), alternative: Alternative.Greater);
        r.PValue.Should().BeApproximately((double)atLeast / total, 1e-15);
    }

    [Fact]
    public void Monte_carlo_permutation_test_is_seeded_and_close_to_exact()
    {
        var x = new ScoreGroup("x", [10.0, 12.5, 9.8, 11.1, 13.0]);
        var y = new ScoreGroup("y", [9.0, 8.7, 10.1, 9.5, 11.9, 8.8]);
        var exact = HypothesisTests.PermutationTest(x, y).PValue; // 462 splits
        var mc = HypothesisTests.PermutationTest(x, y, resamples: 400, seed: 3);
        mc.Details.Should().Contain("Monte Carlo");
        HypothesisTests.PermutationTest(x, y, resamples: 400, seed: 3).PValue.Should().Be(mc.PValue);
        // p = (count + 1) / 401 >= 1/401; binomial sd of a one-sided estimate near 0.039 is about 0.01, doubled 0.02.
        mc.PValue.Should().BeGreaterThanOrEqualTo(1.0 / 401);
        mc.PValue.Should().BeApproximately(exact, 0.06);
    }

    [Fact]
    public void Tukey_hsd_matches_the_scipy_documentation_example()
    {
        // scipy.stats.tukey_hsd docstring example (three groups of five).
        var groups = new[]
        {
            new ScoreGroup("0", [24.5, 23.5, 26.4, 27.1, 29.9]),
            new ScoreGroup("1", [28.4, 34.2, 29.5, 32.2, 30.1]),
            new ScoreGroup("2", [26.1, 28.3, 24.3, 26.2, 27.8]),
        };
        var table = HypothesisTests.TukeyHsd(groups);
        table.Comparisons.Select(c => (c.GroupA, c.GroupB)).Should().Equal(("0", "1"), ("0", "2"), ("1", "2"));
        var p = table.Comparisons.Select(c => c.PValue).ToArray();
        p[0].Should().BeApproximately(0.014448326736, 1e-6);
        p[1].Should().BeApproximately(0.980310724094, 1e-6);
        p[2].Should().BeApproximately(0.02033113674, 1e-6);
        table.Comparisons[0].Difference.Should().BeApproximately(-4.6, 1e-12);
        table.Comparisons[0].ConfidenceLower!.Value.Should().BeApproximately(-8.249159003581, 1e-6);
        table.Comparisons[0].ConfidenceUpper!.Value.Should().BeApproximately(-0.950840996419, 1e-6);
        table.Comparisons[2].ConfidenceLower!.Value.Should().BeApproximately(0.690840996419, 1e-6);
        table.Comparisons.Select(c => c.Reject).Should().Equal(true, false, true);
        table.Comparisons[0].DegreesOfFreedom.Should().Be(12);
    }

    [Fact]
    public void Tukey_hsd_on_warpbreaks_by_tension()
    {
        // R's warpbreaks data (breaks by tension L/M/H, wool A then B), one-way model; scipy tukey_hsd(L, M, H).
        var l = new ScoreGroup("L", [26, 30, 54, 25, 70, 52, 51, 26, 67, 27, 14, 29, 19, 29, 31, 41, 20, 44]);
        var m = new ScoreGroup("M", [18, 21, 29, 17, 12, 18, 35, 30, 36, 42, 26, 19, 16, 39, 28, 21, 39, 29]);
        var h = new ScoreGroup("H", [36, 21, 24, 18, 10, 43, 28, 15, 26, 20, 21, 24, 17, 13, 15, 15, 16, 28]);
        var rows = HypothesisTests.TukeyHsd([l, m, h]).Comparisons;
        rows[0].PValue.Should().BeApproximately(0.038459768068, 1e-6);
        rows[1].PValue.Should().BeApproximately(0.001431503314, 1e-7);
        rows[2].PValue.Should().BeApproximately(0.463083097086, 1e-6);
        rows[0].Difference.Should().BeApproximately(10, 1e-12);
        rows[0].ConfidenceLower!.Value.Should().BeApproximately(0.440175556668, 1e-6);
        rows[1].ConfidenceUpper!.Value.Should().BeApproximately(24.282046665554, 1e-6);
    }

    [Fact]
    public void Tukey_kramer_with_unequal_group_sizes()
    {
        var rows = HypothesisTests.TukeyHsd([
            new ScoreGroup("u0", [1.2, 3.4, 2.2, 5.1]),
            new ScoreGroup("u1", [4.4, 6.1, 5.5, 7.0, 6.6, 5.9]),
            new ScoreGroup("u2", [2.0, 2.5, 3.1]),
        ]).Comparisons;
        rows[0].PValue.Should().BeApproximately(0.006821563412, 1e-7);
        rows[1].PValue.Should().BeApproximately(0.871406701888, 1e-6);
        rows[2].PValue.Should().BeApproximately(0.004995041275, 1e-7);
        rows[0].ConfidenceLower!.Value.Should().BeApproximately(-4.974858055282, 1e-6);
        rows[2].ConfidenceUpper!.Value.Should().BeApproximately(5.610582907873, 1e-6);
    }

    [Fact]
    public void Holm_adjustment_by_hand()
    {
        // Sorted 0.01, 0.03, 0.04 times 3, 2, 1 -> 0.03, 0.06, 0.04 -> running max 0.03, 0.06, 0.06.
        HypothesisTests.Holm([0.01, 0.04, 0.03]).Should().Equal(0.03, 0.06, 0.06);
        HypothesisTests.Holm([0.5, 0.9]).Should().Equal(1.0, 1.0);
    }

    [Fact]
    public void Pairwise_welch_over_three_groups_is_holm_adjusted()
    {
        var groups = new[] { new ScoreGroup("A1", WikiA1), new ScoreGroup("A2", WikiA2), new ScoreGroup("C2", WikiC2) };
        var table = HypothesisTests.Compare(groups, ComparisonMethod.WelchTTest);
        table.Comparisons.Should().HaveCount(3);
        var raw = table.Comparisons.Select(c => c.UnadjustedPValue).ToArray();
        raw[0].Should().BeApproximately(0.021378001462866985, 1e-10);
        table.Comparisons.Select(c => c.PValue).Should().Equal(HypothesisTests.Holm(raw));
        table.Comparisons.Should().OnlyContain(c => c.ConfidenceLevel!.Value == 1 - 0.05 / 3);
        table.FamilyWiseControl.Should().Contain("Holm");
        var two = HypothesisTests.Compare(groups[..2], ComparisonMethod.PermutationTest, seed: 1, resamples: 2000);
        two.Comparisons.Single().PValue.Should().Be(two.Comparisons.Single().UnadjustedPValue);
    }

    [Fact]
    public void Bad_input_is_rejected_with_a_clear_message()
    {
        FluentActions.Invoking(() => new ScoreGroup("PPO", [])).Should().Throw<ArgumentException>().WithMessage("*'PPO' is empty*");
        FluentActions.Invoking(() => new ScoreGroup("PPO", [1, double.NaN])).Should().Throw<ArgumentException>().WithMessage("*'PPO'*non-finite*run 1*");
        FluentActions.Invoking(() => HypothesisTests.WelchTTest(new ScoreGroup("PPO", [1]), new ScoreGroup("DQN", [1, 2])))
            .Should().Throw<ArgumentException>().WithMessage("*'PPO' has 1 score(s)*Welch*at least 2*");
        FluentActions.Invoking(() => HypothesisTests.TukeyHsd([new ScoreGroup("A", [1]), new ScoreGroup("B", [2])]))
            .Should().Throw<ArgumentException>().WithMessage("*N − k = 0*");
        FluentActions.Invoking(() => HypothesisTests.TukeyHsd([new ScoreGroup("A", [1, 2])]))
            .Should().Throw<ArgumentException>().WithMessage("*at least 2 groups*");
        FluentActions.Invoking(() => HypothesisTests.TukeyHsd([new ScoreGroup("A", [1, 2]), new ScoreGroup("A", [3, 4])]))
            .Should().Throw<ArgumentException>().WithMessage("*'A' appears 2 times*");
        FluentActions.Invoking(() => HypothesisTests.WelchTTest(new ScoreGroup("A", [1, 2]), new ScoreGroup("B", [1, 2]), alpha: 0))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*α*");
    }
}
