using RlExperiments.Core;
using RlExperiments.Tuning;

namespace RlExperiments.Tuning.Tests;

public class ConditionAndIntegerTests
{
    [Fact]
    public void In_condition_and_nested_conditions_activate_children_only_when_parents_allow()
    {
        var space = new ConfigurationSpace()
            .Add(
                new CategoricalHyperparameter("kind", new object[] { "a", "b", "c" }),
                new CategoricalHyperparameter("use_x", new object[] { true, false }),
                new FloatHyperparameter("x", 0, 1))
            .Add(
                new InCondition("use_x", "kind", new object[] { "b", "c" }),
                new EqualsCondition("x", "use_x", true));
        var rng = new Rng(2);
        int withX = 0;
        for (int i = 0; i < 1000; i++)
        {
            var c = space.Sample(rng);
            c.ContainsKey("use_x").Should().Be(c.GetString("kind") != "a");
            c.ContainsKey("x").Should().Be(c.ContainsKey("use_x") && c.GetBool("use_x"));
            if (c.ContainsKey("x")) withX++;
        }
        withX.Should().BeInRange(250, 420); // 2/3 * 1/2 of 1000
        new GridSampler(2).Enumerate(space).Should().HaveCount(1 + 2 * (2 + 1));
    }

    [Fact]
    public void Log_integer_samples_cover_the_range_with_log_uniform_median()
    {
        var hp = new IntegerHyperparameter("units", 1, 1024, log: true);
        var rng = new Rng(9);
        var draws = Enumerable.Range(0, 4001).Select(_ => (long)hp.Sample(rng)).OrderBy(v => v).ToArray();
        draws.First().Should().Be(1);
        draws.Last().Should().BeInRange(900, 1024); // P(1024) is only ~1.3e-4 per draw on a log scale
        // Geometric mean of [0.5, 1024.5] is about 22.6; a linear sampler would give about 512.
        draws[2000].Should().BeInRange(17, 30);
        hp.DefaultValue.Should().Be(32);
    }
}
