using RlExperiments.Agents.Buffers;
using RlExperiments.Core;

namespace RlExperiments.Agents.Tests.Buffers;

public class RolloutBufferTests
{
    /// <summary>
    /// 2 environments × 3 steps, γ = 0.5, λ = 0.5 (γλ = 0.25). Env 0 is truncated at t = 1 with V(final obs) = 4;
    /// env 1 is terminated at t = 1 (and also flagged truncated with a bogus final value, which must be ignored).
    /// </summary>
    private static RolloutBuffer HandTrajectory()
    {
        var buffer = new RolloutBuffer(numSteps: 3, numEnvs: 2, observationSize: 1, actionSize: 1);
        //              obs             act          rewards      terminated       truncated        values         logp
        buffer.Add([0f, 10f], [0f, 1f], [1f, 1f], [false, false], [false, false], [0.5f, 1f], [-0.1f, -0.2f]);
        buffer.Add([1f, 11f], [1f, 0f], [2f, 1f], [false, true], [true, true], [1.0f, 2f], [-0.3f, -0.4f]);
        buffer.SetTruncationValue(0, 4f);
        buffer.SetTruncationValue(1, 100f);
        buffer.Add([2f, 12f], [0f, 0f], [3f, 1f], [false, false], [false, false], [1.5f, 3f], [-0.5f, -0.6f]);
        buffer.ComputeReturnsAndAdvantages(lastValues: [2f, 10f], gamma: 0.5, gaeLambda: 0.5);
        return buffer;
    }

    [Fact]
    public void Gae_matches_a_hand_computed_trajectory_with_truncation_and_termination()
    {
        var buffer = HandTrajectory();

        // Env 0 (rows 0, 2, 4):
        //   t=2: δ = 3 + 0.5·2 (last value) − 1.5 = 2.5;                  A = 2.5
        //   t=1: truncated: r̃ = 2 + 0.5·4 = 4; next value cut: δ = 4 − 1 = 3; A = 3 (no carry across the reset)
        //   t=0: δ = 1 + 0.5·1.0 − 0.5 = 1.0;                              A = 1.0 + 0.25·3 = 1.75
        // Env 1 (rows 1, 3, 5):
        //   t=2: δ = 1 + 0.5·10 − 3 = 3;                                   A = 3
        //   t=1: terminated (the truncation value is ignored): δ = 1 − 2 = −1;   A = −1
        //   t=0: δ = 1 + 0.5·2 − 1 = 1;                                    A = 1 + 0.25·(−1) = 0.75
        float[] expectedAdvantages = [1.75f, 0.75f, 3f, -1f, 2.5f, 3f];
        float[] values = [0.5f, 1f, 1f, 2f, 1.5f, 3f];
        buffer.Advantages.Should().Equal(expectedAdvantages, (a, e) => Math.Abs(a - e) < 1e-6f);
        buffer.Returns.Should().Equal(expectedAdvantages.Zip(values, (a, v) => a + v), (a, e) => Math.Abs(a - e) < 1e-6f);
    }

    [Fact]
    public void Gae_with_lambda_one_gives_discounted_monte_carlo_returns()
    {
        var buffer = new RolloutBuffer(4, 1, 1, 1);
        for (var t = 0; t < 4; t++)
            buffer.Add([t], [0f], [1f], [t == 1], [false], [0.3f * t], [0f]);
        buffer.ComputeReturnsAndAdvantages([5f], gamma: 0.9, gaeLambda: 1.0);
        // Episode 1 ends (terminated) at t=1: returns 1 + 0.9, 1. Episode 2 runs on, bootstrapped by the last value 5.
        float[] expected = [1.9f, 1f, 1f + 0.9f * (1f + 0.9f * 5f), 1f + 0.9f * 5f];
        buffer.Returns.Should().Equal(expected, (a, e) => Math.Abs(a - e) < 1e-5f);
    }

    [Theory]
    [InlineData(4, 3, 4)]   // capacity 12, batch 4: 3 full minibatches
    [InlineData(5, 3, 4)]   // capacity 15, batch 4: 3 full + 1 of 3
    [InlineData(2, 3, 64)]  // batch above capacity: one minibatch of everything
    public void Each_sample_appears_exactly_once_per_epoch(int numSteps, int numEnvs, int batchSize)
    {
        var buffer = new RolloutBuffer(numSteps, numEnvs, observationSize: 2, actionSize: 1);
        for (var t = 0; t < numSteps; t++)
        {
            var obs = new float[numEnvs * 2];
            var act = new float[numEnvs];
            var lp = new float[numEnvs];
            for (var e = 0; e < numEnvs; e++)
            {
                var row = t * numEnvs + e;
                obs[2 * e] = row;
                obs[2 * e + 1] = -row;
                act[e] = row % 2;
                lp[e] = -row;
            }
            buffer.Add(obs, act, new float[numEnvs], new bool[numEnvs], new bool[numEnvs], new float[numEnvs], lp);
        }
        buffer.ComputeReturnsAndAdvantages(new float[numEnvs], 0.99, 0.95);

        var batches = buffer.Minibatches(batchSize);
        var capacity = numSteps * numEnvs;
        batches.Count.Should().Be((capacity + Math.Min(batchSize, capacity) - 1) / Math.Min(batchSize, capacity));
        var rng = new Rng(7);
        var orders = new List<int[]>();
        for (var epoch = 0; epoch < 3; epoch++)
        {
            batches.Shuffle(rng);
            var seen = new List<int>();
            for (var b = 0; b < batches.Count; b++)
            {
                var mb = batches.Get(b);
                mb.Size.Should().Be(Math.Min(Math.Min(batchSize, capacity), capacity - b * Math.Min(batchSize, capacity)));
                for (var k = 0; k < mb.Size; k++)
                {
                    var row = mb.Indices[k];
                    // The tensors hold exactly the stored transition of that row.
                    mb.Observations[k, 0].Should().Be(row);
                    mb.Observations[k, 1].Should().Be(-row);
                    mb.Actions[k, 0].Should().Be(row % 2);
                    mb.OldLogProbs[k].Should().Be(-row);
                    seen.Add(row);
                }
            }
            seen.Should().BeEquivalentTo(Enumerable.Range(0, capacity), "every transition is used exactly once per epoch");
            seen.Should().OnlyHaveUniqueItems();
            orders.Add([.. seen]);
        }
        if (capacity > 3) orders[0].Should().NotEqual(orders[1], "each epoch draws a new order");
    }

    [Fact]
    public void Minibatch_objects_are_reused_per_batch_size()
    {
        var buffer = HandTrajectory();
        buffer.Minibatches(2).Should().BeSameAs(buffer.Minibatches(2));
        buffer.Minibatches(4).Should().NotBeSameAs(buffer.Minibatches(2));
    }

    [Fact]
    public void Misuse_fails_with_clear_errors()
    {
        var buffer = new RolloutBuffer(1, 2, 1, 1);
        var gae = () => buffer.ComputeReturnsAndAdvantages([0f, 0f], 0.99, 0.95);
        gae.Should().Throw<InvalidOperationException>().WithMessage("*full buffer*");
        var wrongWidth = () => buffer.Add([0f], [0f, 0f], [0f, 0f], [false, false], [false, false], [0f, 0f], [0f, 0f]);
        wrongWidth.Should().Throw<ArgumentException>().WithMessage("*observations*");
        buffer.Add([0f, 0f], [0f, 0f], [0f, 0f], [false, false], [false, false], [0f, 0f], [0f, 0f]);
        var overflow = () => buffer.Add([0f, 0f], [0f, 0f], [0f, 0f], [false, false], [false, false], [0f, 0f], [0f, 0f]);
        overflow.Should().Throw<InvalidOperationException>().WithMessage("*full*Reset*");
        var sample = () => buffer.Minibatches(1).Get(0);
        sample.Should().Throw<InvalidOperationException>().WithMessage("*ComputeReturnsAndAdvantages*");
        var badGamma = () => buffer.ComputeReturnsAndAdvantages([0f, 0f], 1.5, 0.95);
        badGamma.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*gamma*[0, 1]*");
    }

    [Fact]
    public void Reset_clears_truncation_values_so_stale_bootstraps_never_leak()
    {
        var buffer = new RolloutBuffer(1, 1, 1, 1);
        buffer.Add([0f], [0f], [0f], [false], [true], [0f], [0f]);
        buffer.SetTruncationValue(0, 50f);
        buffer.Reset();
        buffer.StepCount.Should().Be(0);
        buffer.TruncationValues.Should().AllBeEquivalentTo(0f);
    }
}
