using RlExperiments.Core;
using RlExperiments.Tuning;

namespace RlExperiments.Tuning.Tests;

public class SamplerTests
{
    /// <summary>5 numerics (one log-scaled float, one integer) + a categorical switch with a conditional child.</summary>
    internal static ConfigurationSpace SyntheticSpace() => new ConfigurationSpace("synthetic")
        .Add(
            new FloatHyperparameter("x0", -5, 5),
            new FloatHyperparameter("x1", -5, 5),
            new FloatHyperparameter("x2", -5, 5),
            new FloatHyperparameter("lr", 1e-5, 1.0, log: true),
            new IntegerHyperparameter("n", 0, 100),
            new CategoricalHyperparameter("mode", new object[] { "a", "b", "c" }),
            new FloatHyperparameter("extra", 0, 1))
        .Add(new EqualsCondition("extra", "mode", "c"));

    /// <summary>Minimum 0 at x = (1, -2, 0.5), lr = 1e-2, n = 70, mode b; mode c adds (extra - 0.5)^2.</summary>
    internal static double Objective(Configuration c)
    {
        double f = Sq(c.GetDouble("x0") - 1) + Sq(c.GetDouble("x1") + 2) + Sq(c.GetDouble("x2") - 0.5)
            + Sq(Math.Log10(c.GetDouble("lr")) + 2) + Sq((c.GetLong("n") - 70) / 10.0);
        f += c.GetString("mode") switch { "a" => 4.0, "b" => 0.0, _ => 1.0 + 4 * Sq(c.GetDouble("extra") - 0.5) };
        return f;
        static double Sq(double v) => v * v;
    }

    internal static List<Trial> Run(ISampler sampler, ConfigurationSpace space, Func<Configuration, double> objective, int trials, ulong seed)
    {
        var rng = new Rng(seed);
        var history = new List<Trial>();
        for (int i = 0; i < trials; i++)
        {
            var c = sampler.Suggest(space, history, rng);
            space.Validate(c);
            history.Add(new Trial(c, objective(c), TrialState.Complete));
        }
        return history;
    }

    [Fact]
    public void Tpe_beats_random_search_on_most_seeds()
    {
        var space = SyntheticSpace();
        int wins = 0;
        var report = new List<string>();
        for (ulong seed = 0; seed < 10; seed++)
        {
            double tpe = Run(new TpeSampler(), space, Objective, 60, seed).Min(t => t.Value!.Value);
            double rnd = Run(new RandomSampler(), space, Objective, 60, seed + 1000).Min(t => t.Value!.Value);
            if (tpe < rnd) wins++;
            report.Add($"seed {seed}: tpe {tpe:F3} random {rnd:F3}");
        }
        wins.Should().BeGreaterThanOrEqualTo(8, string.Join("; ", report));
    }

    [Fact]
    public void Tpe_maximisation_follows_direction()
    {
        var space = SyntheticSpace();
        int wins = 0;
        for (ulong seed = 0; seed < 10; seed++)
        {
            double tpe = Run(new TpeSampler(StudyDirection.Maximize), space, c => -Objective(c), 60, seed).Max(t => t.Value!.Value);
            double rnd = Run(new RandomSampler(), space, c => -Objective(c), 60, seed + 1000).Max(t => t.Value!.Value);
            if (tpe > rnd) wins++;
        }
        wins.Should().BeGreaterThanOrEqualTo(8);
    }

    [Fact]
    public void Tpe_suggestions_are_valid_and_handle_conditions_and_non_complete_trials()
    {
        var space = SyntheticSpace();
        var rng = new Rng(11);
        var history = new List<Trial>();
        var sampler = new TpeSampler(options: new TpeSamplerOptions { StartupTrials = 5 });
        for (int i = 0; i < 40; i++)
        {
            var c = sampler.Suggest(space, history, rng);
            space.GetErrors(c).Should().BeEmpty();
            c.ContainsKey("extra").Should().Be(c.GetString("mode") == "c");
            var state = (i % 7) switch { 3 => TrialState.Failed, 5 => TrialState.Pruned, _ => TrialState.Complete };
            history.Add(new Trial(c, state == TrialState.Complete ? Objective(c) : null, state));
        }
    }

    [Fact]
    public void Same_seed_gives_same_suggestions()
    {
        var space = SyntheticSpace();
        foreach (var make in new Func<ISampler>[] { () => new TpeSampler(), () => new RandomSampler(), () => new GridSampler(2) })
        {
            var a = Run(make(), space, Objective, 30, 42).Select(t => t.Configuration).ToList();
            var b = Run(make(), space, Objective, 30, 42).Select(t => t.Configuration).ToList();
            a.SequenceEqual(b).Should().BeTrue(make().GetType().Name);
            var c = Run(make(), space, Objective, 30, 43).Select(t => t.Configuration).ToList();
            a.SequenceEqual(c).Should().BeFalse(make().GetType().Name);
        }
    }

    [Fact]
    public void Grid_covers_every_combination_exactly_once_respecting_conditions()
    {
        var space = new ConfigurationSpace()
            .Add(
                new CategoricalHyperparameter("opt", new object[] { "adam", "sgd" }),
                new FloatHyperparameter("lr", 1e-4, 1e-1, log: true),
                new IntegerHyperparameter("units", 1, 3),
                new FloatHyperparameter("momentum", 0, 0.9),
                new ConstantHyperparameter("algo", "ppo"))
            .Add(new EqualsCondition("momentum", "opt", "sgd"));
        var grid = new GridSampler(3);
        grid.Values(space.Get("lr")).Cast<double>().Should().BeEquivalentTo(new[] { 1e-4, Math.Sqrt(1e-4 * 1e-1), 1e-1 }, o => o.Using<double>(x => x.Subject.Should().BeApproximately(x.Expectation, 1e-12)).WhenTypeIs<double>());
        grid.Values(space.Get("units")).Should().Equal(1L, 2L, 3L);

        // adam: 3 lr x 3 units; sgd: 3 x 3 x 3 momentum.
        int expected = 9 + 27;
        grid.Enumerate(space).Should().HaveCount(expected);
        var rng = new Rng(0);
        var history = new List<Trial>();
        for (int i = 0; i < expected; i++)
        {
            var c = grid.Suggest(space, history, rng);
            space.GetErrors(c).Should().BeEmpty();
            c.ContainsKey("momentum").Should().Be(c.GetString("opt") == "sgd");
            history.Add(new Trial(c, null, TrialState.Running));
        }
        history.Select(t => t.Configuration).Distinct().Should().HaveCount(expected);
        history.Select(t => t.Configuration).ToHashSet().SetEquals(grid.Enumerate(space)).Should().BeTrue();
        ((Action)(() => grid.Suggest(space, history, rng))).Should().Throw<InvalidOperationException>().WithMessage("*exhausted*");
    }
}
