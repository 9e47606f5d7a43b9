using RlExperiments.Evaluation.Statistics;

namespace RlExperiments.Evaluation.Tests.Statistics;

/// <summary>
/// Reference values: scipy 1.10.1 (Debian bookworm's python3-scipy: scipy.special.betainc, scipy.stats.t,
/// scipy.stats.studentized_range), printed with repr(); and tabulated studentized-range critical values
/// (Harter 1960 / the tables in Montgomery, Design and Analysis of Experiments, appendix).
/// </summary>
public class DistributionsTests
{
    [Theory]
    [InlineData(2, 3, 0.4, 0.5248)]                      // exact: I_0.4(2,3) = sum_{j=2..4} C(4,j) 0.4^j 0.6^(4-j) = 0.5248
    [InlineData(0.5, 0.5, 0.2, 0.29516723530086664)]     // = (2/pi) asin(sqrt(0.2)) (arcsine law); scipy betainc
    [InlineData(10, 20, 0.3, 0.3640040810719437)]        // scipy betainc
    [InlineData(200, 300, 0.41, 0.6776281647721865)]     // scipy betainc
    public void Incomplete_beta_matches_reference(double a, double b, double x, double expected)
    {
        SpecialFunctions.RegularizedIncompleteBeta(a, b, x).Should().BeApproximately(expected, 1e-12);
    }

    [Fact]
    public void Incomplete_beta_arcsine_law_closed_form()
    {
        for (var x = 0.05; x < 1; x += 0.1)
            SpecialFunctions.RegularizedIncompleteBeta(0.5, 0.5, x).Should().BeApproximately(2 / Math.PI * Math.Asin(Math.Sqrt(x)), 1e-13);
    }

    [Theory]
    [InlineData(0.5, 0.4795001221869535)] // erfc(0.5), Abramowitz & Stegun table 7.1 (erf 0.5 = 0.5204998778)
    [InlineData(1.0, 0.15729920705028513)]
    [InlineData(2.0, 0.004677734981047266)]
    [InlineData(5.0, 1.5374597944280349e-12)]
    public void Erfc_matches_tables(double x, double expected)
    {
        SpecialFunctions.Erfc(x).Should().BeApproximately(expected, expected * 1e-12);
        SpecialFunctions.Erfc(-x).Should().BeApproximately(2 - expected, 1e-15);
    }

    [Fact]
    public void LogGamma_matches_factorials()
    {
        SpecialFunctions.LogGamma(1).Should().BeApproximately(0, 1e-14);
        SpecialFunctions.LogGamma(10).Should().BeApproximately(Math.Log(362880), 1e-12);
        SpecialFunctions.LogGamma(0.5).Should().BeApproximately(0.5 * Math.Log(Math.PI), 1e-14);
        SpecialFunctions.LogGamma(101).Should().BeApproximately(363.73937555556347, 1e-10); // ln(100!)
    }

    [Theory]
    [InlineData(-2.0, 3, 0.06966298427942155)]   // scipy t.cdf(-2, 3); closed form for nu = 3
    [InlineData(0.5, 2.5, 0.6711510400651426)]   // scipy t.cdf(0.5, 2.5): non-integer df
    public void Student_t_cdf_matches_scipy(double t, double df, double expected)
    {
        Distributions.StudentTCdf(t, df).Should().BeApproximately(expected, 1e-13);
    }

    [Fact]
    public void Student_t_tail_and_quantile_match_tables()
    {
        // t_{0.975, 10} = 2.228138852 (every t table); scipy t.sf(2.228138851986, 10) = 0.025000000000011614.
        Distributions.StudentTSf(2.228138851986, 10).Should().BeApproximately(0.025000000000011614, 1e-14);
        Distributions.StudentTQuantile(0.975, 10).Should().BeApproximately(2.228138851986, 1e-9);
        Distributions.StudentTQuantile(0.025, 10).Should().BeApproximately(-2.228138851986, 1e-9);
        Distributions.StudentTQuantile(0.995, 20).Should().BeApproximately(2.845339709, 1e-8);
        // Far tail keeps relative precision: scipy t.sf(40, 7) = 7.951089992425214e-10.
        Distributions.StudentTSf(40, 7).Should().BeApproximately(7.951089992425214e-10, 1e-20);
        // nu = 1 is the Cauchy distribution: F(t) = 1/2 + atan(t)/pi.
        Distributions.StudentTCdf(3, 1).Should().BeApproximately(0.5 + Math.Atan(3) / Math.PI, 1e-14);
    }

    [Theory]
    // scipy.stats.studentized_range.cdf / .sf(q, k, df)
    [InlineData(3.877, 3, 10, 0.9500129112467469, 0.049987088753253084)]
    [InlineData(3.5, 3, 12, 0.9300045147248164, 0.06999548527518362)]
    [InlineData(2.0, 4, 5, 0.4575162727826662, 0.5424837272173337)]
    [InlineData(5.0, 5, 20, 0.9842143228045424, 0.015785677195457648)]
    [InlineData(1.0, 2, 3, 0.4695222290670432, 0.5304777709329568)]
    [InlineData(6.0, 3, 10, 0.9955795846576863, 0.004420415342313744)]
    [InlineData(8.0, 4, 30, 0.999979106507519, 2.0893492481022236e-05)]
    [InlineData(3.0, 20, 50, 0.16963490969486789, 0.8303650903051321)]
    [InlineData(4.474, 10, 1e9, 0.9499867584069467, 0.050013241593053315)]
    public void Studentized_range_matches_scipy(double q, int k, double df, double cdf, double sf)
    {
        Distributions.StudentizedRangeCdf(q, k, df).Should().BeApproximately(cdf, 1e-7);
        Distributions.StudentizedRangeSf(q, k, df).Should().BeApproximately(sf, Math.Max(1e-7, sf * 1e-6));
    }

    [Theory]
    // Tabulated upper 5% / 1% points q_alpha(k, df) of the studentized range (3 decimals).
    [InlineData(0.95, 2, 10, 3.151)]
    [InlineData(0.95, 3, 10, 3.877)]
    [InlineData(0.95, 4, 10, 4.327)]
    [InlineData(0.95, 5, 10, 4.654)]
    [InlineData(0.95, 10, 10, 5.598)]  // 2-decimal tables print 5.60; scipy ppf = 5.5983865
    [InlineData(0.95, 3, 20, 3.578)]
    [InlineData(0.95, 4, 20, 3.958)]
    [InlineData(0.95, 5, 20, 4.232)]
    [InlineData(0.95, 10, 60, 4.646)]
    [InlineData(0.99, 3, 10, 5.270)]
    [InlineData(0.99, 2, 10, 4.482)]
    public void Studentized_range_quantile_matches_tables(double p, int k, double df, double tabulated)
    {
        Distributions.StudentizedRangeQuantile(p, k, df).Should().BeApproximately(tabulated, 0.0006);
    }

    [Fact]
    public void Studentized_range_for_two_groups_is_a_scaled_t()
    {
        // With k = 2, Q = |Z1 - Z2| / s = sqrt(2) |T_df|, so P(Q > q) = 2 P(T > q / sqrt 2): an identity, not a table.
        foreach (var df in new[] { 3.0, 7.0, 25.0 })
        foreach (var q in new[] { 0.5, 2.0, 4.0, 9.0 })
            Distributions.StudentizedRangeSf(q, 2, df).Should().BeApproximately(2 * Distributions.StudentTSf(q / Math.Sqrt(2), df), 1e-9);
    }

    [Fact]
    public void Studentized_range_rejects_bad_arguments()
    {
        FluentActions.Invoking(() => Distributions.StudentizedRangeCdf(1, 1, 10)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*at least 2 groups*");
        FluentActions.Invoking(() => Distributions.StudentizedRangeCdf(1, 3, 0.5)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*at least 1*");
        FluentActions.Invoking(() => Distributions.StudentizedRangeQuantile(1.0, 3, 10)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
