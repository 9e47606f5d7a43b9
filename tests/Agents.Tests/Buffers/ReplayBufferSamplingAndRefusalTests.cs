using RlExperiments.Agents.Buffers;
using RlExperiments.Core;
using RlExperiments.Environments;
using static RlExperiments.Agents.Tests.Buffers.ReplayBufferStorageTests;

namespace RlExperiments.Agents.Tests.Buffers;

/// <summary>
/// What <see cref="ReplayBuffer.Sample"/> returns row by row on both of its paths (the one-step gather and the n-step
/// walk), checked against the values the test wrote; the weights a uniform batch carries; and each refusal's message.
/// </summary>
public sealed class ReplayBufferSamplingAndRefusalTests
{
    private static float Reward(int s, int i) => s + 0.5f * i; // the rewards Filled writes

    [Fact]
    public void One_step_samples_gather_every_field_of_the_drawn_row()
    {
        var buffer = Filled(capacity: 20, steps: 4, gamma: 0.5, terminateAt: 2); // 3 observation and 2 action floats
        var batch = buffer.CreateBatch(64);
        buffer.Sample(batch, new Rng(11));
        var obs = batch.Obs.ToArray();
        var next = batch.NextObs.ToArray();
        var actions = batch.Actions.ToArray();
        batch.Indices.Distinct().Should().HaveCountGreaterThan(4, "64 draws from 8 rows");
        for (var row = 0; row < 64; row++)
        {
            var index = batch.Indices[row];
            var (s, i) = (index / 2, index % 2);
            obs.AsSpan(row * 3, 3).ToArray().Should().Equal(V(0, s, i, 0), V(0, s, i, 1), V(0, s, i, 2));
            next.AsSpan(row * 3, 3).ToArray().Should().Equal(V(1, s, i, 0), V(1, s, i, 1), V(1, s, i, 2));
            actions.AsSpan(row * 2, 2).ToArray().Should().Equal(V(2, s, i, 0), V(2, s, i, 1));
            batch.Rewards[row, 0].Should().Be(Reward(s, i));
            batch.Dones[row, 0].Should().Be(s == 2 && i == 0 ? 1f : 0f);
            batch.Discounts[row, 0].Should().Be(0.5f);
        }
    }

    [Fact]
    public void N_step_samples_walk_the_environment_s_later_transitions()
    {
        var buffer = Filled(capacity: 20, steps: 4, nStep: 2, gamma: 0.5);
        var batch = buffer.CreateBatch(64);
        buffer.Sample(batch, new Rng(12));
        var next = batch.NextObs.ToArray();
        for (var row = 0; row < 64; row++)
        {
            var index = batch.Indices[row];
            var (s, i) = (index / 2, index % 2);
            var last = Math.Min(s + 1, 3); // two steps, or stop at the newest transition
            var expected = Reward(s, i) + (last > s ? 0.5f * Reward(last, i) : 0f);
            batch.Rewards[row, 0].Should().BeApproximately(expected, 1e-5f, $"row {row}, index {index}");
            batch.Discounts[row, 0].Should().Be(last > s ? 0.25f : 0.5f);
            next.AsSpan(row * 3, 3).ToArray().Should().Equal(V(1, last, i, 0), V(1, last, i, 1), V(1, last, i, 2));
        }
        batch.Indices.Should().Contain(i => i < 6, "some rows have a later transition to walk to");
    }

    [Fact]
    public void A_uniform_sample_or_fill_resets_weights_left_by_a_prioritised_sample()
    {
        var prioritized = new PrioritizedReplayBuffer(10, 1, 1, alpha: 1, beta0: 0.5);
        for (var k = 0; k < 4; k++) prioritized.Add([k], [0], [0], [0], [false], [false]);
        prioritized.UpdatePriorities([0, 1, 2, 3], [1f, 2f, 3f, 4f]);
        var uniform = new ReplayBuffer(10, 1, 1);
        uniform.Add([7], [0], [0], [0], [false], [false]);
        var batch = new ReplayBatch(8, 1, 1);
        batch.Weights.ToArray().Should().OnlyContain(w => w == 1f, "a new batch weighs every row 1");

        prioritized.Sample(batch, new Rng(1));
        batch.Weights.ToArray().Should().Contain(w => w < 1f);
        uniform.Sample(batch, new Rng(1));
        batch.Weights.ToArray().Should().OnlyContain(w => w == 1f);

        prioritized.Sample(batch, new Rng(2));
        batch.Weights.ToArray().Should().Contain(w => w < 1f);
        uniform.Fill(batch, [0, 0, 0, 0, 0, 0, 0, 0]);
        batch.Weights.ToArray().Should().OnlyContain(w => w == 1f);
    }

    [Fact]
    public void AddVectorStep_checks_its_arguments_by_name_and_stores_actions_wider_than_one_float()
    {
        using var env = EnvRegistry.Default.MakeVec("CartPole-v1", 2);
        var buffer = new ReplayBuffer(20, env.ObservationSize, actionSize: 2, numEnvs: 2);
        env.Reset(3);
        var obs = new float[8];
        buffer.Invoking(b => b.AddVectorStep(obs, new float[4], null!)).Should().Throw<ArgumentNullException>().WithParameterName("env");
        buffer.Invoking(b => b.AddVectorStep(new float[7], new float[4], env)).Should().Throw<ArgumentException>().WithParameterName("observations");
        buffer.Invoking(b => b.AddVectorStep(obs, new float[3], env)).Should().Throw<ArgumentException>().WithParameterName("actions")
            .WithMessage("actions has 3 elements; one vector step of 4 was expected.*");
        buffer.Count.Should().Be(0, "a refused step stores nothing");

        for (var t = 0; t < 2; t++)
        {
            env.Observations.CopyTo(obs, 0);
            env.Step([1, 0]);
            float[] oneHot = [0, 1, 1, 0]; // env 0 pushed right, env 1 left, as one-hot rows of two floats
            oneHot[0] += 10 * t;
            buffer.AddVectorStep(obs, oneHot, env);
        }
        buffer.ActionAt(0).ToArray().Should().Equal(0f, 1f);
        buffer.ActionAt(1).ToArray().Should().Equal(1f, 0f);
        buffer.ActionAt(2).ToArray().Should().Equal(10f, 1f);
        buffer.ActionAt(3).ToArray().Should().Equal(1f, 0f);
    }

    [Fact]
    public void Constructor_refusals_say_what_is_allowed()
    {
        void Refused(Func<ReplayBuffer> make, string name, string message) =>
            make.Should().Throw<ArgumentOutOfRangeException>().WithMessage(message + "*").Which.ParamName.Should().Be(name);
        Refused(() => new ReplayBuffer(10, 1, 1, numEnvs: 0), "numEnvs", "numEnvs must be ≥ 1.");
        Refused(() => new ReplayBuffer(1, 1, 1, numEnvs: 2), "capacity", "capacity must be ≥ numEnvs (2).");
        Refused(() => new ReplayBuffer(10, 0, 1), "observationSize", "observationSize must be ≥ 1.");
        Refused(() => new ReplayBuffer(10, 1, 0), "actionSize", "actionSize must be ≥ 1.");
        Refused(() => new ReplayBuffer(10, 1, 1, nStep: 0), "nStep", "nStep must be ≥ 1.");
        Refused(() => new ReplayBuffer(10, 1, 1, gamma: 1.5), "gamma", "gamma must lie in [0, 1].");
        // 2 × 2^30 action floats exceed .NET's largest array although the observations (2 floats) fit.
        Refused(() => new ReplayBuffer(2, 1, 1 << 30), "capacity", "capacity × 1073741824 floats exceeds the largest array .NET supports.");
    }

    [Fact]
    public void Sample_save_and_load_refuse_missing_arguments_by_name()
    {
        var buffer = new ReplayBuffer(4, 1, 1);
        var batch = buffer.CreateBatch(2);
        buffer.Invoking(b => b.Sample(batch, new Rng(0))).Should().Throw<InvalidOperationException>()
            .WithMessage("Cannot sample from an empty replay buffer.");
        buffer.Invoking(b => b.Sample(null!, new Rng(0))).Should().Throw<ArgumentNullException>().WithParameterName("batch");
        buffer.Invoking(b => b.Save("")).Should().Throw<ArgumentException>().WithParameterName("directory");
        buffer.Invoking(b => b.Save(null!)).Should().Throw<ArgumentNullException>().WithParameterName("directory");
        buffer.Invoking(b => b.Load("")).Should().Throw<ArgumentException>().WithParameterName("directory");
    }

    [Fact]
    public void Save_creates_missing_directories_and_an_empty_buffer_round_trips()
    {
        var root = ReplayBufferTests.TempDir();
        try
        {
            var dir = Path.Combine(root, "checkpoints", "500", "buffer");
            var empty = new ReplayBuffer(4, 1, 1);
            empty.Save(dir);
            File.Exists(Path.Combine(dir, "meta.json")).Should().BeTrue();
            var target = new ReplayBuffer(4, 1, 1);
            target.Add([1], [1], [1], [1], [false], [false]);
            target.Load(dir);
            target.Count.Should().Be(0, "the saved buffer was empty");
            target.Position.Should().Be(0);
            target.IsFull.Should().BeFalse();
        }
        finally { Directory.Delete(root, true); }
    }
}
