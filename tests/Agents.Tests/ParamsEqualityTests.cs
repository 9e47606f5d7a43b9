using System.Text.Json;
using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Agents.Algorithms.Sac;

namespace RlExperiments.Agents.Tests;

/// <summary>Params records are plain values: equal by content, hidden-layer widths included, also after a JSON round trip.</summary>
public class ParamsEqualityTests
{
    [Fact]
    public void Params_records_compare_hidden_sizes_by_content()
    {
        new DqnParams().Should().Be(new DqnParams());
        new PpoParams().Should().Be(new PpoParams());
        new SacParams().Should().Be(new SacParams());
        new DqnParams { HiddenSizes = new List<int> { 32, 32 } }.Should().Be(new DqnParams { HiddenSizes = [32, 32] });
        new DqnParams { HiddenSizes = [32, 32] }.Should().NotBe(new DqnParams { HiddenSizes = [32] });
        new DqnParams().GetHashCode().Should().Be(new DqnParams().GetHashCode());
        new SacParams().ToString().Should().Contain("HiddenSizes = [256, 256]");
    }

    [Fact]
    public void A_json_round_trip_gives_an_equal_record_and_the_widths_are_copied()
    {
        var p = new PpoParams { HiddenSizes = [128, 64], LearningRate = 1e-3 };
        JsonSerializer.Deserialize<PpoParams>(JsonSerializer.Serialize(p)).Should().Be(p);
        var widths = new List<int> { 16, 16 };
        var d = new DqnParams { HiddenSizes = widths };
        widths[0] = 99;
        d.HiddenSizes.Should().Equal(16, 16);
        new DqnParams { HiddenSizes = null! }.HiddenSizes.Should().BeNull("validation names the missing field");
    }
}
