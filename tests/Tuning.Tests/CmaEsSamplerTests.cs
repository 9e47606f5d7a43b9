using FluentAssertions;
using RlExperiments.Core;
using RlExperiments.Tuning;
using Xunit;

namespace RlExperiments.Tuning.Tests;

public class CmaEsSamplerTests
{
    private static readonly double[] Center = { 1.0, -2.0, 0.5, 3.0, -1.0 };

    private static ConfigurationSpace Box(int n, double lo = -5, double hi = 5)
    {
        var space = new ConfigurationSpace("box");
        for (int i = 0; i < n; i++) space.Add(new FloatHyperparameter($"x{i}", lo, hi));
        return space;
    }

    private static double[] X(Configuration c, int n) => Enumerable.Range(0, n).Select(i => c.GetDouble($"x{i}")).ToArray();

    private static double Sphere(Configuration c) => X(c, 5).Select((v, i) => (v - Center[i]) * (v - Center[i])).Sum();

    /// <summary>A fixed random rotation (Gram–Schmidt of seeded Gaussian columns).</summary>
    private static double[,] Rotation(int n, ulong seed)
    {
        var rng = new Rng(seed);
        var q = new double[n, n];
        for (int j = 0; j < n; j++)
        {
            var v = Enumerable.Range(0, n).Select(_ => rng.Normal()).ToArray();
            for (int k = 0; k < j; k++)
            {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += v[i] * q[i, k];
                for (int i = 0; i < n; i++) v[i] -= dot * q[i, k];
            }
            double norm = Math.Sqrt(v.Sum(a => a * a));
            for (int i = 0; i < n; i++) q[i, j] = v[i] / norm;
        }
        return q;
    }

    private static readonly double[,] R = Rotation(5, 7);

    /// <summary>Σ 10^(3 i/4) z_i² with z = R (x − c): condition number 1000, axes not aligned with the parameters.</summary>
    private static double RotatedEllipsoid(Configuration c)
    {
        var x = X(c, 5);
        double f = 0;
        for (int i = 0; i < 5; i++)
        {
            double z = 0;
            for (int j = 0; j < 5; j++) z += R[i, j] * (x[j] - Center[j]);
            f += Math.Pow(10, 3.0 * i / 4) * z * z;
        }
        return f;
    }

    private static double Best(IEnumerable<Trial> trials) => trials.Min(t => t.Value!.Value);

    [Fact]
    public void Converges_on_a_5d_sphere_far_beyond_random_search()
    {
        for (ulong seed = 0; seed < 3; seed++)
        {
            double cma = Best(SamplerTests.Run(new CmaEsSampler(), Box(5), Sphere, 400, seed));
            double random = Best(SamplerTests.Run(new RandomSampler(), Box(5), Sphere, 400, seed));
            cma.Should().BeLessThan(1e-3, $"seed {seed}: 50 generations of λ = 8 shrink the sphere's error by orders of magnitude (random: {random})");
            random.Should().BeGreaterThan(0.1, "random search with 400 trials stays far from the optimum");
        }
    }

    [Fact]
    public void Converges_on_a_rotated_ellipsoid_by_learning_the_covariance()
    {
        for (ulong seed = 0; seed < 3; seed++)
        {
            var cmaTrials = SamplerTests.Run(new CmaEsSampler(), Box(5), RotatedEllipsoid, 800, seed);
            double random = Best(SamplerTests.Run(new RandomSampler(), Box(5), RotatedEllipsoid, 800, seed));
            Best(cmaTrials).Should().BeLessThan(1e-2, $"seed {seed} (random: {random})");
            random.Should().BeGreaterThan(1, "random search on the ellipsoid");
        }
    }

    [Fact]
    public void Maximisation_follows_the_direction()
    {
        double best = SamplerTests.Run(new CmaEsSampler(StudyDirection.Maximize), Box(5), c => -Sphere(c), 400, 3).Max(t => t.Value!.Value);
        best.Should().BeGreaterThan(-1e-3);
    }

    [Fact]
    public void Same_seed_gives_the_same_suggestions_and_another_seed_does_not()
    {
        var a = SamplerTests.Run(new CmaEsSampler(), Box(5), Sphere, 60, 11).Select(t => t.Configuration).ToList();
        var b = SamplerTests.Run(new CmaEsSampler(), Box(5), Sphere, 60, 11).Select(t => t.Configuration).ToList();
        var c = SamplerTests.Run(new CmaEsSampler(), Box(5), Sphere, 60, 12).Select(t => t.Configuration).ToList();
        a.Should().Equal(b);
        a.Should().NotEqual(c);
    }

    [Fact]
    public void Integers_are_rounded_and_log_scale_is_searched_in_log_space()
    {
        // Optimum lr = 1e-4 (log space: a tiny corner of [1e-6, 1] on a linear scale), n = 37, m = 3.
        var space = new ConfigurationSpace("mixed").Add(
            new FloatHyperparameter("lr", 1e-6, 1.0, log: true),
            new IntegerHyperparameter("n", 0, 100),
            new IntegerHyperparameter("m", 1, 1000, log: true));
        double F(Configuration c) => Math.Pow(Math.Log10(c.GetDouble("lr")) + 4, 2) + Math.Pow((c.GetLong("n") - 37) / 10.0, 2)
            + Math.Pow(Math.Log10(c.GetLong("m")) - Math.Log10(3), 2);
        var trials = SamplerTests.Run(new CmaEsSampler(), space, F, 300, 5);
        trials.Should().OnlyContain(t => t.Configuration["n"] is long && t.Configuration["m"] is long);
        var best = trials.MinBy(t => t.Value!.Value)!.Configuration;
        best.GetLong("n").Should().Be(37);
        best.GetLong("m").Should().Be(3);
        Math.Log10(best.GetDouble("lr")).Should().BeApproximately(-4, 0.05);
    }

    [Fact]
    public void Categoricals_are_sampled_at_random_while_the_numerics_converge()
    {
        var space = Box(5).Add(new CategoricalHyperparameter("mode", new object[] { "a", "b", "c" }));
        double F(Configuration c) => Sphere(c) + (c.GetString("mode") == "b" ? 0 : 1e-3);
        var trials = SamplerTests.Run(new CmaEsSampler(), space, F, 400, 2);
        // Optuna's CmaEsSampler leaves categoricals to its independent RandomSampler: no preference for the good choice.
        var late = trials.Skip(100).GroupBy(t => t.Configuration.GetString("mode")).ToDictionary(g => g.Key, g => g.Count());
        late.Keys.Should().BeEquivalentTo(new[] { "a", "b", "c" });
        late.Values.Should().OnlyContain(n => n > 70 && n < 130, "300 uniform draws over three choices");
        trials.Where(t => t.Configuration.GetString("mode") == "b").Min(t => t.Value!.Value).Should().BeLessThan(1e-2, "the numerics still converge");
    }

    [Fact]
    public void With_fewer_than_two_numeric_dimensions_it_samples_like_the_random_sampler()
    {
        var space = new ConfigurationSpace("one").Add(new FloatHyperparameter("x", 0, 1), new CategoricalHyperparameter("k", new object[] { 1L, 2L }));
        var cma = SamplerTests.Run(new CmaEsSampler(), space, c => c.GetDouble("x"), 30, 4).Select(t => t.Configuration);
        var random = SamplerTests.Run(new RandomSampler(), space, c => c.GetDouble("x"), 30, 4).Select(t => t.Configuration);
        cma.Should().Equal(random);
    }

    [Fact]
    public void A_trial_started_before_its_generation_was_told_is_ignored_like_optunas_stale_generation_trials()
    {
        // Trial 0 is the random startup trial, trials 1–8 generation 0 (λ = 8), trial 9 (bad) started while trial 8 ran:
        // it belongs to generation 0, which is told without it. Trials 10–16 are 7 members of generation 1, not told yet.
        var space = Box(5);
        var sampler = new CmaEsSampler();
        var t0 = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var withLate = new List<Trial>();
        var clock = t0;
        void Add(List<Trial> h, Configuration c, double v, DateTime start, DateTime end) =>
            h.Add(new Trial(c, v, TrialState.Complete) { StartedUtc = start, CompletedUtc = end });
        for (int i = 0; i < 17; i++)
        {
            var c = sampler.Suggest(space, withLate, new Rng((ulong)i));
            if (i == 9)
            {
                // Suggested from generation 0's distribution before trial 8 finished; finishes last, with a poor value.
                c = sampler.Suggest(space, withLate.Take(8).ToList(), new Rng(99));
                Add(withLate, c, 1e6, withLate[8].StartedUtc!.Value.AddSeconds(0.5), t0.AddHours(1));
                continue;
            }
            clock = clock.AddSeconds(1);
            var start = clock; clock = clock.AddSeconds(1);
            Add(withLate, c, Sphere(c), start, clock);
        }
        var without = withLate.Where((_, i) => i != 9).ToList();
        var next = sampler.Suggest(space, withLate, new Rng(5));
        next.Equals(sampler.Suggest(space, without, new Rng(5))).Should().BeTrue("the late trial of generation 0 changes nothing");
        // Without timestamps it would count for generation 1, which then has its 8 members and is told: another distribution.
        var untimed = withLate.Select(t => t with { StartedUtc = null, CompletedUtc = null }).ToList();
        sampler.Suggest(space, untimed, new Rng(5)).Equals(next).Should().BeFalse();
    }

    [Fact]
    public void A_study_reopened_from_sqlite_mid_generation_continues_exactly_as_an_uninterrupted_one()
    {
        using var dir = new TempDir();
        var space = Box(5);
        StudyResult Optimize(string name, int nTrials, bool resume) => new HyperparameterOptimizer(new HyperparameterOptimizerOptions
        {
            StudyDirectory = dir.Combine(name), Direction = StudyDirection.Minimize, NTrials = nTrials, Sampler = SamplerKind.CmaEs,
            Pruner = new NopPruner(), Seed = 9, ContinuePrevious = resume,
        }).Optimize(space, ctx => Sphere(ctx.Configuration));

        var straight = Optimize("straight", 30, false);
        Optimize("resumed", 13, false);                  // trial 0 random, 1–8 generation 0, 9–12 half of generation 1
        var resumed = Optimize("resumed", 30, true);
        resumed.Trials.Select(t => t.Configuration).Should().Equal(straight.Trials.Select(t => t.Configuration));
        // Each stored trial is what the sampler suggests from the trials before it, read sequentially (no timestamps),
        // with that trial's seed: the timestamps of a sequential study change nothing, and trial 13 (after the reopening) is no exception.
        var history = resumed.Trials.Select(t => t.ToTrial() with { StartedUtc = null, CompletedUtc = null }).ToList();
        for (int k = 0; k < history.Count; k++)
            new CmaEsSampler().Suggest(space, history.Take(k).ToList(), TrialSeeds.Sampler(9, k)).Equals(history[k].Configuration).Should().BeTrue($"trial {k}");
    }

    [Fact]
    public void Every_dimension_is_scaled_to_the_unit_cube_so_suggestions_follow_an_affine_change_of_the_ranges()
    {
        // Optuna 4 (transform_0_1): CMA-ES runs on [0, 1]^n with σ0 = 1/6, so a study over ranges of 20, 200 and 0.001
        // suggests the unit-cube study's points mapped affinely. Optuna 3.1's σ0 = min range / 6 in raw coordinates
        // (0.001/6 here) would leave the wide dimensions almost unexplored.
        double[] lo = { -5, 100, 0 }, hi = { 15, 300, 0.001 };
        var unit = new ConfigurationSpace("unit");
        var wide = new ConfigurationSpace("wide");
        for (int i = 0; i < 3; i++)
        {
            unit.Add(new FloatHyperparameter($"x{i}", 0, 1));
            wide.Add(new FloatHyperparameter($"x{i}", lo[i], hi[i]));
        }
        double[] target = { 0.3, 0.7, 0.2 };
        double F(double[] u) => u.Select((v, i) => (v - target[i]) * (v - target[i]) * (i + 1)).Sum();
        var a = SamplerTests.Run(new CmaEsSampler(), unit, c => F(X(c, 3)), 60, 21);
        var b = SamplerTests.Run(new CmaEsSampler(), wide, c => F(X(c, 3).Select((v, i) => (v - lo[i]) / (hi[i] - lo[i])).ToArray()), 60, 21);
        for (int k = 0; k < 60; k++)
            for (int i = 0; i < 3; i++)
                ((b[k].Configuration.GetDouble($"x{i}") - lo[i]) / (hi[i] - lo[i])).Should().BeApproximately(a[k].Configuration.GetDouble($"x{i}"), 1e-6, $"trial {k}, x{i}");
        // And the search moves in the wide dimensions: the spread of generation 1 is about σ0 = 1/6 of each range.
        var gen1 = b.Skip(1).Take(7).Select(t => t.Configuration.GetDouble("x1")).ToArray();
        (gen1.Max() - gen1.Min()).Should().BeGreaterThan(0.1 * 200, "a σ0 of 1/6 of the 200-wide range, not 0.001/6");
    }

    [Fact]
    public void The_update_matches_the_cmaes_package_that_optuna_drives()
    {
        // cmaes 0.9.1: CMA(mean=[0.5]*3, sigma=0.2, bounds=[[0, 1]]*3) told 3 generations of these fixed points (λ = 7).
        var es = new CmaEs(new[] { 0.5, 0.5, 0.5 }, 0.2, new[] { 0.0, 0, 0 }, new[] { 1.0, 1, 1 });
        es.PopulationSize.Should().Be(7);
        for (int g = 0; g < 3; g++)
        {
            var solutions = new List<(double[], double)>();
            for (int k = 0; k < 7; k++)
            {
                var x = Enumerable.Range(0, 3).Select(i => 0.5 + 0.1 * Math.Sin(1.0 + k + 3 * g + i)).ToArray();
                solutions.Add((x, x.Sum(v => (v - 0.3) * (v - 0.3)) + 0.01 * k));
            }
            es.Tell(solutions);
        }
        es.Mean.Should().Equal(new[] { 0.46805431356471194, 0.4189848015829204, 0.4444002894050621 }, (a, b) => Math.Abs(a - b) < 1e-12);
        es.Sigma.Should().BeApproximately(0.10949209563932943, 1e-12);
        double[,] c =
        {
            { 0.7803811891377868, -0.18114888830149495, -0.06887552071084888 },
            { -0.18114888830149495, 0.5442334384828754, -0.2111349577730622 },
            { -0.06887552071084897, -0.21113495777306218, 0.7479781041789669 },
        };
        var actual = es.Covariance;
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) actual[i, j].Should().BeApproximately(c[i, j], 1e-12);
    }
}
