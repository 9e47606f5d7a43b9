using RlExperiments.Core;
using RlExperiments.Tuning;
using RlExperiments.Experiments.Algorithms.Dqn;
using RlExperiments.Experiments.Algorithms.Ppo;
using RlExperiments.Experiments.Algorithms.Sac;

namespace RlExperiments.Tuning.Tests;

public class ConfigurationSpaceTests
{
    private static ConfigurationSpace Small() => new ConfigurationSpace()
        .Add(
            new FloatHyperparameter("lr", 1e-5, 1e-1, 1e-3, log: true),
            new IntegerHyperparameter("units", 8, 512, 64, log: true),
            new FloatHyperparameter("gamma", 0.8, 1.0, 0.99),
            new IntegerHyperparameter("epochs", 1, 10, 3),
            new CategoricalHyperparameter("opt", new object[] { "adam", "sgd" }, "adam"),
            new FloatHyperparameter("momentum", 0.0, 0.99, 0.9),
            new ConstantHyperparameter("algo", "dqn"))
        .Add(new EqualsCondition("momentum", "opt", "sgd"));

    [Fact]
    public void Samples_respect_ranges_types_and_conditions()
    {
        var space = Small();
        var rng = new Rng(1);
        int active = 0, inactive = 0;
        for (int i = 0; i < 2000; i++)
        {
            var c = space.Sample(rng);
            space.GetErrors(c).Should().BeEmpty();
            c.GetDouble("lr").Should().BeInRange(1e-5, 1e-1);
            c.GetLong("units").Should().BeInRange(8, 512);
            c.GetLong("epochs").Should().BeInRange(1, 10);
            c.GetString("algo").Should().Be("dqn");
            if (c.GetString("opt") == "sgd") { c.ContainsKey("momentum").Should().BeTrue(); active++; }
            else { c.ContainsKey("momentum").Should().BeFalse(); inactive++; }
        }
        active.Should().BeGreaterThan(800); inactive.Should().BeGreaterThan(800);
    }

    [Fact]
    public void Log_scale_median_is_near_the_geometric_mean()
    {
        var space = Small();
        var rng = new Rng(7);
        var lrs = Enumerable.Range(0, 4001).Select(_ => space.Sample(rng).GetDouble("lr")).OrderBy(x => x).ToArray();
        var median = lrs[2000];
        // geometric mean of [1e-5, 1e-1] is 1e-3; a linear-uniform sampler would give ~0.05.
        Math.Log10(median).Should().BeApproximately(-3.0, 0.15);
        var gammas = Enumerable.Range(0, 4001).Select(_ => space.Sample(rng).GetDouble("gamma")).OrderBy(x => x).ToArray();
        gammas[2000].Should().BeApproximately(0.9, 0.01);
    }

    [Fact]
    public void Default_uses_defaults_and_omits_inactive_children()
    {
        var d = Small().Default;
        d.GetDouble("lr").Should().Be(1e-3);
        d.GetString("opt").Should().Be("adam");
        d.ContainsKey("momentum").Should().BeFalse();
        d.Keys.Should().Equal("lr", "units", "gamma", "epochs", "opt", "algo");
    }

    [Fact]
    public void Validation_names_hyperparameter_and_range()
    {
        var space = Small();
        var bad = new Configuration(space.Default.Select(kv => kv.Key == "gamma" ? new KeyValuePair<string, object>("gamma", 1.5) : kv));
        var act = () => space.Validate(bad);
        act.Should().Throw<ConfigurationValidationException>().WithMessage("*'gamma'*[0.8, 1]*");

        var badInt = new Configuration(space.Default.Select(kv => kv.Key == "units" ? new KeyValuePair<string, object>("units", 1000L) : kv));
        space.GetErrors(badInt).Should().ContainSingle().Which.Should().Contain("'units'").And.Contain("[8, 512]");

        var unknown = new Configuration(space.Default.Append(new("nope", 1L)));
        space.GetErrors(unknown).Should().ContainSingle().Which.Should().Contain("Unknown hyperparameter 'nope'");

        var inactive = new Configuration(space.Default.Append(new("momentum", 0.5)));
        space.GetErrors(inactive).Should().ContainSingle().Which.Should().Contain("'momentum' is inactive");

        var missing = new Configuration(space.Default.Select(kv => kv.Key == "opt" ? new KeyValuePair<string, object>("opt", "sgd") : kv));
        space.GetErrors(missing).Should().ContainSingle().Which.Should().Contain("Active hyperparameter 'momentum' is missing");

        var badCat = new Configuration(space.Default.Select(kv => kv.Key == "opt" ? new KeyValuePair<string, object>("opt", "rmsprop") : kv));
        space.GetErrors(badCat).Should().ContainSingle().Which.Should().Contain("'opt'").And.Contain("'adam', 'sgd'");
    }

    [Fact]
    public void Json_round_trip_preserves_types_order_and_equality()
    {
        var space = new SacModule().SearchSpace();
        var rng = new Rng(3);
        for (int i = 0; i < 50; i++)
        {
            var c = space.Sample(rng);
            var back = Configuration.FromJson(c.ToJson(), space);
            back.Equals(c).Should().BeTrue();
            back.GetHashCode().Should().Be(c.GetHashCode());
            Configuration.FromJson(c.ToJson()).Equals(c).Should().BeTrue();
        }
        // Integral-looking floats are coerced back to double with the space.
        var json = "{\"alpha\": 1}";
        var sp = new ConfigurationSpace().Add(new FloatHyperparameter("alpha", 0, 2));
        Configuration.FromJson(json, sp)["alpha"].Should().Be(1.0);
    }

    [Fact]
    public void Conditions_need_parent_first_and_legal_values()
    {
        var space = new ConfigurationSpace().Add(new FloatHyperparameter("a", 0, 1), new CategoricalHyperparameter("b", new object[] { 1, 2 }));
        ((Action)(() => space.Add(new EqualsCondition("a", "b", 1L)))).Should().Throw<ArgumentException>().WithMessage("*before*");
        ((Action)(() => space.Add(new EqualsCondition("b", "a", 5.0)))).Should().Throw<ArgumentException>();
        ((Action)(() => space.Add(new FloatHyperparameter("a", 0, 1)))).Should().Throw<ArgumentException>().WithMessage("*already*");
        ((Action)(() => new FloatHyperparameter("x", 0, 1, log: true))).Should().Throw<ArgumentException>().WithMessage("*lower > 0*");
    }

    [Fact]
    public void Builtin_spaces_have_arlbench_defaults_and_conditions()
    {
        var dqn = new DqnModule().SearchSpace();
        var lr = (FloatHyperparameter)dqn.Get("learning_rate");
        (lr.Lower, lr.Upper, lr.DefaultValue, lr.Log).Should().Be((1e-6, 0.1, 3e-4, true));
        ((FloatHyperparameter)dqn.Get("gamma")).Lower.Should().Be(0.8);
        ((CategoricalHyperparameter)dqn.Get("buffer_batch_size")).Choices.Should().Equal(4L, 8L, 16L, 32L, 64L);
        dqn.Default.GetLong("buffer_batch_size").Should().Be(16);
        dqn.Default.ContainsKey("tau").Should().BeTrue();
        var rng = new Rng(5);
        foreach (var c in Enumerable.Range(0, 300).Select(_ => dqn.Sample(rng)))
        {
            c.ContainsKey("tau").Should().Be(c.GetBool("use_target_network"));
            c.ContainsKey("target_update_interval").Should().Be(c.GetBool("use_target_network"));
        }

        var ppo = new PpoModule().SearchSpace();
        ((FloatHyperparameter)ppo.Get("clip_eps")).Upper.Should().Be(0.5);
        ((FloatHyperparameter)ppo.Get("gae_lambda")).Upper.Should().Be(0.9999);
        ((CategoricalHyperparameter)ppo.Get("n_steps")).Choices.Should().Equal(5L, 32L, 64L, 80L, 128L, 256L, 512L);
        ppo.Validate(ppo.Default);

        var sac = new SacModule().SearchSpace();
        sac.Default.ContainsKey("alpha").Should().BeFalse();
        foreach (var c in Enumerable.Range(0, 200).Select(_ => sac.Sample(rng)))
            c.ContainsKey("alpha").Should().Be(!c.GetBool("alpha_auto"));

        new PpoModule().NasSpace().Default.Equals(new Configuration(new KeyValuePair<string, object>[] { new("activation", "tanh"), new("hidden_size", 64L) })).Should().BeTrue();
        new SacModule().NasSpace().Default.GetLong("hidden_size").Should().Be(256);
        ((IntegerHyperparameter)new PpoModule().NasSpace().Get("hidden_size")).Upper.Should().Be(2048);
    }

    [Fact]
    public void With_replaces_a_value_in_place_or_appends_a_new_one_and_leaves_the_original_alone()
    {
        var c = new Configuration(new Dictionary<string, object> { ["lr"] = 1e-3, ["units"] = 64L });
        var replaced = c.With("lr", 1e-4);
        replaced.Keys.Should().Equal("lr", "units");
        replaced.GetDouble("lr").Should().Be(1e-4);
        c.GetDouble("lr").Should().Be(1e-3);
        var appended = c.With("gamma", 0.9).With("units", 32);
        appended.Keys.Should().Equal("lr", "units", "gamma");
        appended.GetLong("units").Should().Be(32, "ints are normalised to long");
    }
}
