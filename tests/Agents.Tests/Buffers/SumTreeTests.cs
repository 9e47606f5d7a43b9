using RlExperiments.Agents.Buffers;
using RlExperiments.Core;

namespace RlExperiments.Agents.Tests.Buffers;

public sealed class SumTreeTests
{
    [Fact]
    public void SamplingByUniformMassIsProportionalToTheLeaves()
    {
        var tree = new SumTree(6); // padded to 8 leaves internally
        double[] values = [1, 0, 2, 3, 4, 0];
        for (var i = 0; i < values.Length; i++) tree[i] = values[i];
        tree.Total.Should().Be(10);
        var counts = new int[6];
        var rng = new Rng(42);
        const int draws = 200_000;
        for (var k = 0; k < draws; k++) counts[tree.Find(rng.NextDouble() * tree.Total)]++;
        counts[1].Should().Be(0);
        counts[5].Should().Be(0);
        for (var i = 0; i < values.Length; i++)
        {
            var p = values[i] / 10;
            var sd = Math.Sqrt(draws * p * (1 - p));
            counts[i].Should().BeInRange((int)(draws * p - 5 * sd), (int)(draws * p + 5 * sd + 1), $"leaf {i}");
        }
    }

    [Fact]
    public void FindMapsPrefixSumsToLeavesAndNeverReturnsAZeroLeaf()
    {
        var tree = new SumTree(5);
        tree[0] = 1;
        tree[2] = 2;
        tree[3] = 0.5;
        tree.Find(0).Should().Be(0);
        tree.Find(0.999).Should().Be(0);
        tree.Find(1).Should().Be(2, "leaf 1 is zero, so mass 1 belongs to leaf 2");
        tree.Find(2.999).Should().Be(2);
        tree.Find(3).Should().Be(3);
        tree.Find(3.5).Should().Be(3, "a mass at the total (rounding) yields the last positive leaf");
        tree.Find(100).Should().Be(3);
    }

    [Fact]
    public void UpdatesRecomputeTheSumsExactly()
    {
        var tree = new SumTree(1000);
        var rng = new Rng(1);
        var values = new double[1000];
        for (var round = 0; round < 20_000; round++)
        {
            var i = rng.NextInt(1000);
            values[i] = rng.NextDouble() * 1e3;
            tree[i] = values[i];
        }
        tree.Total.Should().BeApproximately(values.Sum(), 1e-6);
        tree[17].Should().Be(values[17]);
        tree.Invoking(t => t[3] = -1).Should().Throw<ArgumentOutOfRangeException>();
        tree.Invoking(t => t[1000] = 1).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void MinTreeTracksTheSmallestLeaf()
    {
        var tree = new MinTree(5);
        tree.Min.Should().Be(double.PositiveInfinity);
        tree[3] = 2;
        tree[1] = 5;
        tree.Min.Should().Be(2);
        tree[3] = 7;
        tree.Min.Should().Be(5);
    }

    [Fact]
    public void Trees_and_batches_refuse_an_empty_size_by_name()
    {
        FluentActions.Invoking(() => new SumTree(0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("capacity");
        FluentActions.Invoking(() => new MinTree(0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("capacity");
        FluentActions.Invoking(() => new ReplayBatch(0, 1, 1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("batchSize");
        FluentActions.Invoking(() => new ReplayBatch(1, 0, 1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("observationSize");
        FluentActions.Invoking(() => new ReplayBatch(1, 1, 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("actionSize");
    }

    [Fact]
    public void Sum_tree_refusals_say_what_is_allowed()
    {
        var tree = new SumTree(5); // padded to 8 leaves: index 5 is a padding leaf and still refused
        tree.Invoking(t => t[5] = 1).Should().Throw<ArgumentOutOfRangeException>().WithMessage("index must be in [0, 5).*");
        tree.Invoking(t => t[0] = double.NaN).Should().Throw<ArgumentOutOfRangeException>().WithMessage("Sum-tree values must be finite and ≥ 0.*");
        tree.Invoking(t => t[0] = double.PositiveInfinity).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("value");
        tree.Total.Should().Be(0);
    }

    [Fact]
    public void Min_tree_reads_leaves_back_and_refuses_NaN_and_indices_outside_its_capacity()
    {
        var tree = new MinTree(5);
        tree[4] = 3;
        tree[0] = 9;
        tree[4].Should().Be(3);
        tree[0].Should().Be(9);
        tree[2].Should().Be(double.PositiveInfinity, "an unset leaf");
        tree.Invoking(t => t[5] = 1).Should().Throw<ArgumentOutOfRangeException>().WithMessage("index must be in [0, 5).*").WithParameterName("index");
        tree.Invoking(t => t[-1]).Should().Throw<ArgumentOutOfRangeException>();
        tree.Invoking(t => t[1] = double.NaN).Should().Throw<ArgumentOutOfRangeException>().WithMessage("Min-tree values must not be NaN.*").WithParameterName("value");
        tree.Min.Should().Be(3, "refused writes change nothing");
    }
}
