using RlExperiments.Agents.Buffers;
using RlExperiments.Core;
using RlExperiments.Environments;

namespace RlExperiments.Agents.Tests.Buffers;

/// <summary>
/// What the replay buffer stores and returns, checked against values the test keeps itself (never against the buffer's
/// own accessors), including truncations and samples behind the cursor of a full buffer.
/// </summary>
public sealed class ReplayBufferStorageTests
{
    /// <summary>The value of field <paramref name="field"/> (0 obs, 1 next obs, 2 action) element <paramref name="e"/> of vector step s, env i.</summary>
    internal static float V(int field, int s, int i, int e) => 1000 * field + 100 * s + 10 * i + e + 0.25f;

    /// <summary>
    /// Adds <paramref name="steps"/> vector steps of 2 environments with 3 observation and 2 action floats; reward of step s,
    /// env i is s + 0.5 i; env 0 terminates at <paramref name="terminateAt"/> and env 1 is truncated at <paramref name="truncateAt"/>.
    /// </summary>
    internal static ReplayBuffer Filled(int capacity, int steps, int nStep = 1, double gamma = 0.5, int terminateAt = -1, int truncateAt = -1)
    {
        var buffer = new ReplayBuffer(capacity, observationSize: 3, actionSize: 2, numEnvs: 2, nStep, gamma);
        for (var s = 0; s < steps; s++)
        {
            var obs = new float[6];
            var next = new float[6];
            var actions = new float[4];
            for (var i = 0; i < 2; i++)
            {
                for (var e = 0; e < 3; e++) { obs[i * 3 + e] = V(0, s, i, e); next[i * 3 + e] = V(1, s, i, e); }
                for (var e = 0; e < 2; e++) actions[i * 2 + e] = V(2, s, i, e);
            }
            buffer.Add(obs, actions, [s, s + 0.5f], next, [s == terminateAt, false], [false, s == truncateAt]);
        }
        return buffer;
    }

    [Fact]
    public void Every_stored_field_reads_back_as_written_and_fills_a_batch_row()
    {
        var buffer = Filled(capacity: 20, steps: 4, terminateAt: 1, truncateAt: 2);
        buffer.Count.Should().Be(8);
        buffer.Position.Should().Be(8);
        buffer.IsFull.Should().BeFalse();
        var batch = buffer.CreateBatch(8);
        buffer.Fill(batch, [0, 1, 2, 3, 4, 5, 6, 7]);
        for (var s = 0; s < 4; s++)
        for (var i = 0; i < 2; i++)
        {
            var index = 2 * s + i;
            float[] obs = [V(0, s, i, 0), V(0, s, i, 1), V(0, s, i, 2)];
            float[] next = [V(1, s, i, 0), V(1, s, i, 1), V(1, s, i, 2)];
            float[] action = [V(2, s, i, 0), V(2, s, i, 1)];
            buffer.ObservationAt(index).ToArray().Should().Equal(obs);
            buffer.NextObservationAt(index).ToArray().Should().Equal(next);
            buffer.ActionAt(index).ToArray().Should().Equal(action);
            buffer.RewardAt(index).Should().Be(s + 0.5f * i);
            buffer.TerminatedAt(index).Should().Be(i == 0 && s == 1);
            buffer.TruncatedAt(index).Should().Be(i == 1 && s == 2);

            batch.Obs.ToArray().AsSpan(index * 3, 3).ToArray().Should().Equal(obs);
            batch.NextObs.ToArray().AsSpan(index * 3, 3).ToArray().Should().Equal(next);
            batch.Actions.ToArray().AsSpan(index * 2, 2).ToArray().Should().Equal(action);
            batch.Rewards[index, 0].Should().Be(s + 0.5f * i);
            batch.Dones[index, 0].Should().Be(i == 0 && s == 1 ? 1f : 0f, "a truncation is not a terminal state");
            batch.Discounts[index, 0].Should().Be(0.5f);
            batch.Indices[index].Should().Be(index);
        }
        batch.Weights.ToArray().Should().OnlyContain(w => w == 1f);
    }

    [Fact]
    public void A_truncation_ends_the_n_step_window_but_still_bootstraps_from_its_final_observation()
    {
        // Env 1 is truncated at step 1; n = 3, γ = 0.5.
        var buffer = Filled(capacity: 20, steps: 4, nStep: 3, truncateAt: 1);
        var batch = buffer.CreateBatch(2);
        buffer.Fill(batch, [1, 3]); // env 1 from step 0 (two steps, cut by the truncation) and from step 1 (the truncating step)
        batch.Rewards[0, 0].Should().BeApproximately(0.5f + 0.5f * 1.5f, 1e-6f);
        batch.Discounts[0, 0].Should().Be(0.25f);
        batch.Dones[0, 0].Should().Be(0f);
        batch.NextObs.ToArray().AsSpan(0, 3).ToArray().Should().Equal(V(1, 1, 1, 0), V(1, 1, 1, 1), V(1, 1, 1, 2));
        batch.Rewards[1, 0].Should().Be(1.5f);
        batch.Discounts[1, 0].Should().Be(0.5f);
        batch.Dones[1, 0].Should().Be(0f);
        // Env 1 after the truncation (step 2): a fresh window of two steps up to the newest transition.
        buffer.Fill(batch, [5, 7]);
        batch.Rewards[0, 0].Should().BeApproximately(2.5f + 0.5f * 3.5f, 1e-6f);
        batch.Discounts[0, 0].Should().Be(0.25f);
        batch.Rewards[1, 0].Should().Be(3.5f);
    }

    [Fact]
    public void AddVectorStep_stores_a_truncation_with_the_final_observation()
    {
        using var env = EnvRegistry.Default.MakeVec("CartPole-v1", 2, kwargs: new Dictionary<string, object?> { ["max_episode_steps"] = 3 });
        var buffer = new ReplayBuffer(100, env.ObservationSize, 1, numEnvs: 2);
        env.Reset(5);
        var obs = new float[8];
        float[] actions = [0, 1];
        var lastObs = new float[8];
        for (var t = 1; t <= 3; t++)
        {
            env.Observations.CopyTo(obs, 0);
            env.Step([0, 1]);
            buffer.AddVectorStep(obs, actions, env);
        }
        env.Truncated.Should().Equal(true, true);
        env.FinalObservations.CopyTo(lastObs, 0);
        for (var i = 0; i < 2; i++)
        {
            var row = 4 + i;
            buffer.TruncatedAt(row).Should().BeTrue();
            buffer.TerminatedAt(row).Should().BeFalse();
            buffer.ObservationAt(row).ToArray().Should().Equal(obs.AsSpan(i * 4, 4).ToArray());
            buffer.NextObservationAt(row).ToArray().Should().Equal(lastObs.AsSpan(i * 4, 4).ToArray(), "the true final observation");
            buffer.NextObservationAt(row).ToArray().Should().NotEqual(env.Observations.AsSpan(i * 4, 4).ToArray());
            buffer.ActionAt(row)[0].Should().Be(i);
            buffer.RewardAt(row).Should().Be(1f);
            buffer.TruncatedAt(i).Should().BeFalse();
        }
        using var three = EnvRegistry.Default.MakeVec("CartPole-v1", 3);
        var mismatch = () => buffer.AddVectorStep(new float[8], actions, three);
        mismatch.Should().Throw<ArgumentException>().WithMessage("*3 environments*expects 2*");
    }

    [Fact]
    public void A_full_buffer_samples_behind_the_cursor_and_windows_stop_at_the_newest_transition()
    {
        // Capacity 8 = 4 vector steps; 6 steps written: rows 0-3 hold steps 4-5, rows 4-7 steps 2-3; the cursor is at 4.
        var buffer = Filled(capacity: 8, steps: 6, nStep: 3, gamma: 0.5);
        buffer.IsFull.Should().BeTrue();
        buffer.Count.Should().Be(8);
        buffer.Position.Should().Be(4);
        buffer.ObservationAt(0)[0].Should().Be(V(0, 4, 0, 0));
        buffer.ObservationAt(6)[0].Should().Be(V(0, 3, 0, 0));
        var batch = buffer.CreateBatch(4);
        // Row 2 (step 5, env 0) is just behind the cursor: the newest transition, one step only.
        // Row 0 (step 4, env 0): steps 4, 5, then the cursor. Row 5 (step 2, env 1): steps 2, 3, 4 across the wrap.
        // Row 4 (step 2, env 0), the oldest: steps 2, 3, 4.
        buffer.Fill(batch, [2, 0, 5, 4]);
        batch.Rewards[0, 0].Should().Be(5f);
        batch.Discounts[0, 0].Should().Be(0.5f);
        batch.NextObs[0, 0].Should().Be(V(1, 5, 0, 0));
        batch.Rewards[1, 0].Should().BeApproximately(4 + 0.5f * 5, 1e-6f);
        batch.Discounts[1, 0].Should().Be(0.25f);
        batch.NextObs[1, 0].Should().Be(V(1, 5, 0, 0));
        batch.Rewards[2, 0].Should().BeApproximately(2.5f + 0.5f * 3.5f + 0.25f * 4.5f, 1e-6f);
        batch.Discounts[2, 0].Should().Be(0.125f);
        batch.NextObs[2, 0].Should().Be(V(1, 4, 1, 0));
        batch.Rewards[3, 0].Should().BeApproximately(2 + 0.5f * 3 + 0.25f * 4, 1e-6f);

        // Uniform sampling of a full buffer reaches every row, those behind the cursor included.
        var seen = new bool[8];
        var big = buffer.CreateBatch(64);
        var rng = new Rng(11);
        for (var k = 0; k < 10; k++)
        {
            buffer.Sample(big, rng);
            foreach (var index in big.Indices) seen[index] = true;
            for (var b = 0; b < big.Size; b++)
            {
                var index = big.Indices[b];
                big.Obs[b, 0].Should().Be(V(0, index < 4 ? 4 + index / 2 : index / 2, index % 2, 0));
            }
        }
        seen.Should().OnlyContain(x => x);
    }

    [Fact]
    public void Add_and_Fill_refuse_wrong_lengths_and_indices_naming_them()
    {
        var buffer = new ReplayBuffer(10, 2, 1, numEnvs: 2);
        float[] o = new float[4], a = new float[2], r = new float[2];
        bool[] f = new bool[2];
        buffer.Invoking(b => b.Add(new float[3], a, r, o, f, f)).Should().Throw<ArgumentException>().WithParameterName("observations");
        buffer.Invoking(b => b.Add(o, a, r, new float[5], f, f)).Should().Throw<ArgumentException>().WithParameterName("nextObservations");
        buffer.Invoking(b => b.Add(o, new float[1], r, o, f, f)).Should().Throw<ArgumentException>().WithParameterName("actions");
        buffer.Invoking(b => b.Add(o, a, new float[3], o, f, f)).Should().Throw<ArgumentException>().WithParameterName("rewards");
        buffer.Invoking(b => b.Add(o, a, r, o, new bool[1], f)).Should().Throw<ArgumentException>().WithParameterName("terminated");
        buffer.Invoking(b => b.Add(o, a, r, o, f, new bool[3])).Should().Throw<ArgumentException>().WithParameterName("truncated")
            .WithMessage("truncated has 3 elements; one vector step of 2 was expected.*");
        buffer.Count.Should().Be(0, "a refused add stores nothing");
        buffer.Add(o, a, r, o, f, f);

        var batch = buffer.CreateBatch(2);
        buffer.Invoking(b => b.Fill(batch, [0])).Should().Throw<ArgumentException>().WithMessage("1 indices for a batch of 2 rows.*");
        buffer.Invoking(b => b.Fill(batch, [0, 2])).Should().Throw<ArgumentOutOfRangeException>().WithMessage("index must be in [0, 2).*");
        buffer.Invoking(b => b.Fill(batch, [-1, 0])).Should().Throw<ArgumentOutOfRangeException>();
        buffer.Invoking(b => b.ObservationAt(2)).Should().Throw<ArgumentOutOfRangeException>();
        buffer.Invoking(b => b.Fill(new ReplayBatch(2, 3, 1), [0, 1])).Should().Throw<ArgumentException>().WithMessage("*observations of 3 and actions of 1*stores 2 and 1*");
        buffer.Invoking(b => b.Sample(new ReplayBatch(2, 2, 2), new Rng(0))).Should().Throw<ArgumentException>();
        buffer.Invoking(b => b.Sample(batch, null!)).Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void The_constructor_refuses_each_invalid_setting_by_name()
    {
        void Refused(Func<ReplayBuffer> make, string name) =>
            make.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(name);
        Refused(() => new ReplayBuffer(10, 1, 1, numEnvs: 0), "numEnvs");
        Refused(() => new ReplayBuffer(0, 1, 1), "capacity");
        Refused(() => new ReplayBuffer(10, 0, 1), "observationSize");
        Refused(() => new ReplayBuffer(10, 1, 0), "actionSize");
        Refused(() => new ReplayBuffer(10, 1, 1, nStep: 0), "nStep");
        Refused(() => new ReplayBuffer(10, 1, 1, gamma: -0.1), "gamma");
        Refused(() => new ReplayBuffer(10, 1, 1, gamma: 1.1), "gamma");
        Refused(() => new ReplayBuffer(10, 1, 1, gamma: double.NaN), "gamma");
        Refused(() => new ReplayBuffer(int.MaxValue / 2, 4, 1), "capacity");
        var edges = new ReplayBuffer(1, 1, 1, numEnvs: 1, nStep: 1, gamma: 0);
        edges.Capacity.Should().Be(1);
        new ReplayBuffer(2, 1, 1, numEnvs: 2, gamma: 1).Gamma.Should().Be(1);
    }

    [Fact]
    public void A_one_env_buffer_fills_wraps_and_counts_as_written()
    {
        var buffer = new ReplayBuffer(3, 1, 1);
        for (var s = 0; s < 3; s++)
        {
            buffer.Count.Should().Be(s);
            buffer.IsFull.Should().BeFalse();
            buffer.Add([s], [s], [s], [s], [false], [false]);
        }
        buffer.IsFull.Should().BeTrue();
        buffer.Count.Should().Be(3);
        buffer.Position.Should().Be(0);
        buffer.Add([7], [7], [7], [7], [false], [false]);
        buffer.Count.Should().Be(3);
        buffer.Position.Should().Be(1);
        buffer.ObservationAt(0)[0].Should().Be(7);
        buffer.ObservationAt(1)[0].Should().Be(1);
    }

    [Fact]
    public void Load_refuses_inconsistent_or_foreign_metadata_naming_the_file()
    {
        var dir = ReplayBufferTests.TempDir();
        try
        {
            var source = Filled(capacity: 8, steps: 6);
            source.Save(dir);
            var meta = Path.Combine(dir, "meta.json");
            var text = File.ReadAllText(meta);

            void Refused(string json, string message)
            {
                File.WriteAllText(meta, json);
                var target = new ReplayBuffer(8, 3, 2, numEnvs: 2);
                target.Invoking(b => b.Load(dir)).Should().Throw<InvalidDataException>().WithMessage(message);
                target.Count.Should().Be(0, "a refused load changes nothing");
            }

            Refused(text.Replace("\"Position\": 4", "\"Position\": 3"), "*meta.json' is inconsistent: count 8, position 3, full True*");
            Refused(text.Replace("\"Position\": 4", "\"Position\": 8"), "*inconsistent*");
            Refused(text.Replace("\"Position\": 4", "\"Position\": -2"), "*inconsistent*");
            Refused(text.Replace("\"Count\": 8", "\"Count\": 6"), "*inconsistent*");
            Refused(text.Replace("\"Full\": true", "\"Full\": false"), "*inconsistent*");
            Refused(text.Replace("\"Format\": \"rlexperiments.replay/1\"", "\"Format\": \"other/9\""), "*format 'other/9', expected 'rlexperiments.replay/1'*");
            Refused(text.Replace("\"Type\": \"ReplayBuffer\"", "\"Type\": \"PrioritizedReplayBuffer\""), "*holds a PrioritizedReplayBuffer; this buffer is a ReplayBuffer*");
            Refused(text.Replace("\"NumEnvs\": 2", "\"NumEnvs\": 4"), "*NumEnvs = 4; this buffer has NumEnvs = 2*");
            Refused(text.Replace("\"ActionSize\": 2", "\"ActionSize\": 1"), "*ActionSize = 1*");
            Refused(text.Replace("\"Capacity\": 8", "\"Capacity\": 10"), "*Capacity = 10*");
            Refused("{ not json", "*meta.json' is not valid replay-buffer metadata*");
            Refused("null", "*meta.json' is empty*");

            // A partly written buffer: count 4 of 8, cursor at 4.
            var partial = Filled(capacity: 8, steps: 2);
            partial.Save(dir);
            text = File.ReadAllText(meta);
            Refused(text.Replace("\"Position\": 4", "\"Position\": 2"), "*count 4, position 2, full False*");
            Refused(text.Replace("\"Count\": 4", "\"Count\": 3").Replace("\"Position\": 4", "\"Position\": 3"), "*inconsistent*");
            Refused(text.Replace("\"Count\": 4", "\"Count\": 8").Replace("\"Position\": 4", "\"Position\": 8"), "*inconsistent*");
            File.WriteAllText(meta, text);
            File.Delete(Path.Combine(dir, "truncated.u8"));
            var target = new ReplayBuffer(8, 3, 2, numEnvs: 2);
            target.Invoking(b => b.Load(dir)).Should().Throw<InvalidDataException>().WithMessage("*truncated.u8' is missing*");
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Save_writes_raw_little_endian_arrays_of_the_stored_rows_only()
    {
        var dir = ReplayBufferTests.TempDir();
        try
        {
            var buffer = Filled(capacity: 20, steps: 2, terminateAt: 1, truncateAt: 0);
            buffer.Save(dir);
            float[] Floats(string name) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(dir, name))).ToArray();
            Floats("rewards.f32").Should().Equal(0f, 0.5f, 1f, 1.5f);
            Floats("actions.f32").Should().Equal(V(2, 0, 0, 0), V(2, 0, 0, 1), V(2, 0, 1, 0), V(2, 0, 1, 1), V(2, 1, 0, 0), V(2, 1, 0, 1), V(2, 1, 1, 0), V(2, 1, 1, 1));
            Floats("observations.f32").Should().HaveCount(12).And.StartWith(V(0, 0, 0, 0));
            Floats("next_observations.f32").Should().HaveCount(12).And.EndWith(V(1, 1, 1, 2));
            File.ReadAllBytes(Path.Combine(dir, "terminated.u8")).Should().Equal(0, 0, 1, 0);
            File.ReadAllBytes(Path.Combine(dir, "truncated.u8")).Should().Equal(0, 1, 0, 0);
            Directory.GetFiles(dir).Select(Path.GetFileName).Should().BeEquivalentTo(
                "meta.json", "observations.f32", "next_observations.f32", "actions.f32", "rewards.f32", "terminated.u8", "truncated.u8");
        }
        finally { Directory.Delete(dir, true); }
    }
}
