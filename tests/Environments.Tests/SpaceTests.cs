using System.Text.Json;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;

namespace RlExperiments.Environments.Tests;

public class SpaceTests
{
    [Fact]
    public void DiscreteContainsAndSamplesEveryValueUniformly()
    {
        var space = new Discrete(3, start: -1);
        space.Contains(-1).Should().BeTrue();
        space.Contains(1).Should().BeTrue();
        space.Contains(2).Should().BeFalse();
        space.Contains(-2).Should().BeFalse();
        var rng = new Rng(1);
        var counts = new int[3];
        for (var i = 0; i < 30_000; i++)
            counts[space.Sample(rng) + 1]++;
        counts.Should().OnlyContain(c => c > 9_500 && c < 10_500);
        space.ToString().Should().Be("Discrete(3, start=-1)");
        new Discrete(2).ToString().Should().Be("Discrete(2)");
        var bad = () => new Discrete(0);
        bad.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*n must be positive*");
    }

    [Fact]
    public void BoxContainsChecksLengthBoundsAndNaN()
    {
        var box = new Box([-1f, 0f], [1f, float.PositiveInfinity]);
        box.Contains([0.5f, 100f]).Should().BeTrue();
        box.Contains([-1f, 0f]).Should().BeTrue("bounds are inclusive");
        box.Contains([1.01f, 0f]).Should().BeFalse();
        box.Contains([0f, -0.1f]).Should().BeFalse();
        box.Contains([float.NaN, 0f]).Should().BeFalse();
        box.Contains([0f]).Should().BeFalse();
        box.IsBounded.Should().BeFalse();
    }

    [Fact]
    public void BoxSamplesLikeGymnasiumByBoundedness()
    {
        var box = new Box(
            [-2f, 0f, float.NegativeInfinity, float.NegativeInfinity],
            [2f, float.PositiveInfinity, 5f, float.PositiveInfinity]);
        var rng = new Rng(3);
        var sample = new float[4];
        var sums = new double[4];
        const int n = 20_000;
        for (var i = 0; i < n; i++)
        {
            box.Sample(rng, sample);
            box.Contains(sample).Should().BeTrue();
            for (var j = 0; j < 4; j++) sums[j] += sample[j];
        }
        (sums[0] / n).Should().BeApproximately(0, 0.05, "uniform on [-2, 2]");
        (sums[1] / n).Should().BeApproximately(1, 0.05, "low + Exp(1)");
        (sums[2] / n).Should().BeApproximately(4, 0.05, "high - Exp(1)");
        (sums[3] / n).Should().BeApproximately(0, 0.05, "standard normal");
    }

    [Fact]
    public void BoxRejectsInconsistentBoundsNamingTheElement()
    {
        var inverted = () => new Box([0f, 2f], [1f, 1f]);
        inverted.Should().Throw<ArgumentException>().WithMessage("*low[1] = 2*high[1] = 1*");
        var wrongShape = () => new Box([0f, 0f], [1f, 1f], [3]);
        wrongShape.Should().Throw<ArgumentException>().WithMessage("*2 elements*3*");
        var nan = () => new Box(float.NaN, 1f, 2);
        nan.Should().Throw<ArgumentException>().WithMessage("*NaN*");
    }

    [Fact]
    public void DescriptionsSerialiseToJsonAndRoundTrip()
    {
        Space[] spaces = [new Discrete(4, 1), new Box(-2f, 2f, 1), new Box([-4.8f, float.NegativeInfinity], [4.8f, float.PositiveInfinity]), new Box(0f, 1f, 2, 3)];
        foreach (var space in spaces)
        {
            var json = JsonSerializer.Serialize(space.Describe());
            var back = Space.FromDescription(JsonSerializer.Deserialize<SpaceDescription>(json)!);
            back.Should().Be(space, json);
        }
        JsonSerializer.Serialize(new Box([-4.8f, float.NegativeInfinity], [4.8f, float.PositiveInfinity]).Describe())
            .Should().Be("""{"Type":"Box","Shape":[2],"Dtype":"float32","N":null,"Start":null,"Low":[-4.8,null],"High":[4.8,null]}""");
    }

    [Fact]
    public void ToStringFollowsGymnasiumRepr()
    {
        new Box(-2f, 2f, 1).ToString().Should().Be("Box(-2.0, 2.0, (1,), float32)");
        new Box([-1.2f, -0.07f], [0.6f, 0.07f]).ToString().Should().Be("Box([-1.2 -0.07], [0.6 0.07], (2,), float32)");
        new Box(float.NegativeInfinity, float.PositiveInfinity, 2, 3).ToString().Should().Be("Box(-inf, inf, (2, 3), float32)");
    }

    [Fact]
    public void BoxEqualityIsByValue()
    {
        new Box(-1f, 1f, 3).Should().Be(new Box([-1f, -1f, -1f], [1f, 1f, 1f]));
        new Box(-1f, 1f, 3).Should().NotBe(new Box(-1f, 2f, 3));
        new Box(0f, 1f, 6).Should().NotBe(new Box(0f, 1f, 2, 3));
    }
}
