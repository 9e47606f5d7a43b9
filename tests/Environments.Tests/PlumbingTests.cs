using RlExperiments.Core;
using RlExperiments.Environments.ClassicControl;
using RlExperiments.Environments.Spaces;
using RlExperiments.Environments.Vector;
using RlExperiments.Environments.Wrappers;

namespace RlExperiments.Environments.Tests;

/// <summary>
/// The paths between an environment's dynamics and what an agent sees: raw environments never truncate (the registry's
/// TimeLimit does), vector envs reset mid-episode and route continuous actions and observations per row, and the
/// dynamics' clipping edges hold in both directions.
/// </summary>
public class PlumbingTests
{
    public static TheoryData<VectorMode> Modes => new() { VectorMode.Sequential, VectorMode.Parallel };

    [Fact]
    public void Raw_environments_never_report_truncation_only_the_time_limit_does()
    {
        var obs = new float[6];
        Env[] discrete = [new CartPole(), new Acrobot(), new MountainCar()];
        foreach (var env in discrete)
        {
            env.Reset(obs.AsSpan(0, env.ObservationSpace.FlatSize), seed: 1);
            for (var t = 0; t < 300; t++)
            {
                var r = env.Step(t % 2, obs.AsSpan(0, env.ObservationSpace.FlatSize));
                r.Truncated.Should().BeFalse(env.GetType().Name);
                if (r.Terminated) break;
            }
        }
        Env[] continuous = [new Pendulum(), new MountainCarContinuous()];
        foreach (var env in continuous)
        {
            env.Reset(obs.AsSpan(0, env.ObservationSpace.FlatSize), seed: 1);
            for (var t = 0; t < 300; t++)
            {
                var r = env.Step([t % 3 - 1f], obs.AsSpan(0, env.ObservationSpace.FlatSize));
                r.Truncated.Should().BeFalse(env.GetType().Name);
                if (r.Terminated) break;
            }
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_mid_episode_Reset_restarts_every_environment_and_its_episode_statistics(VectorMode mode)
    {
        using var vec = new EnvRegistry().MakeVec("CartPole-v1", 2, mode);
        vec.Reset(seed: 3);
        var first = vec.Observations.ToArray();
        for (var t = 0; t < 4; t++) vec.Step([0, 1]);
        vec.Observations.Should().NotEqual(first);
        vec.Reset(seed: 3);
        vec.Observations.Should().Equal(first, "Reset(seed) restarts each environment from seed + i");
        vec.Rewards.Should().OnlyContain(r => r == 0);
        vec.Dones.Should().OnlyContain(d => !d);
        vec.Terminated.Should().OnlyContain(d => !d);
        vec.Truncated.Should().OnlyContain(d => !d);
        // The episode that ends next counts only the steps since the Reset.
        var steps = 0;
        while (!vec.Dones[0])
        {
            vec.Step([1, 1]);
            steps++;
        }
        vec.EpisodeLengths[0].Should().Be(steps);
        vec.EpisodeReturns[0].Should().Be(steps);

        // Reset without a seed continues each environment's own generator instead of repeating the seeded start.
        vec.Reset();
        vec.Observations.Should().NotEqual(first);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Continuous_actions_reach_each_row_and_each_row_observes_its_own_environment(VectorMode mode)
    {
        var kwargs = new Dictionary<string, object?> { ["max_episode_steps"] = 4 };
        using var vec = new EnvRegistry().MakeVec("Pendulum-v1", 3, mode, kwargs);
        var twins = Enumerable.Range(0, 3).Select(_ => new EnvRegistry().Make("Pendulum-v1", kwargs)).ToArray();
        var twinObs = Enumerable.Range(0, 3).Select(_ => new float[3]).ToArray();
        vec.Reset(seed: 9);
        for (var i = 0; i < 3; i++) twins[i].Reset(twinObs[i], seed: 9 + i);
        float[] actions = [1.5f, -0.5f, 0.25f];
        for (var t = 1; t <= 5; t++)
        {
            vec.Step(actions);
            for (var i = 0; i < 3; i++)
            {
                var r = twins[i].Step([actions[i]], twinObs[i]);
                vec.Rewards[i].Should().Be((float)r.Reward);
                vec.Truncated[i].Should().Be(r.Truncated);
                vec.Dones[i].Should().Be(t == 4);
                if (r.Truncated)
                {
                    vec.FinalObservations.AsSpan(i * 3, 3).ToArray().Should().Equal(twinObs[i]);
                    twins[i].Reset(twinObs[i]);
                }
                vec.Observations.AsSpan(i * 3, 3).ToArray().Should().Equal(twinObs[i], $"row {i} at step {t}");
            }
        }
        var wrongCount = () => vec.Step(new float[2]);
        wrongCount.Should().Throw<ArgumentException>().WithMessage("Expected 3 x 1 = 3 floats; got 2.*");
        var discrete = () => vec.Step(new[] { 0, 1, 0 });
        discrete.Should().Throw<InvalidOperationException>().WithMessage("*Box*Step(ReadOnlySpan<float>) with N * 1 floats*");
    }

    [Fact]
    public void The_vector_env_describes_its_slots_and_rejects_what_cannot_be_stacked()
    {
        using var vec = new EnvRegistry().MakeVec("MountainCarContinuous-v0", 2);
        vec.NumEnvs.Should().Be(2);
        vec.SingleObservationSpace.Should().Be(new MountainCarContinuous().ObservationSpace);
        vec.SingleActionSpace.Should().Be(new Box(-1f, 1f, 1));
        vec.Envs.Should().HaveCount(2);
        (vec.Observations.Length, vec.FinalObservations.Length, vec.Rewards.Length, vec.EpisodeReturns.Length, vec.EpisodeLengths.Length)
            .Should().Be((4, 4, 2, 2, 2));
        var none = () => new SequentialVectorEnv([]);
        none.Should().Throw<ArgumentException>().WithMessage("*at least one*");
        var nullSlot = () => new SequentialVectorEnv([new CartPole(), null!]);
        nullSlot.Should().Throw<ArgumentException>().WithMessage("envs[1] is null.*");
        var overflow = () => vec.Reset(seed: int.MaxValue);
        overflow.Should().Throw<ArgumentOutOfRangeException>().WithMessage($"*[0, {int.MaxValue - 1}]*");
        vec.Reset(seed: int.MaxValue - 1);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_checkpoint_restores_observations_and_running_episodes(VectorMode mode)
    {
        using var vec = new EnvRegistry().MakeVec("CartPole-v1", 2, mode);
        using var copy = new EnvRegistry().MakeVec("CartPole-v1", 2, mode);
        vec.Reset(seed: 1);
        for (var t = 0; t < 3; t++) vec.Step([0, 1]);
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) vec.WriteCheckpointState(w);
        var bytes = stream.ToArray();
        copy.ReadCheckpointState(new BinaryReader(new MemoryStream(bytes)));
        copy.Observations.Should().Equal(vec.Observations);
        while (!vec.Dones[0])
        {
            vec.Step([1, 1]);
            copy.Step([1, 1]);
            copy.Observations.Should().Equal(vec.Observations);
        }
        copy.Dones.Should().Equal(vec.Dones);
        copy.EpisodeLengths[0].Should().Be(vec.EpisodeLengths[0]).And.BeGreaterThan(3, "the three steps before the checkpoint count");
        copy.EpisodeReturns[0].Should().Be(vec.EpisodeReturns[0]);

        using var other = new EnvRegistry().MakeVec("CartPole-v1", 3, mode);
        var act = () => other.ReadCheckpointState(new BinaryReader(new MemoryStream(bytes)));
        act.Should().Throw<InvalidDataException>().WithMessage("The checkpoint holds 2 environments with 4 observation values; this vector env has 3 with 4.");
    }

    [Fact]
    public void NormalizeObservation_normalises_continuous_steps_with_the_running_statistics()
    {
        using var env = new NormalizeObservation(new Pendulum());
        using var raw = new Pendulum();
        var obs = new float[3];
        var rawObs = new float[3];
        var rms = new RunningMeanStd(3);
        env.Reset(obs, seed: 4);
        raw.Reset(rawObs, seed: 4);
        rms.Update(rawObs);
        for (var t = 0; t < 10; t++)
        {
            env.Step([1.5f], obs);
            raw.Step([1.5f], rawObs);
            rms.Update(rawObs);
            for (var i = 0; i < 3; i++)
                obs[i].Should().BeApproximately((float)((rawObs[i] - rms.Mean[i]) / Math.Sqrt(rms.Var[i] + 1e-8)), 1e-5f, $"step {t}, element {i}");
        }
        env.ObsRms.Count.Should().BeApproximately(11 + 1e-4, 1e-9);
        env.ObservationSpace.Should().Be(new Box(float.NegativeInfinity, float.PositiveInfinity, 3));
        env.Epsilon.Should().Be(1e-8);

        env.UpdateRunningMean = false;
        raw.Step([1.5f], rawObs);
        env.Step([1.5f], obs);
        env.ObsRms.Count.Should().BeApproximately(11 + 1e-4, 1e-9, "frozen statistics");
        obs[2].Should().BeApproximately((float)((rawObs[2] - rms.Mean[2]) / Math.Sqrt(rms.Var[2] + 1e-8)), 1e-5f);

        var negative = () => new NormalizeObservation(new Acrobot(), epsilon: -1);
        negative.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*epsilon*");
    }

    [Fact]
    public void NormalizeObservation_checkpoint_carries_the_statistics()
    {
        using var env = new NormalizeObservation(new MountainCarContinuous());
        var obs = new float[2];
        env.Reset(obs, seed: 2);
        for (var t = 0; t < 5; t++) env.Step([1f], obs);
        using var stream = new MemoryStream();
        env.WriteCheckpointState(new BinaryWriter(stream));
        using var copy = new NormalizeObservation(new MountainCarContinuous());
        stream.Position = 0;
        copy.ReadCheckpointState(new BinaryReader(stream));
        copy.ObsRms.Count.Should().Be(env.ObsRms.Count);
        copy.ObsRms.Mean.ToArray().Should().Equal(env.ObsRms.Mean.ToArray());
        copy.ObsRms.Var.ToArray().Should().Equal(env.ObsRms.Var.ToArray());
        var a = new float[2];
        var b = new float[2];
        env.Step([0.5f], a);
        copy.Step([0.5f], b);
        b.Should().Equal(a);
    }
}
