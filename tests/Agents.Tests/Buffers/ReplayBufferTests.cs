using RlExperiments.Agents.Buffers;
using RlExperiments.Core;
using RlExperiments.Environments;

namespace RlExperiments.Agents.Tests.Buffers;

public sealed class ReplayBufferTests
{
    /// <summary>
    /// Two environments, six vector steps (index = 2·step + env). Env 0: rewards 1..6, terminated at step 2,
    /// truncated at step 4. Env 1: rewards 10..60, never ends. Observations encode (step, env) as 10·step + env,
    /// next observations the same + 0.5.
    /// </summary>
    private static ReplayBuffer HandBuilt(int nStep, double gamma, int capacity = 100)
    {
        var buffer = new ReplayBuffer(capacity, observationSize: 1, actionSize: 1, numEnvs: 2, nStep, gamma);
        for (var s = 0; s < 6; s++)
        {
            float[] obs = [10 * s, 10 * s + 1];
            float[] next = [10 * s + 0.5f, 10 * s + 1.5f];
            float[] actions = [s, -s];
            float[] rewards = [s + 1, 10 * (s + 1)];
            bool[] terminated = [s == 2, false];
            bool[] truncated = [s == 4, false];
            buffer.Add(obs, actions, rewards, next, terminated, truncated);
        }
        return buffer;
    }

    private static ReplayBatch FillOne(ReplayBuffer buffer, int index)
    {
        var batch = buffer.CreateBatch(1);
        buffer.Fill(batch, [index]);
        return batch;
    }

    [Theory]
    // index, expected return (γ = 0.5, n = 3), discount, done, next observation
    [InlineData(0, 1 + 0.5 * 2 + 0.25 * 3, 0.125, 1, 20.5)]   // three steps ending in the termination at step 2
    [InlineData(2, 2 + 0.5 * 3, 0.25, 1, 20.5)]                // the termination cuts the window to two steps
    [InlineData(4, 3, 0.5, 1, 20.5)]                           // the terminating step itself
    [InlineData(6, 4 + 0.5 * 5, 0.25, 0, 40.5)]                // truncation at step 4: stop, but bootstrap (done 0) from the final obs
    [InlineData(8, 5, 0.5, 0, 40.5)]                           // the truncating step itself
    [InlineData(10, 6, 0.5, 0, 50.5)]                          // newest transition: nothing later was written yet
    [InlineData(1, 10 + 0.5 * 20 + 0.25 * 30, 0.125, 0, 21.5)] // env 1: a full three-step window
    [InlineData(7, 40 + 0.5 * 50 + 0.25 * 60, 0.125, 0, 51.5)]
    [InlineData(9, 50 + 0.5 * 60, 0.25, 0, 51.5)]              // stops at the write cursor after two steps
    public void NStepReturnsWalkTheSameEnvironmentAndStopAtEpisodeEndsAndTheCursor(int index, double ret, double discount, float done, float nextObs)
    {
        var batch = FillOne(HandBuilt(nStep: 3, gamma: 0.5), index);
        batch.Rewards[0].Should().BeApproximately((float)ret, 1e-5f);
        batch.Discounts[0].Should().BeApproximately((float)discount, 1e-7f);
        batch.Dones[0].Should().Be(done);
        batch.NextObs[0].Should().Be(nextObs);
        batch.Obs[0].Should().Be(10 * (index / 2) + index % 2, "the observation is that of the sampled index");
        batch.Indices[0].Should().Be(index);
        batch.Weights[0].Should().Be(1f);
    }

    [Fact]
    public void OneStepReturnsAreTheStoredTransition()
    {
        var buffer = HandBuilt(nStep: 1, gamma: 0.99);
        for (var i = 0; i < buffer.Count; i++)
        {
            var batch = FillOne(buffer, i);
            batch.Rewards[0].Should().Be(buffer.RewardAt(i));
            batch.Discounts[0].Should().BeApproximately(0.99f, 1e-7f);
            batch.Dones[0].Should().Be(buffer.TerminatedAt(i) ? 1f : 0f);
            batch.NextObs[0].Should().Be(buffer.NextObservationAt(i)[0]);
            batch.Actions[0].Should().Be(buffer.ActionAt(i)[0]);
        }
    }

    [Fact]
    public void NStepWindowFollowsTheEnvironmentAcrossTheWrapAround()
    {
        // Capacity 6 with 2 envs holds 3 vector steps; after all 6 steps rows 0-1 hold step 3, 2-3 step 4, 4-5 step 5.
        var buffer = HandBuilt(nStep: 3, gamma: 0.5, capacity: 6);
        buffer.Count.Should().Be(6);
        buffer.IsFull.Should().BeTrue();
        buffer.Position.Should().Be(0);
        // The oldest transition (step 3) sits at the cursor, row 0.
        buffer.ObservationAt(0)[0].Should().Be(30);
        buffer.ObservationAt(4)[0].Should().Be(50);
        // Env 1 from step 3 (row 1): steps 3, 4, 5 → 40 + 25 + 15.
        var b = FillOne(buffer, 1);
        b.Rewards[0].Should().BeApproximately(40 + 0.5f * 50 + 0.25f * 60, 1e-4f);
        b.Discounts[0].Should().Be(0.125f);
        // Env 1 from step 5 (row 5, the newest): one step only.
        FillOne(buffer, 5).Rewards[0].Should().Be(60);
    }

    [Fact]
    public void WindowCrossesThePhysicalEndOfTheArray()
    {
        var buffer = new ReplayBuffer(4, 1, 1, numEnvs: 1, nStep: 3, gamma: 0.5);
        for (var s = 0; s < 6; s++) buffer.Add([s], [0], [s + 1], [s + 0.5f], [false], [false]);
        // Rows: 0 = step 4, 1 = step 5, 2 = step 2, 3 = step 3; cursor at 2 (oldest).
        var b = FillOne(buffer, 3); // step 3 → 4 (row 0) → 5 (row 1)
        b.Rewards[0].Should().BeApproximately(4 + 0.5f * 5 + 0.25f * 6, 1e-5f);
        b.NextObs[0].Should().Be(5.5f);
        b.Discounts[0].Should().Be(0.125f);
    }

    [Fact]
    public void CapacityIsRoundedDownToAMultipleOfTheEnvironmentCount()
    {
        new ReplayBuffer(10, 3, 1, numEnvs: 4).Capacity.Should().Be(8);
        var act = () => new ReplayBuffer(3, 3, 1, numEnvs: 4);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("capacity");
    }

    [Fact]
    public void AddVectorStepStoresTheTrueFinalObservationWhenAnEpisodeEnds()
    {
        using var env = EnvRegistry.Default.MakeVec("CartPole-v1", 2);
        var buffer = new ReplayBuffer(1000, env.ObservationSize, 1, numEnvs: 2);
        env.Reset(3);
        var obs = new float[env.Observations.Length];
        var sawDone = false;
        for (var t = 0; t < 200 && !sawDone; t++)
        {
            env.Observations.CopyTo(obs, 0);
            env.Step([1, 1]); // always push right: episodes end within a few dozen steps
            buffer.AddVectorStep(obs, [1, 1], env);
            for (var i = 0; i < 2; i++)
            {
                var row = buffer.Position == 0 ? buffer.Capacity - 2 + i : buffer.Position - 2 + i;
                buffer.ObservationAt(row).ToArray().Should().Equal(obs.AsSpan(i * 4, 4).ToArray());
                var expectedNext = env.Dones[i] ? env.FinalObservations : env.Observations;
                buffer.NextObservationAt(row).ToArray().Should().Equal(expectedNext.AsSpan(i * 4, 4).ToArray());
                buffer.TerminatedAt(row).Should().Be(env.Terminated[i]);
                buffer.TruncatedAt(row).Should().Be(env.Truncated[i]);
                buffer.RewardAt(row).Should().Be(env.Rewards[i]);
                if (env.Dones[i])
                {
                    sawDone = true;
                    buffer.NextObservationAt(row).ToArray().Should().NotEqual(env.Observations.AsSpan(i * 4, 4).ToArray(),
                        "after an auto-reset the current observation is the new episode's first one");
                }
            }
        }
        sawDone.Should().BeTrue();
    }

    [Fact]
    public void UniformSamplingCoversEveryTransitionEvenly()
    {
        const int n = 100;
        var buffer = new ReplayBuffer(n, 1, 1);
        for (var i = 0; i < n; i++) buffer.Add([i], [0], [0], [0], [false], [false]);
        var batch = buffer.CreateBatch(100);
        var counts = new int[n];
        var rng = new Rng(7);
        for (var round = 0; round < 1000; round++)
        {
            buffer.Sample(batch, rng);
            for (var b = 0; b < batch.Size; b++)
            {
                counts[batch.Indices[b]]++;
                batch.Obs[b].Should().Be(batch.Indices[b]);
            }
        }
        // 100,000 draws: 1000 expected per index, standard deviation ≈ 31.5; 5σ bounds.
        counts.Should().OnlyContain(c => c > 840 && c < 1160);
        // Chi-square with 99 degrees of freedom: mean 99, 99.9th percentile ≈ 149.
        var chi2 = counts.Sum(c => (c - 1000.0) * (c - 1000.0) / 1000.0);
        chi2.Should().BeLessThan(149);
    }

    [Fact]
    public void SamplingOnlyDrawsWrittenTransitionsAndIsSeeded()
    {
        var buffer = new ReplayBuffer(1000, 1, 1);
        for (var i = 0; i < 10; i++) buffer.Add([i], [0], [0], [0], [false], [false]);
        var a = buffer.CreateBatch(64);
        var b = buffer.CreateBatch(64);
        buffer.Sample(a, new Rng(1));
        buffer.Sample(b, new Rng(1));
        a.Indices.Should().OnlyContain(i => i >= 0 && i < 10);
        a.Indices.Should().Equal(b.Indices);
        var empty = new ReplayBuffer(10, 1, 1);
        var act = () => empty.Sample(empty.CreateBatch(1), new Rng(1));
        act.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void SaveAndLoadRoundTripContentsAndCursor()
    {
        var dir = TempDir();
        try
        {
            var rng = new Rng(3);
            var source = new ReplayBuffer(10, 3, 2, numEnvs: 2, nStep: 2, gamma: 0.9);
            for (var s = 0; s < 7; s++) // wraps around: 14 rows into capacity 10
            {
                var obs = new float[6];
                var next = new float[6];
                var actions = new float[4];
                rng.FillUniform(obs);
                rng.FillUniform(next);
                rng.FillUniform(actions);
                source.Add(obs, actions, [(float)rng.NextDouble(), (float)rng.NextDouble()], next, [s == 3, false], [false, s == 5]);
            }
            source.Save(dir);

            var copy = new ReplayBuffer(10, 3, 2, numEnvs: 2, nStep: 2, gamma: 0.9);
            copy.Load(dir);
            copy.Count.Should().Be(source.Count);
            copy.Position.Should().Be(source.Position);
            copy.IsFull.Should().Be(source.IsFull);
            for (var i = 0; i < source.Count; i++)
            {
                copy.ObservationAt(i).ToArray().Should().Equal(source.ObservationAt(i).ToArray());
                copy.NextObservationAt(i).ToArray().Should().Equal(source.NextObservationAt(i).ToArray());
                copy.ActionAt(i).ToArray().Should().Equal(source.ActionAt(i).ToArray());
                copy.RewardAt(i).Should().Be(source.RewardAt(i));
                copy.TerminatedAt(i).Should().Be(source.TerminatedAt(i));
                copy.TruncatedAt(i).Should().Be(source.TruncatedAt(i));
            }
            var a = source.CreateBatch(32);
            var b = copy.CreateBatch(32);
            source.Sample(a, new Rng(9));
            copy.Sample(b, new Rng(9));
            b.Rewards.ToArray().Should().Equal(a.Rewards.ToArray());
            b.NextObs.ToArray().Should().Equal(a.NextObs.ToArray());

            // Adding after the load continues at the restored cursor.
            source.Add(new float[6], new float[4], [1, 1], new float[6], [false, false], [false, false]);
            copy.Add(new float[6], new float[4], [1, 1], new float[6], [false, false], [false, false]);
            copy.Position.Should().Be(source.Position);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void LoadRejectsMismatchedOrDamagedCheckpointsWithoutChangingTheBuffer()
    {
        var dir = TempDir();
        try
        {
            var source = new ReplayBuffer(10, 3, 1);
            source.Add([1, 2, 3], [0], [1], [4, 5, 6], [false], [false]);
            source.Save(dir);

            var wrongShape = new ReplayBuffer(10, 4, 1);
            wrongShape.Invoking(b => b.Load(dir)).Should().Throw<InvalidDataException>().WithMessage("*ObservationSize*3*4*");

            File.WriteAllBytes(Path.Combine(dir, "rewards.f32"), [1, 2, 3]);
            var target = new ReplayBuffer(10, 3, 1);
            target.Add([9, 9, 9], [0], [9], [9, 9, 9], [false], [false]);
            target.Invoking(b => b.Load(dir)).Should().Throw<InvalidDataException>().WithMessage("*rewards.f32*3 bytes*");
            target.ObservationAt(0).ToArray().Should().Equal(9, 9, 9);

            var missing = new ReplayBuffer(10, 3, 1);
            missing.Invoking(b => b.Load(Path.Combine(dir, "nope"))).Should().Throw<InvalidDataException>().WithMessage("*meta.json*");
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void AMillionTransitionsRoundTrip()
    {
        // Speed is measured by the benchmark (Agents.Benchmarks --quick replay_), not here.
        var dir = TempDir();
        try
        {
            const int n = 1_000_000;
            var buffer = new ReplayBuffer(n, 4, 1);
            var obs = new float[4];
            for (var i = 0; i < n; i++)
            {
                obs[0] = i;
                obs[3] = -i;
                buffer.Add(obs, [i % 2], [1], obs, [false], [false]);
            }
            buffer.Save(dir);
            var copy = new ReplayBuffer(n, 4, 1);
            copy.Load(dir);
            copy.IsFull.Should().BeTrue();
            foreach (var i in new[] { 0, 1, 499_999, n - 2, n - 1 })
            {
                copy.ObservationAt(i)[0].Should().Be(i);
                copy.ObservationAt(i)[3].Should().Be(-i);
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    internal static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "rlx-replay-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
