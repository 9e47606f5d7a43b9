using RlExperiments.Agents.Buffers;
using RlExperiments.Core;

namespace RlExperiments.Agents.Tests.Buffers;

public sealed class PrioritizedReplayBufferTests
{
    private static PrioritizedReplayBuffer WithTransitions(int n, double alpha = 0.6, double beta0 = 0.4, int capacity = 100)
    {
        var buffer = new PrioritizedReplayBuffer(capacity, 1, 1, alpha: alpha, beta0: beta0, epsilon: 1e-6);
        for (var i = 0; i < n; i++) buffer.Add([i], [0], [i], [i], [false], [false]);
        return buffer;
    }

    [Fact]
    public void NewTransitionsGetTheMaximumPriorityAndUpdatesUseAbsoluteTdErrorPlusEpsilonToTheAlpha()
    {
        var buffer = WithTransitions(3, alpha: 0.5);
        buffer.MaxPriority.Should().Be(1);
        buffer.PriorityAt(0).Should().Be(1);
        buffer.UpdatePriorities([0, 2], [-3f, 0.5f]);
        buffer.PriorityAt(0).Should().BeApproximately(Math.Pow(3 + 1e-6, 0.5), 1e-12);
        buffer.PriorityAt(2).Should().BeApproximately(Math.Pow(0.5 + 1e-6, 0.5), 1e-12);
        buffer.MaxPriority.Should().BeApproximately(3 + 1e-6, 1e-12);
        buffer.Add([3], [0], [0], [0], [false], [false]);
        buffer.PriorityAt(3).Should().BeApproximately(Math.Pow(3 + 1e-6, 0.5), 1e-12, "new transitions get the largest priority seen");
        buffer.TotalPriority.Should().BeApproximately(2 * Math.Pow(3 + 1e-6, 0.5) + 1 + Math.Pow(0.5 + 1e-6, 0.5), 1e-9);
        buffer.Invoking(b => b.UpdatePriorities([0], [float.NaN])).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void SamplingIsProportionalToPriority()
    {
        var buffer = WithTransitions(4, alpha: 1);
        buffer.UpdatePriorities([0, 1, 2, 3], [1f, 2f, 3f, 4f]);
        var batch = buffer.CreateBatch(50);
        var counts = new int[4];
        var rng = new Rng(5);
        for (var round = 0; round < 2000; round++)
        {
            buffer.Sample(batch, rng);
            foreach (var i in batch.Indices) counts[i]++;
        }
        const double total = 100_000;
        for (var i = 0; i < 4; i++)
            (counts[i] / total).Should().BeApproximately((i + 1) / 10.0, 0.01, $"index {i}");
    }

    [Fact]
    public void ImportanceWeightsAreNormalisedByTheLargestWeight()
    {
        var buffer = WithTransitions(4, alpha: 1, beta0: 0.5);
        buffer.UpdatePriorities([0, 1, 2, 3], [1f, 2f, 3f, 4f]);
        var batch = buffer.CreateBatch(64);
        buffer.Sample(batch, new Rng(1));
        for (var b = 0; b < batch.Size; b++)
        {
            var p = batch.Indices[b] + 1 + 1e-6;
            var expected = Math.Pow(p / (1 + 1e-6), -0.5); // (p_i / p_min)^−β
            batch.Weights[b].Should().BeApproximately((float)expected, 1e-5f);
            batch.Weights[b].Should().BeLessThanOrEqualTo(1f);
        }
        // The same weights from the textbook form (N·P(i))^−β / max_j (N·P(j))^−β.
        var totalP = 10 + 4e-6;
        var maxW = Math.Pow(4 * (1 + 1e-6) / totalP, -0.5);
        var w3 = Math.Pow(4 * (4 + 1e-6) / totalP, -0.5) / maxW;
        var row = Array.IndexOf(batch.Indices, 3);
        if (row >= 0) batch.Weights[row].Should().BeApproximately((float)w3, 1e-5f);
    }

    [Fact]
    public void BetaAnnealsLinearlyToOne()
    {
        var buffer = WithTransitions(1, beta0: 0.4);
        buffer.Beta.Should().Be(0.4);
        buffer.AnnealBeta(0.5);
        buffer.Beta.Should().BeApproximately(0.7, 1e-12);
        buffer.AnnealBeta(2);
        buffer.Beta.Should().Be(1);
    }

    [Fact]
    public void StratifiedSamplingWithNStepKeepsTheBatchConsistent()
    {
        var buffer = new PrioritizedReplayBuffer(100, 1, 1, nStep: 2, gamma: 0.5);
        for (var i = 0; i < 10; i++) buffer.Add([i], [0], [1], [i + 1], [false], [false]);
        var batch = buffer.CreateBatch(8);
        buffer.Sample(batch, new Rng(3));
        for (var b = 0; b < 8; b++)
        {
            var i = batch.Indices[b];
            batch.Obs[b].Should().Be(i);
            batch.Rewards[b].Should().Be(i == 9 ? 1f : 1.5f);
        }
    }

    [Fact]
    public void SaveAndLoadKeepPriorities()
    {
        var dir = ReplayBufferTests.TempDir();
        try
        {
            var source = WithTransitions(5);
            source.UpdatePriorities([1, 3], [2f, 7f]);
            source.AnnealBeta(0.25);
            source.Save(dir);
            var copy = new PrioritizedReplayBuffer(100, 1, 1, alpha: 0.6, beta0: 0.4, epsilon: 1e-6);
            copy.Load(dir);
            for (var i = 0; i < 5; i++) copy.PriorityAt(i).Should().Be(source.PriorityAt(i));
            copy.MaxPriority.Should().Be(source.MaxPriority);
            copy.Beta.Should().Be(source.Beta);
            var a = source.CreateBatch(16);
            var b = copy.CreateBatch(16);
            source.Sample(a, new Rng(2));
            copy.Sample(b, new Rng(2));
            b.Indices.Should().Equal(a.Indices);
            b.Weights.ToArray().Should().Equal(a.Weights.ToArray());

            var uniform = new ReplayBuffer(100, 1, 1);
            uniform.Invoking(u => u.Load(dir)).Should().Throw<InvalidDataException>().WithMessage("*PrioritizedReplayBuffer*");
        }
        finally { Directory.Delete(dir, true); }
    }
}
