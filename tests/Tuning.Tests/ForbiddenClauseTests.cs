using RlExperiments.Core;
using RlExperiments.Tuning;

namespace RlExperiments.Tuning.Tests;

public class ForbiddenClauseTests
{
    private static ConfigurationSpace ReplayRatioSpace() => new ConfigurationSpace("dqn")
        .Add(
            new IntegerHyperparameter("gradient_steps", 1, 128, log: true),
            new IntegerHyperparameter("train_freq", 1, 256, log: true))
        .Add(new ForbiddenGreaterThanRelation("gradient_steps", "train_freq"));

    [Fact]
    public void Random_sampling_never_yields_more_gradient_steps_than_train_freq_and_covers_the_range()
    {
        var space = ReplayRatioSpace();
        space.Forbidden.Should().ContainSingle().Which.ToString().Should().Be("Forbidden: gradient_steps > train_freq");
        var sampler = new RandomSampler();
        var rng = new Rng(5);
        var draws = Enumerable.Range(0, 2000).Select(_ => sampler.Suggest(space, Array.Empty<Trial>(), rng)).ToList();
        draws.Should().OnlyContain(c => c.GetLong("gradient_steps") <= c.GetLong("train_freq"));
        draws.Should().OnlyContain(c => !space.IsForbidden(c) && space.GetErrors(c).Count == 0);
        draws.Min(c => c.GetLong("gradient_steps")).Should().Be(1);
        draws.Max(c => c.GetLong("gradient_steps")).Should().BeGreaterThanOrEqualTo(64);
        draws.Min(c => c.GetLong("train_freq")).Should().BeLessThanOrEqualTo(2);
        draws.Max(c => c.GetLong("train_freq")).Should().BeGreaterThanOrEqualTo(200);
        draws.Should().Contain(c => c.GetLong("gradient_steps") == c.GetLong("train_freq")); // the boundary is allowed
    }

    [Fact]
    public void Validate_rejects_a_forbidden_configuration_naming_the_clause()
    {
        var space = ReplayRatioSpace();
        var bad = new Configuration(new KeyValuePair<string, object>[] { new("gradient_steps", 64L), new("train_freq", 4L) });
        var ok = new Configuration(new KeyValuePair<string, object>[] { new("gradient_steps", 4L), new("train_freq", 4L) });
        space.IsForbidden(bad).Should().BeTrue();
        space.IsForbidden(ok).Should().BeFalse();
        space.GetErrors(ok).Should().BeEmpty();
        var act = () => space.Validate(bad);
        act.Should().Throw<ConfigurationValidationException>()
            .Which.Errors.Should().ContainSingle().Which.Should().Contain("Forbidden: gradient_steps > train_freq");
        var fromJson = () => Configuration.FromJson(bad.ToJson(), space);
        fromJson.Should().Throw<ConfigurationValidationException>();
        Configuration.FromJson(ok.ToJson(), space).Equals(ok).Should().BeTrue();
    }

    [Fact]
    public void Equals_and_conjunction_apply_only_when_every_named_hyperparameter_is_active()
    {
        var space = new ConfigurationSpace()
            .Add(
                new CategoricalHyperparameter("kind", new object[] { "a", "b" }),
                new CategoricalHyperparameter("lr", new object[] { 0.1, 0.01 }),
                new CategoricalHyperparameter("opt", new object[] { "adam", "sgd" }))
            .Add(new EqualsCondition("opt", "kind", "b"));
        var clause = new ForbiddenAndConjunction(new ForbiddenEqualsClause("opt", "sgd"), new ForbiddenEqualsClause("lr", 0.1));
        space.Add(clause);
        clause.ToString().Should().Be("(Forbidden: opt == 'sgd' && Forbidden: lr == 0.1)");
        clause.HyperparameterNames.Should().Equal("opt", "lr");
        clause.Should().Be(new ForbiddenAndConjunction(new ForbiddenEqualsClause("opt", "sgd"), new ForbiddenEqualsClause("lr", 0.1)));

        Configuration C(params (string, object)[] kv) => new(kv.Select(p => new KeyValuePair<string, object>(p.Item1, p.Item2)));
        space.IsForbidden(C(("kind", "a"), ("lr", 0.1))).Should().BeFalse(); // opt inactive: clause ignored
        space.IsForbidden(C(("kind", "b"), ("lr", 0.1), ("opt", "sgd"))).Should().BeTrue();
        space.IsForbidden(C(("kind", "b"), ("lr", 0.1), ("opt", "adam"))).Should().BeFalse();
        space.IsForbidden(C(("kind", "b"), ("lr", 0.01), ("opt", "sgd"))).Should().BeFalse();
        new ForbiddenEqualsClause("opt", "sgd").IsForbidden(new Dictionary<string, object> { ["kind"] = "b" }).Should().BeFalse();
        new ForbiddenEqualsClause("x", 1).IsForbidden(new Dictionary<string, object> { ["x"] = 1.0 }).Should().BeTrue();
        new ForbiddenLessThanRelation("x", "y").IsForbidden(new Dictionary<string, object> { ["x"] = 1L, ["y"] = 1.5 }).Should().BeTrue();
        new ForbiddenLessThanRelation("x", "y").IsForbidden(new Dictionary<string, object> { ["x"] = 1L }).Should().BeFalse();

        var rng = new Rng(3);
        var draws = Enumerable.Range(0, 500).Select(_ => space.Sample(rng)).ToList();
        draws.Should().OnlyContain(c => !(c.ContainsKey("opt") && c.GetString("opt") == "sgd" && c.GetDouble("lr") == 0.1));
        draws.Should().Contain(c => c.ContainsKey("opt") && c.GetString("opt") == "sgd");
        draws.Should().Contain(c => !c.ContainsKey("opt") && c.GetDouble("lr") == 0.1);
        new GridSampler().Enumerate(space).Should().HaveCount(2 + 4 - 1);
    }

    [Fact]
    public void Grid_enumeration_skips_forbidden_points_and_without_drops_their_clauses()
    {
        ConfigurationSpace Tiny() => new ConfigurationSpace().Add(new IntegerHyperparameter("a", 1, 3), new IntegerHyperparameter("b", 1, 3));
        var grid = new GridSampler(3);
        grid.Enumerate(Tiny()).Should().HaveCount(9);
        var greater = Tiny().Add(new ForbiddenGreaterThanRelation("a", "b"));
        grid.Enumerate(greater).Should().HaveCount(6).And.OnlyContain(c => c.GetLong("a") <= c.GetLong("b"));
        grid.Enumerate(Tiny().Add(new ForbiddenLessThanRelation("a", "b"))).Should().HaveCount(6);
        var diagonal = Tiny().Add(new ForbiddenGreaterThanRelation("a", "b"), new ForbiddenLessThanRelation("a", "b"));
        grid.Enumerate(diagonal).Should().HaveCount(3).And.OnlyContain(c => c.GetLong("a") == c.GetLong("b"));
        var rng = new Rng(1);
        var history = new List<Trial>();
        for (int i = 0; i < 3; i++) history.Add(new Trial(grid.Suggest(diagonal, history, rng), 0.0, TrialState.Complete));
        history.Should().OnlyContain(t => !diagonal.IsForbidden(t.Configuration));
        var exhausted = () => grid.Suggest(diagonal, history, rng);
        exhausted.Should().Throw<InvalidOperationException>();

        var without = greater.Without("b");
        without.Forbidden.Should().BeEmpty();
        grid.Enumerate(without).Should().HaveCount(3);
        greater.Forbidden.Should().ContainSingle(); // the original is untouched
    }

    [Fact]
    public void Tpe_never_suggests_a_forbidden_configuration_while_chasing_large_gradient_steps()
    {
        var space = ReplayRatioSpace();
        var sampler = new TpeSampler(StudyDirection.Maximize);
        var rng = new Rng(11);
        var history = new List<Trial>();
        for (int i = 0; i < 60; i++)
        {
            var c = sampler.Suggest(space, history, rng);
            space.GetErrors(c).Should().BeEmpty($"trial {i} ({c}) must be allowed");
            history.Add(new Trial(c, Math.Log(c.GetLong("gradient_steps")), TrialState.Complete));
        }
        history.Should().OnlyContain(t => t.Configuration.GetLong("gradient_steps") <= t.Configuration.GetLong("train_freq"));
        history.Max(t => t.Configuration.GetLong("gradient_steps")).Should().BeGreaterThanOrEqualTo(32);
    }

    [Fact]
    public void Adding_a_clause_that_forbids_the_default_is_an_error_and_adds_nothing()
    {
        var space = new ConfigurationSpace().Add(
            new IntegerHyperparameter("gradient_steps", 1, 128, log: true),
            new IntegerHyperparameter("train_freq", 1, 256, log: true));
        space.Default.GetLong("gradient_steps").Should().BeLessThan(space.Default.GetLong("train_freq"));
        var act = () => space.Add(new ForbiddenGreaterThanRelation("gradient_steps", "train_freq"), new ForbiddenLessThanRelation("gradient_steps", "train_freq"));
        act.Should().Throw<ArgumentException>().WithMessage("*Forbidden: gradient_steps < train_freq*default*");
        space.Forbidden.Should().BeEmpty();
        var equalsDefault = () => space.Add(new ForbiddenEqualsClause("train_freq", space.Default.GetLong("train_freq")));
        equalsDefault.Should().Throw<ArgumentException>().WithMessage("*Forbidden: train_freq == 16*default*");
    }

    [Fact]
    public void Unknown_names_illegal_values_and_non_numeric_relations_are_errors()
    {
        var space = ReplayRatioSpace().Add(new CategoricalHyperparameter("loss", new object[] { "huber", "mse" }));
        var unknown = () => space.Add(new ForbiddenGreaterThanRelation("gradient_steps", "nope"));
        unknown.Should().Throw<ArgumentException>().WithMessage("*Forbidden: gradient_steps > nope*unknown hyperparameter 'nope'*");
        var nested = () => space.Add(new ForbiddenAndConjunction(new ForbiddenEqualsClause("loss", "mse"), new ForbiddenEqualsClause("lossy", "x")));
        nested.Should().Throw<ArgumentException>().WithMessage("*unknown hyperparameter 'lossy'*");
        var illegal = () => space.Add(new ForbiddenEqualsClause("loss", "l1"));
        illegal.Should().Throw<ArgumentException>().WithMessage("*Forbidden: loss == 'l1'*'l1'*'loss'*");
        var outOfRange = () => space.Add(new ForbiddenEqualsClause("train_freq", 1000));
        outOfRange.Should().Throw<ArgumentException>().WithMessage("*1000*'train_freq'*[1, 256]*");
        var nonNumeric = () => space.Add(new ForbiddenLessThanRelation("loss", "train_freq"));
        nonNumeric.Should().Throw<ArgumentException>().WithMessage("*'loss'*not numeric*");
        var self = () => new ForbiddenGreaterThanRelation("train_freq", "train_freq");
        self.Should().Throw<ArgumentException>().WithMessage("*'train_freq' with itself*");
        space.Forbidden.Should().ContainSingle();
    }

    [Fact]
    public void Sample_is_deterministic_for_a_seed_and_gives_up_clearly_when_almost_everything_is_forbidden()
    {
        var space = ReplayRatioSpace();
        List<Configuration> Draw(ulong seed) { var rng = new Rng(seed); return Enumerable.Range(0, 300).Select(_ => space.Sample(rng)).ToList(); }
        Draw(42).Should().Equal(Draw(42));
        Draw(42).Should().NotEqual(Draw(43));

        var narrow = new ConfigurationSpace("narrow")
            .Add(new IntegerHyperparameter("a", 1, 1_000_000_000_000, defaultValue: 7), new IntegerHyperparameter("b", 1, 1_000_000_000_000, defaultValue: 7))
            .Add(new ForbiddenGreaterThanRelation("a", "b"), new ForbiddenLessThanRelation("a", "b"));
        var act = () => narrow.Sample(new Rng(0));
        act.Should().Throw<InvalidOperationException>()
            .WithMessage($"*'narrow'*{ConfigurationSpace.MaxSampleAttempts}*Forbidden: a > b; Forbidden: a < b*");
    }
}
