using System.Text.Json;
using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Agents.Algorithms.Sac;

namespace RlExperiments.Agents.Tests;

/// <summary>Params records are plain values: equal by content, hidden-layer widths included, also after a JSON round trip.</summary>
public class ParamsEqualityTests
{
    [Fact]
    public void Params_records_compare_by_value()
    {
        new DqnParams().Should().Be(new DqnParams());
        new PpoParams().Should().Be(new PpoParams());
        new SacParams().Should().Be(new SacParams());
        new DqnParams { LearningRate = 1e-3 }.Should().NotBe(new DqnParams());
        new DqnParams().GetHashCode().Should().Be(new DqnParams().GetHashCode());
        new SacParams().ToString().Should().Contain("BufferSize = 1000000");
    }

    [Fact]
    public void A_json_round_trip_gives_an_equal_record()
    {
        var p = new PpoParams { UpdateEpochs = 3, LearningRate = 1e-3 };
        JsonSerializer.Deserialize<PpoParams>(JsonSerializer.Serialize(p)).Should().Be(p);
    }
}
