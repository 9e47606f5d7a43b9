using RlExperiments.Core;
using RlExperiments.Tuning;

namespace RlExperiments.Tuning.Tests;

/// <summary>
/// The TPE against Optuna's algorithm: Parzen densities checked against numbers computed with scipy 1.10 from Optuna's
/// formulas written out by hand (the expressions are in the comments) and against Optuna's own code on a fixed history
/// (Optuna 4.9 for the independent estimators, Optuna 5 for the multivariate ones), Optuna's weights, gamma and split,
/// the multivariate and group options, and the constant liar.
/// </summary>
public class TpeSamplerTests
{
    private static ParzenEstimator Fit(Hyperparameter hp, params double[] internalValues) =>
        new([TpeDimension.For(hp)!], internalValues.Select(v => new[] { v }).ToList(), priorWeight: 1.0);

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
        // x in [0, 10], y in [0, 1], 10 observations; one kernel per observation over (x, y) plus the prior, weights 1/11;
        // each dimension's σ the neighbour-gap rule of the independent estimator (Optuna 5). Numbers: Optuna 5.0.0.dev's
        // _ParzenEstimator (tests/Tuning.Tests/OptunaReference/tpe_history.py, "2-D"); Optuna 4.9's Scott's-rule σ
        // (0.2 · 10^(−1/6) · range) gave −1.5766, −2.1357, −4.5471 there.
        var dims = new[] { TpeDimension.For(new FloatHyperparameter("x", 0, 10))!, TpeDimension.For(new FloatHyperparameter("y", 0, 1))! };
        var obs = Enumerable.Range(0, 10).Select(i => new[] { 0.5 + 0.9 * i, (i * 7 % 10) / 10.0 + 0.05 }).ToList();
        var e = new ParzenEstimator(dims, obs, 1.0);
        LogPdf(e, 0.5, 0.05).Should().BeApproximately(-1.0896194241410295, 1e-12);
        LogPdf(e, 3.0, 0.7).Should().BeApproximately(-2.5649960276690016, 1e-12);
        LogPdf(e, 9.9, 0.01).Should().BeApproximately(-4.834865979565681, 1e-12);
    }

    // The fixed history of tests/Tuning.Tests/OptunaReference/tpe_history.py: (x, lr, n, w, c, value) of 40 complete trials.
    private static readonly (double X, double Lr, long N, long W, string C, double Value)[] OptunaHistory =
    {
        (0.778837, 3.1622777e-05, -1, 23, "a", 4.064777403),
        (1.98333, 0.038919741179, -3, 256, "b", 5.775576338),
        (0.28224, 0.000479004824, 2, 16, "b", 2.576706005),
        (-1.832332, 0.589535321378, 0, 100, "b", 14.972342683),
        (-1.262533, 0.007255707623, -2, 1024, "c", 6.892305449),
        (1.15688, 8.9299642e-05, 3, 64, "c", 3.309455649),
        (1.881461, 0.109905559379, 1, 1000, "c", 6.948042136),
        (-0.150302, 0.001352662981, -1, 40, "a", 2.057431116),
        (-1.961872, 1.6647903e-05, -3, 512, "a", 11.549124442),
        (-0.899295, 0.02048941182, 2, 23, "a", 5.786416251),
        (1.480752, 0.000252173493, 0, 256, "b", 1.667537253),
        (1.691494, 0.310362597909, -2, 16, "b", 10.092473352),
        (-0.575807, 0.003819788545, 3, 100, "b", 3.150365877),
        (-1.999549, 4.7012058e-05, 1, 1024, "c", 10.450593044),
        (-0.493947, 0.057860103876, -1, 64, "c", 6.531489915),
        (1.735288, 0.000712113391, -3, 1000, "c", 3.679993781),
        (1.422322, 0.876433755719, 2, 40, "a", 10.198551663),
        (-0.974349, 0.010786710909, 0, 512, "a", 4.270304342),
        (-1.943597, 0.000132757475, -2, 23, "a", 9.866192792),
        (-0.065471, 0.163391299364, 3, 256, "b", 6.484328133),
        (1.90857, 0.002010938876, 1, 16, "b", 3.552692319),
        (1.086551, 2.4749636e-05, -1, 100, "b", 3.913955428),
        (-1.327268, 0.030460621278, -3, 1024, "c", 8.911296243),
        (-1.796636, 0.000374894182, 2, 64, "c", 8.114745112),
        (0.366071, 0.461401119588, 0, 1000, "c", 8.895254384),
        (1.992484, 0.005678695575, -2, 40, "a", 3.856612735),
        (0.699903, 6.9890562e-05, 3, 512, "a", 2.035368537),
        (-1.618038, 0.086017828462, 1, 23, "a", 10.324494882),
        (-1.565549, 0.001058664665, -1, 256, "b", 6.133325251),
        (0.780472, 1.3029518e-05, -3, 16, "b", 6.759970868),
        (1.9831, 0.016036083354, 2, 100, "b", 3.982520138),
        (0.280481, 0.000197364141, 0, 1024, "c", 2.372643033),
        (-1.833043, 0.242905971806, -2, 64, "c", 14.406622208),
        (-1.261155, 0.00298956593, 3, 1000, "c", 6.058762818),
        (1.158328, 3.6794091e-05, 1, 40, "a", 2.98426399),
        (1.880858, 0.045284337918, -1, 512, "a", 4.836589469),
        (-0.152073, 0.000557337116, -3, 23, "a", 3.199046632),
        (-1.962217, 0.685942812024, 2, 256, "b", 15.831928461),
        (-0.897708, 0.008442243085, 0, 16, "b", 5.710995007),
        (1.481945, 0.00010390293, -2, 100, "b", 3.062371481),
    };

    private static readonly (double X, double Lr, long N, long W, string C)[] OptunaProbes =
    {
        (0.7, 1e-3, 1, 256, "a"), (-1.9, 0.5, -3, 17, "b"), (1.2, 3e-5, 3, 1024, "c"), (0.0, 0.01, 0, 100, "a"),
    };

    private static ConfigurationSpace OptunaSpace() => new ConfigurationSpace("optuna-history").Add(
        new FloatHyperparameter("x", -2, 2), new FloatHyperparameter("lr", 1e-5, 1, log: true), new IntegerHyperparameter("n", -3, 3),
        new IntegerHyperparameter("w", 16, 1024, log: true), new CategoricalHyperparameter("c", new object[] { "a", "b", "c" }));

    private static Configuration OptunaConfig((double X, double Lr, long N, long W, string C) p) =>
        new([new("x", p.X), new("lr", p.Lr), new("n", p.N), new("w", p.W), new("c", p.C)]);

    [Fact]
    public void Same_history_gives_optunas_split_densities_and_acquisition()
    {
        // Expected numbers: Optuna 4.9.0's own code (its _split_trials and TPESampler._build_parzen_estimator, the calls
        // TPESampler._sample makes) on this history, from tests/Tuning.Tests/OptunaReference/tpe_history.py run with
        // PYTHONPATH=<optuna v4.9.0 source tree> on Debian 12's numpy 1.24.2 / scipy 1.10.1. 40 trials: gamma 4 below,
        // 36 above with the trial-order weight ramp; float, log float, integer cells, log-integer cells, categorical.
        var space = OptunaSpace();
        var history = OptunaHistory.Select(h => new Trial(OptunaConfig((h.X, h.Lr, h.N, h.W, h.C)), h.Value, TrialState.Complete)).ToList();
        var (below, above) = TpeSampler.Split(history, TpeSampler.Gamma(history.Count), StudyDirection.Minimize, constantLiar: false);
        below.Should().Equal(7, 10, 26, 31);
        above.Should().HaveCount(36);
        var expected = new Dictionary<string, (double[] Below, double[] Above)>
        {
            ["x"] = (new[] { -0.9324529593763784, -2.9686446560268975, -1.1165688856669087, -0.9840555383270475 }, new[] { -2.2074692342595426, -0.18488006895476938, -1.455371652310452, -2.0613548981542404 }),
            ["lr"] = (new[] { -1.9465506799636654, -4.085074791890338, -2.1364889977609347, -2.875034717191238 }, new[] { -2.6216782529022282, -2.2507314403694796, -2.3242716955530804, -2.16083922737114 }),
            ["c"] = (new[] { -0.8754687373538996, -1.2321436812926323, -1.2321436812926323, -0.8754687373538996 }, new[] { -1.1596991168905602, -0.9866086832361889, -1.1596991168905602, -1.1596991168905602 }),
            // The integers repeat values, and numpy.argsort (Optuna's bandwidth sort) is not stable: Optuna's g(x) then
            // depends on numpy's tie order, e.g. plain Optuna 4.9 / numpy 1.24 gives log g(n) { -1.940665766119401, -1.8120622676927507, -2.0515005071863985, -2.093309316018745 }
            // and log g(w) { -7.141605928022612, -3.2052906409780855, -6.817648323097511, -5.412503944631396 }. We break ties in trial order; these numbers are Optuna's with a
            // stable argsort (the script's "stable ties"). l(x) has at most 25 equally weighted observations: ties change nothing.
            ["n"] = (new[] { -1.8011303299715165, -2.59103878997064, -2.305492132741854, -1.5689030230448733 }, new[] { -1.946279975880433, -1.8532399141686855, -2.1078237646318447, -2.2057373061466508 }),
            ["w"] = (new[] { -6.874650302924355, -4.918302781987983, -7.809464144528098, -6.3715174654760185 }, new[] { -6.77746096766669, -3.313408320989561, -6.768921995620534, -5.470103389008198 }),
        };
        var dims = space.Hyperparameters.Select(hp => TpeDimension.For(hp)!).ToArray();
        double[] Row(Configuration c, IEnumerable<TpeDimension> ds) => ds.Select(d => d.ToInternal(c[d.Hyperparameter.Name])).ToArray();
        ParzenEstimator Fit(IReadOnlyList<int> which, TpeDimension[] ds) =>
            new(ds, which.Select(i => Row(history[i].Configuration, ds)).ToList(), 1.0);
        foreach (var dim in dims)
        {
            var l = Fit(below, [dim]);
            var g = Fit(above, [dim]);
            var (eb, ea) = expected[dim.Hyperparameter.Name];
            for (int p = 0; p < OptunaProbes.Length; p++)
            {
                var x = Row(OptunaConfig(OptunaProbes[p]), [dim]);
                l.LogPdf(x).Should().BeApproximately(eb[p], 1e-9, $"log l({dim.Hyperparameter.Name}) at probe {p}");
                g.LogPdf(x).Should().BeApproximately(ea[p], 1e-9, $"log g({dim.Hyperparameter.Name}) at probe {p}");
            }
        }
        // Multivariate: one joint estimator over the five parameters, with Optuna 5's bandwidths (the same per-dimension
        // neighbour gaps; the script run on Optuna 5.0.0.dev, main after v5.0.0-rc1, with stable ties; the independent
        // numbers above are identical there). Plain numpy ties give log g −17.188995062619075, −13.53584248442511,
        // −18.873954815122016, −15.80442976472311; Optuna 4.9's Scott's rule gave log l −12.6194, −13.0011, −14.2655, −11.8195.
        double[] mvBelow = { -12.476170379437587, -13.001472046251823, -13.97743362537982, -11.724827767500118 };
        double[] mvAbove = { -17.188994179713795, -14.83218784133938, -18.873938992150904, -16.210698424052783 };
        var lj = Fit(below, dims);
        var gj = Fit(above, dims);
        var acquisition = new double[OptunaProbes.Length];
        for (int p = 0; p < OptunaProbes.Length; p++)
        {
            var x = Row(OptunaConfig(OptunaProbes[p]), dims);
            lj.LogPdf(x).Should().BeApproximately(mvBelow[p], 1e-9, $"joint log l at probe {p}");
            gj.LogPdf(x).Should().BeApproximately(mvAbove[p], 1e-9, $"joint log g at probe {p}");
            acquisition[p] = lj.LogPdf(x) - gj.LogPdf(x);
        }
        // The acquisition log l − log g picks the candidate Optuna's does among the probes (probe 2: 4.90 against 4.71, 1.83, 4.49).
        Array.IndexOf(acquisition, acquisition.Max()).Should().Be(2);
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
