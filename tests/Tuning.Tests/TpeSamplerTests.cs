using RlExperiments.Core;
using RlExperiments.Tuning;

namespace RlExperiments.Tuning.Tests;

/// <summary>
/// The TPE against Optuna 4's algorithm: Parzen densities checked against numbers computed independently with scipy
/// 1.10 from Optuna's formulas written out by hand (the script's expressions are in the comments), Optuna's weights,
/// gamma and split, the multivariate and group options, and the constant liar.
/// </summary>
public class TpeSamplerTests
{
    private static ParzenEstimator Fit(Hyperparameter hp, params double[] internalValues) =>
        new([TpeDimension.For(hp)!], internalValues.Select(v => new[] { v }).ToList(), priorWeight: 1.0, multivariate: false);

    private static double LogPdf(ParzenEstimator e, params double[] x) => e.LogPdf(x);

    [Fact]
    public void Integer_density_is_the_kernel_mass_of_the_whole_number_cell()
    {
        // Int [0, 10], observations 2, 3, 7: kernels live on [-0.5, 10.5]; σ = (2.2 clipped from 1, 4, 4) and the prior
        // (μ 5, σ 11); p(v) = Σ ¼ [Φ((v+½−μ)/σ) − Φ((v−½−μ)/σ)] / [Φ((10.5−μ)/σ) − Φ((−0.5−μ)/σ)].
        var e = Fit(new IntegerHyperparameter("n", 0, 10), 2, 3, 7);
        LogPdf(e, 0).Should().BeApproximately(-2.4443196226090627, 1e-12);
        LogPdf(e, 3).Should().BeApproximately(-2.110332371247479, 1e-12);
        LogPdf(e, 5).Should().BeApproximately(-2.2952892821219484, 1e-12);
        LogPdf(e, 10).Should().BeApproximately(-2.9464634408102603, 1e-12);
        // A mass function: the cells of 0..10 add up to 1.
        Enumerable.Range(0, 11).Sum(v => Math.Exp(LogPdf(e, v))).Should().BeApproximately(1.0, 1e-12);
    }

    [Fact]
    public void Log_integer_density_is_the_kernel_mass_of_the_cell_in_log_space()
    {
        // Log-int [1, 64], observations 2, 4, 32: kernels on [ln 0.5, ln 64.5] at ln 2, ln 4, ln 32 with σ = 0.972 (clipped),
        // 2.079, 2.079, prior σ ln 129; the cell of v is [ln(v − ½), ln(v + ½)].
        var e = Fit(new IntegerHyperparameter("units", 1, 64, log: true), 2, 4, 32);
        LogPdf(e, 1).Should().BeApproximately(-1.5583175522510582, 1e-12);
        LogPdf(e, 4).Should().BeApproximately(-2.7615479981117614, 1e-12);
        LogPdf(e, 20).Should().BeApproximately(-4.69571313274947, 1e-12);
        LogPdf(e, 64).Should().BeApproximately(-6.067607873367544, 1e-12);
        Enumerable.Range(1, 64).Sum(v => Math.Exp(LogPdf(e, v))).Should().BeApproximately(1.0, 1e-12);
    }

    [Fact]
    public void Categorical_kernel_is_optunas_prior_smoothed_table()
    {
        // 3 choices, observations 0, 0, 2, prior weight 1, K = 4 kernels: each observation's row is ¼ per choice plus 1 at
        // its choice, normalised; the prior row is uniform; weights ¼ each.
        var e = Fit(new CategoricalHyperparameter("c", new object[] { "a", "b", "c" }), 0, 0, 2);
        LogPdf(e, 0).Should().BeApproximately(-0.7419373447293773, 1e-12);
        LogPdf(e, 1).Should().BeApproximately(-1.6582280766035324, 1e-12);
        LogPdf(e, 2).Should().BeApproximately(-1.0986122886681098, 1e-12);
    }

    [Fact]
    public void Float_density_is_the_truncated_normal_mixture_with_its_log_sigma_term()
    {
        // Float [-5, 5], observations 0, 1, 3: σ = (1, 2, 2) clipped to ≥ 2, prior σ 10; scipy.stats.truncnorm.logpdf mixture.
        var e = Fit(new FloatHyperparameter("x", -5, 5), 0, 1, 3);
        LogPdf(e, -4.0).Should().BeApproximately(-3.40364692735467, 1e-12);
        LogPdf(e, 0.5).Should().BeApproximately(-1.8863835407516942, 1e-12);
        LogPdf(e, 2.9).Should().BeApproximately(-2.007213520430838, 1e-12);
    }

    [Fact]
    public void Multivariate_kernels_span_all_dimensions_with_optunas_bandwidth()
    {
        // x in [0, 10], y in [0, 1], 10 observations; σ = 0.2 · 10^(−1/6) · range (1.3626 and 0.13626); one kernel per
        // observation over (x, y) plus the prior; weights 1/11.
        var dims = new[] { TpeDimension.For(new FloatHyperparameter("x", 0, 10))!, TpeDimension.For(new FloatHyperparameter("y", 0, 1))! };
        var obs = Enumerable.Range(0, 10).Select(i => new[] { 0.5 + 0.9 * i, (i * 7 % 10) / 10.0 + 0.05 }).ToList();
        var e = new ParzenEstimator(dims, obs, 1.0, multivariate: true);
        LogPdf(e, 0.5, 0.05).Should().BeApproximately(-1.5766105301167945, 1e-12);
        LogPdf(e, 3.0, 0.7).Should().BeApproximately(-2.1357423325655067, 1e-12);
        LogPdf(e, 9.9, 0.01).Should().BeApproximately(-4.54713578401989, 1e-12);
    }

    [Fact]
    public void Gaussian_mass_is_accurate_in_the_tails()
    {
        // scipy: norm.logcdf(-30), norm.logcdf(3), log(Φ(−0.1) − Φ(−0.3)), log(Q(8) − Q(8.5)).
        GaussianMass.LogNdtr(-30).Should().BeApproximately(-454.32124395634327, 1e-9);
        GaussianMass.LogNdtr(3).Should().BeApproximately(-0.001350809964748193, 1e-15);
        GaussianMass.LogMass(-0.3, -0.1).Should().BeApproximately(-2.54997542461259, 1e-12);
        GaussianMass.LogMass(8.0, 8.5).Should().BeApproximately(-35.028792508579755, 1e-10);
    }

    [Fact]
    public void Weights_and_gamma_are_optunas_defaults()
    {
        ParzenEstimator.DefaultWeights(10).Should().AllSatisfy(w => w.Should().Be(1.0));
        ParzenEstimator.DefaultWeights(25).Should().HaveCount(25).And.AllSatisfy(w => w.Should().Be(1.0));
        ParzenEstimator.DefaultWeights(26).Should().Equal(new[] { 1.0 / 26 }.Concat(Enumerable.Repeat(1.0, 25)));
        // numpy: concatenate([linspace(1/30, 1, 5), ones(25)]).
        var w30 = ParzenEstimator.DefaultWeights(30);
        w30.Take(5).Should().Equal(new[] { 0.03333333333333333, 0.275, 0.5166666666666667, 0.7583333333333333, 1.0 },
            (a, b) => Math.Abs(a - b) < 1e-15);
        w30.Skip(5).Should().AllSatisfy(w => w.Should().Be(1.0));
        TpeSampler.Gamma(1).Should().Be(1);
        TpeSampler.Gamma(10).Should().Be(1);
        TpeSampler.Gamma(11).Should().Be(2);
        TpeSampler.Gamma(100).Should().Be(10);
        TpeSampler.Gamma(250).Should().Be(25);
        TpeSampler.Gamma(1000).Should().Be(25);
    }

    private static Trial T(double x, TrialState state, double? value, IntermediateValue? last = null) =>
        new(new Configuration([new("x", x)]), value, state) { LastIntermediateValue = last };

    [Fact]
    public void Split_takes_the_best_complete_then_pruned_trials_and_keeps_trial_order()
    {
        var history = new List<Trial>
        {
            T(0, TrialState.Complete, 5.0),                                  // 0
            T(1, TrialState.Pruned, null, new IntermediateValue(10, 0.5)),   // 1: pruned early
            T(2, TrialState.Complete, 1.0),                                  // 2: best
            T(3, TrialState.Running, null),                                  // 3
            T(4, TrialState.Pruned, null, new IntermediateValue(30, 9.0)),   // 4: pruned late, so ranked before trial 1
            T(5, TrialState.Failed, null),                                   // 5: never used
            T(6, TrialState.Complete, 3.0),                                  // 6
            T(7, TrialState.Waiting, null),                                  // 7: never used
        };
        var (below, above) = TpeSampler.Split(history, 2, StudyDirection.Minimize, constantLiar: false);
        below.Should().Equal(2, 6);
        above.Should().Equal(0, 1, 4);
        (below, above) = TpeSampler.Split(history, 4, StudyDirection.Minimize, constantLiar: false);
        below.Should().Equal(0, 2, 4, 6);
        above.Should().Equal(1);
        (below, above) = TpeSampler.Split(history, 1, StudyDirection.Maximize, constantLiar: true);
        below.Should().Equal(0);
        above.Should().Equal(1, 2, 3, 4, 6);
    }

    [Fact]
    public void Group_decomposition_finds_the_hyperparameters_that_appear_together()
    {
        var trials = new[]
        {
            new[] { "opt", "lr", "momentum" },
            new[] { "opt", "lr", "beta1", "beta2" },
            new[] { "opt", "lr", "momentum" },
        };
        var groups = TpeSampler.Decompose(trials).Select(g => string.Join(",", g.Order())).ToList();
        groups.Should().BeEquivalentTo("lr,opt", "momentum", "beta1,beta2");
        TpeSampler.Intersect(trials).Should().BeEquivalentTo("opt", "lr");
    }

    [Fact]
    public void Options_are_validated_with_the_field_named()
    {
        var act = () => new TpeSampler(options: new TpeSamplerOptions { Group = true });
        act.Should().Throw<ArgumentException>().WithMessage("*TpeSamplerOptions.Group = true*Multivariate*");
        act = () => new TpeSampler(options: new TpeSamplerOptions { EiCandidates = 0 });
        act.Should().Throw<ArgumentException>().WithMessage("*EiCandidates = 0*≥ 1*");
        var opt = () => new HyperparameterOptimizer(new HyperparameterOptimizerOptions
        {
            StudyDirectory = "x", Tpe = new TpeSamplerOptions { StartupTrials = -1 },
        });
        opt.Should().Throw<ArgumentException>().WithMessage("*HyperparameterOptimizerOptions.Tpe*StartupTrials = -1*");
    }

    [Fact]
    public void Integers_stay_whole_and_every_value_is_reachable()
    {
        var space = new ConfigurationSpace().Add(new IntegerHyperparameter("n", 1, 4), new IntegerHyperparameter("u", 1, 16, log: true));
        var history = SamplerTests.Run(new TpeSampler(), space, c => Math.Abs(c.GetLong("n") - 3) + Math.Abs(c.GetLong("u") - 5), 80, 3);
        history.Skip(10).Select(t => t.Configuration.GetLong("n")).Distinct().Should().Contain(3);
        // After startup TPE exploits: most suggestions are the optimum's cells.
        history.Skip(40).Count(t => t.Configuration.GetLong("n") == 3).Should().BeGreaterThan(25);
        history.Skip(40).Count(t => Math.Abs(t.Configuration.GetLong("u") - 5) <= 1).Should().BeGreaterThan(20);
    }

    [Fact]
    public void Multivariate_suggests_the_joint_optimum_where_independent_mixes_coordinates()
    {
        // f = distance to the nearer of (3, 3) and (−3, −3): the good corners pair equal signs, the bad corners (3, −3)
        // and (−3, 3) mix them. The history: the two best trials on the good corners, six on each bad corner, five on a
        // cross through the middle; so each coordinate's good and bad values are ±3 alike, and only their pairing
        // tells good from bad. Independent TPE draws x and y separately and lands on a bad corner about half the time;
        // the multivariate TPE draws both from one good trial's kernel.
        var space = new ConfigurationSpace().Add(new FloatHyperparameter("x", -5, 5), new FloatHyperparameter("y", -5, 5));
        static double F(double x, double y) => Math.Sqrt(Math.Min((x - 3) * (x - 3) + (y - 3) * (y - 3), (x + 3) * (x + 3) + (y + 3) * (y + 3)));
        var rng = new Rng(5);
        var history = new List<Trial>();
        void Add(double x, double y) => history.Add(new Trial(new Configuration([new("x", x), new("y", y)]), F(x, y), TrialState.Complete));
        Add(3, 3);
        Add(-3, -3);
        foreach (var (cx, cy) in new[] { (3.0, -3.0), (-3.0, 3.0) })
            for (int i = 0; i < 6; i++) Add(cx + rng.Uniform(-1, 1), cy + rng.Uniform(-1, 1));
        foreach (var (x, y) in new[] { (0.0, 0.0), (0.0, 4.5), (0.0, -4.5), (4.5, 0.0), (-4.5, 0.0) }) Add(x, y);

        int GoodCorner(TpeSamplerOptions o) => Enumerable.Range(0, 40).Count(seed =>
        {
            var c = new TpeSampler(options: o).Suggest(space, history, new Rng((ulong)seed));
            return F(c.GetDouble("x"), c.GetDouble("y")) < 2.0;
        });
        int independent = GoodCorner(new TpeSamplerOptions()), joint = GoodCorner(new TpeSamplerOptions { Multivariate = true });
        var report = $"suggestions within 2 of a good corner, of 40: independent {independent}, multivariate {joint}";
        // Measured: independent 3, multivariate 32.
        joint.Should().BeGreaterThanOrEqualTo(26, report);
        independent.Should().BeLessThanOrEqualTo(12, report);
    }

    [Fact]
    public void Same_seed_gives_same_suggestions_for_every_option()
    {
        var space = SamplerTests.SyntheticSpace();
        foreach (var o in new[]
        {
            new TpeSamplerOptions(), new TpeSamplerOptions { Multivariate = true },
            new TpeSamplerOptions { Multivariate = true, Group = true }, new TpeSamplerOptions { ConstantLiar = true },
        })
        {
            var a = SamplerTests.Run(new TpeSampler(options: o), space, SamplerTests.Objective, 30, 42).Select(t => t.Configuration).ToList();
            var b = SamplerTests.Run(new TpeSampler(options: o), space, SamplerTests.Objective, 30, 42).Select(t => t.Configuration).ToList();
            a.SequenceEqual(b).Should().BeTrue(o.ToString());
            var c = SamplerTests.Run(new TpeSampler(options: o), space, SamplerTests.Objective, 30, 43).Select(t => t.Configuration).ToList();
            a.SequenceEqual(c).Should().BeFalse(o.ToString());
            foreach (var conf in a) space.GetErrors(conf).Should().BeEmpty();
        }
    }

    /// <summary>
    /// Ten finished trials, then <paramref name="workers"/> suggestions in a row, each left running (as workers that
    /// claimed trials and are still evaluating them); returns their x values.
    /// </summary>
    private static List<double> ConcurrentSuggestions(bool liar, int workers, ulong seed)
    {
        var space = new ConfigurationSpace().Add(new FloatHyperparameter("x", -5, 5), new FloatHyperparameter("y", -5, 5));
        var sampler = new TpeSampler(options: new TpeSamplerOptions { ConstantLiar = liar });
        var history = SamplerTests.Run(new RandomSampler(), space, c => Math.Pow(c.GetDouble("x") - 1, 2) + Math.Pow(c.GetDouble("y") + 1, 2), 10, seed);
        var xs = new List<double>();
        for (int w = 0; w < workers; w++)
        {
            var c = sampler.Suggest(space, history, TrialSeeds.Sampler(42, history.Count));
            history.Add(new Trial(c, null, TrialState.Running));
            xs.Add(c.GetDouble("x"));
        }
        return xs;
    }

    [Fact]
    public void Constant_liar_spreads_the_suggestions_of_workers_suggesting_at_once()
    {
        static double Spread(List<double> v) { double m = v.Average(); return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / v.Count); }
        // Eight workers claim trials one after another while the others still run. Without the liar they share one
        // l(x)/g(x) and pile up near the best trial; with it each running trial joins g(x) and pushes the next away.
        var without = Enumerable.Range(0, 10).Select(s => Spread(ConcurrentSuggestions(false, 8, (ulong)s))).ToList();
        var with = Enumerable.Range(0, 10).Select(s => Spread(ConcurrentSuggestions(true, 8, (ulong)s))).ToList();
        var report = $"standard deviation of x without the liar {string.Join(", ", without.Select(v => v.ToString("F2")))}; with {string.Join(", ", with.Select(v => v.ToString("F2")))}";
        with.Average().Should().BeGreaterThan(1.4 * without.Average(), report);
        with.Zip(without).Count(p => p.First > p.Second).Should().BeGreaterThanOrEqualTo(8, report);
    }
}
