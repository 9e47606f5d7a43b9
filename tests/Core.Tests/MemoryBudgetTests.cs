using RlExperiments.Core;

namespace RlExperiments.Core.Tests;

public class MemoryBudgetTests
{
    [Fact]
    public void Network_counts_weights_and_biases_of_every_layer_four_times_in_float32()
    {
        // 1 → 64 → 32 → 1: (1·64 + 64) + (64·32 + 32) + (32·1 + 1) = 128 + 2080 + 33 = 2241 parameters.
        var d = MemoryBudget.Network("hiddenSizes", [64, 32]);
        d.Bytes.Should().Be(2241.0 * 4 * MemoryBudget.CopiesPerParameter);
        d.Field.Should().Be("hiddenSizes");
        d.Value.Should().Be("[64, 32]");
        d.What.Should().Contain("network");
        MemoryBudget.Network("h", []).Bytes.Should().Be(2 * 4 * 4, "no hidden layer: one weight and one bias");
    }

    [Fact]
    public void Network_shows_long_lists_shortened_and_refuses_too_many_layers()
    {
        var nine = Enumerable.Repeat(2, 9).ToArray();
        MemoryBudget.Network("h", nine).Value.Should().Be("[2, 2, … 9 widths]");
        MemoryBudget.Network("h", Enumerable.Repeat(2, 8).ToArray()).Value.Should().Be("[2, 2, 2, 2, 2, 2, 2, 2]");
        MemoryBudget.Network("h", Enumerable.Repeat(1, MemoryBudget.MaxHiddenLayers).ToArray()).Bytes.Should().BeGreaterThan(0);
        var act = () => MemoryBudget.Network("net.hiddenSizes", Enumerable.Repeat(1, MemoryBudget.MaxHiddenLayers + 1).ToArray());
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*net.hiddenSizes has 1001 hidden layers; allowed: at most 1000*")
            .Which.ParamName.Should().Be("net.hiddenSizes");
    }

    [Fact]
    public void ReplayBuffer_and_Environments_scale_with_their_count()
    {
        var buffer = MemoryBudget.ReplayBuffer("bufferSize", 1000);
        buffer.Bytes.Should().Be(18_000);
        buffer.Value.Should().Be("1000");
        var envs = MemoryBudget.Environments("numEnvs", 10);
        envs.Bytes.Should().Be(10 * MemoryBudget.BytesPerEnvironment);
        envs.Value.Should().Be("10");
        MemoryBudget.Environments("numEnvs", MemoryBudget.MaxEnvironments).Bytes.Should().Be(MemoryBudget.MaxEnvironments * 512.0);
        var act = () => MemoryBudget.Environments("numTestEnvs", MemoryBudget.MaxEnvironments + 1);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("numTestEnvs = 65537 is invalid (at least 33.6 MB of environments); allowed: at most 65536 environments.*");
    }

    [Fact]
    public void Check_refuses_only_a_total_above_the_budget_and_names_the_largest_demand()
    {
        var small = new MemoryDemand("a", "1", 400, "small");
        var large = new MemoryDemand("b", "2", 600, "large");
        MemoryBudget.Check([small, large], availableBytes: 1000);
        MemoryBudget.Check([], availableBytes: 0);
        var act = () => MemoryBudget.Check([small, large], availableBytes: 999);
        act.Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("b = 2 needs at least 600 bytes for its large (the experiment at least 1000 bytes), more than the 999 bytes*")
            .Which.ParamName.Should().Be("b");
    }

    [Fact]
    public void Check_uses_the_limit_when_no_budget_is_given()
    {
        MemoryBudget.Limit.Value = 500;
        try
        {
            MemoryBudget.AvailableBytes.Should().Be(500);
            var act = () => MemoryBudget.Check([new MemoryDemand("x", "1", 501, "thing")]);
            act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("x");
            MemoryBudget.Check([new MemoryDemand("x", "1", 500, "thing")]);
        }
        finally
        {
            MemoryBudget.Limit.Value = null;
        }
        MemoryBudget.AvailableBytes.Should().Be(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
    }

    [Theory]
    [InlineData(999, "999 bytes")]
    [InlineData(1e6, "1 MB")]
    [InlineData(2.56e9, "2.6 GB")]
    [InlineData(1e9, "1 GB")]
    [InlineData(3.14e12, "3.1 TB")]
    [InlineData(1e12, "1 TB")]
    public void FormatBytes_uses_decimal_units(double bytes, string expected) =>
        MemoryBudget.FormatBytes(bytes).Should().Be(expected);

    [Fact]
    public void Null_arguments_are_refused_by_name_and_no_demand_is_never_refused()
    {
        FluentActions.Invoking(() => MemoryBudget.Network("h", null!)).Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("hiddenSizes");
        FluentActions.Invoking(() => MemoryBudget.Check(null!)).Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("demands");
        MemoryBudget.Check([], availableBytes: -1); // nothing to allocate fits in any budget
    }

    [Fact]
    public void Demands_and_the_refusal_say_what_they_count_and_what_is_allowed()
    {
        MemoryBudget.ReplayBuffer("bufferSize", 10).What.Should().Be("replay buffer (18 bytes per transition at least)");
        MemoryBudget.Environments("numEnvs", 2).What.Should().Be("environments (512 bytes each at least)");
        MemoryBudget.Network("h", [4]).What.Should().Be("network weights, gradients and Adam moments");
        var act = () => MemoryBudget.Check([new MemoryDemand("x", "1", 2e6, "thing")], availableBytes: 1_000_000);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage(
            "x = 1 needs at least 2 MB for its thing (the experiment at least 2 MB), more than the 1 MB this process may use " +
            "(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes); allowed: a value whose estimate fits in memory.*");
    }
}
