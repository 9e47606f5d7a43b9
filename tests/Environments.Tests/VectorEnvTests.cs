using RlExperiments.Environments.ClassicControl;
using RlExperiments.Environments.Vector;
using RlExperiments.Environments.Wrappers;

namespace RlExperiments.Environments.Tests;

public class VectorEnvTests
{
    private static VectorEnv MakeVec(VectorMode mode, int n, IReadOnlyDictionary<string, object?>? kwargs = null, string id = "CartPole-v1") =>
        new EnvRegistry().MakeVec(id, n, mode, kwargs);

    public static TheoryData<VectorMode> Modes => new() { VectorMode.Sequential, VectorMode.Parallel };

    [Theory]
    [MemberData(nameof(Modes))]
    public void ResetSeedsEnvironmentIWithSeedPlusI(VectorMode mode)
    {
        using var vec = MakeVec(mode, 3);
        vec.Reset(seed: 100);
        var single = new EnvRegistry().Make("CartPole-v1");
        var obs = new float[4];
        for (var i = 0; i < 3; i++)
        {
            single.Reset(obs, seed: 100 + i);
            vec.Observations.AsSpan(i * 4, 4).ToArray().Should().Equal(obs);
        }
        vec.Dones.Should().OnlyContain(d => !d);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void TruncationAutoResetsInTheSameStepAndKeepsTheFinalObservation(VectorMode mode)
    {
        var kwargs = new Dictionary<string, object?> { ["max_episode_steps"] = 5 };
        using var vec = MakeVec(mode, 2, kwargs);
        var twins = Enumerable.Range(0, 2).Select(_ => new EnvRegistry().Make("CartPole-v1", kwargs)).ToArray();
        var twinObs = new float[2][] { new float[4], new float[4] };
        vec.Reset(seed: 7);
        for (var i = 0; i < 2; i++)
            twins[i].Reset(twinObs[i], seed: 7 + i);

        int[] actions = [0, 1];
        for (var t = 1; t <= 5; t++)
        {
            vec.Step(actions);
            for (var i = 0; i < 2; i++)
            {
                var r = twins[i].Step(actions[i], twinObs[i]);
                r.Terminated.Should().BeFalse("5 steps of constant pushing cannot topple the pole from near-upright");
                vec.Truncated[i].Should().Be(t == 5);
                vec.Terminated[i].Should().BeFalse();
                vec.Dones[i].Should().Be(t == 5);
                vec.Rewards[i].Should().Be(1f);
                if (t < 5)
                    vec.Observations.AsSpan(i * 4, 4).ToArray().Should().Equal(twinObs[i]);
            }
        }

        for (var i = 0; i < 2; i++)
        {
            vec.FinalObservations.AsSpan(i * 4, 4).ToArray().Should().Equal(twinObs[i], "the true last observation, for bootstrapping");
            vec.EpisodeReturns[i].Should().Be(5.0);
            vec.EpisodeLengths[i].Should().Be(5);
            twins[i].Reset(twinObs[i]); // the auto-reset continues the environment's own generator
            vec.Observations.AsSpan(i * 4, 4).ToArray().Should().Equal(twinObs[i], "the row already holds the new episode's first observation");
        }

        vec.Step(actions);
        vec.Dones.Should().OnlyContain(d => !d);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void TerminationIsReportedSeparatelyFromTruncation(VectorMode mode)
    {
        using var vec = MakeVec(mode, 3);
        var twins = Enumerable.Range(0, 3).Select(_ => new EnvRegistry().Make("CartPole-v1")).ToArray();
        var twinObs = Enumerable.Range(0, 3).Select(_ => new float[4]).ToArray();
        vec.Reset(seed: 21);
        for (var i = 0; i < 3; i++)
            twins[i].Reset(twinObs[i], seed: 21 + i);
        var lengths = new int[3];
        var ended = new bool[3];

        int[] actions = [1, 1, 1]; // always pushing right topples the pole within a few dozen steps
        for (var t = 1; t <= 100 && !ended.All(e => e); t++)
        {
            vec.Step(actions);
            for (var i = 0; i < 3; i++)
            {
                if (ended[i])
                    continue;
                var r = twins[i].Step(1, twinObs[i]);
                lengths[i]++;
                vec.Terminated[i].Should().Be(r.Terminated);
                vec.Truncated[i].Should().BeFalse();
                if (r.Terminated)
                {
                    ended[i] = true;
                    vec.Dones[i].Should().BeTrue();
                    vec.FinalObservations.AsSpan(i * 4, 4).ToArray().Should().Equal(twinObs[i]);
                    vec.EpisodeLengths[i].Should().Be(lengths[i]);
                    vec.EpisodeReturns[i].Should().Be(lengths[i]);
                    twins[i].Reset(twinObs[i]);
                    vec.Observations.AsSpan(i * 4, 4).ToArray().Should().Equal(twinObs[i]);
                }
            }
        }
        ended.Should().OnlyContain(e => e);
    }

    [Fact]
    public void SequentialAndParallelProduceIdenticalResults()
    {
        using var seq = MakeVec(VectorMode.Sequential, 5, id: "Acrobot-v1");
        using var par = new ParallelVectorEnv(Enumerable.Range(0, 5).Select(_ => new EnvRegistry().Make("Acrobot-v1")).ToArray(), threads: 3);
        par.Threads.Should().Be(3);
        seq.Reset(seed: 3);
        par.Reset(seed: 3);
        var actions = new int[5];
        for (var t = 0; t < 300; t++)
        {
            for (var i = 0; i < 5; i++)
                actions[i] = (t * 7 + i * 3) % 3;
            seq.Step(actions);
            par.Step(actions);
            par.Observations.Should().Equal(seq.Observations);
            par.Rewards.Should().Equal(seq.Rewards);
            par.Dones.Should().Equal(seq.Dones);
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void ContinuousActionsAreRowsOfTheActionBuffer(VectorMode mode)
    {
        using var vec = MakeVec(mode, 2, id: "Pendulum-v1");
        vec.ActionSize.Should().Be(1);
        vec.ObservationSize.Should().Be(3);
        vec.Reset(seed: 1);
        var pendulums = vec.Envs.Select(e => (Pendulum)e.Unwrapped).ToArray();
        pendulums[0].State = [0.0, 0.0];
        pendulums[1].State = [0.0, 0.0];
        vec.Step(new[] { 2f, -2f });
        pendulums[0].State[1].Should().BeApproximately(3.0 * 2 * 0.05, 1e-12);
        pendulums[1].State[1].Should().BeApproximately(3.0 * -2 * 0.05, 1e-12);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void MisuseFailsClearly(VectorMode mode)
    {
        using var vec = MakeVec(mode, 2);
        var early = () => vec.Step(new[] { 0, 1 });
        early.Should().Throw<InvalidOperationException>().WithMessage("*Reset*");
        vec.Reset(seed: 0);
        var count = () => vec.Step(new[] { 0 });
        count.Should().Throw<ArgumentException>().WithMessage("*2 actions*got 1*");
        var kind = () => vec.Step(new[] { 0f, 1f });
        kind.Should().Throw<InvalidOperationException>().WithMessage("*Discrete(2)*");
        var invalid = () => vec.Step(new[] { 0, 5 });
        invalid.Should().Throw<ArgumentOutOfRangeException>("errors inside environments (and worker threads) reach the caller");
        var seed = () => vec.Reset(seed: -1);
        seed.Should().Throw<ArgumentOutOfRangeException>();

        var env = new EnvRegistry().Make("CartPole-v1");
        var shared = () => new SequentialVectorEnv([env, env]);
        shared.Should().Throw<ArgumentException>().WithMessage("*same instance*");
        var mixed = () => new SequentialVectorEnv([new EnvRegistry().Make("CartPole-v1"), new EnvRegistry().Make("Acrobot-v1")]);
        mixed.Should().Throw<ArgumentException>().WithMessage("*envs[1]*");
    }

    [Fact]
    public void DisposeStopsWorkersAndDisposesEnvironments()
    {
        var inner = Enumerable.Range(0, 4).Select(_ => new ScriptedEnv([1.0])).ToArray();
        var vec = new ParallelVectorEnv(inner.Select(e => (Env)new RecordEpisodeStatistics(e)).ToArray(), threads: 2);
        vec.Reset();
        vec.Step(new[] { 0, 1, 0, 1 });
        vec.Dispose();
        inner.Should().OnlyContain(e => e.Disposed);
        var after = () => vec.Step(new[] { 0, 1, 0, 1 });
        after.Should().Throw<ObjectDisposedException>();
    }
}
