using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Algorithms.Sac;
using RlExperiments.Agents.Tests.Buffers;
using RlExperiments.Environments;
using static RlExperiments.Agents.Tests.OffPolicyTestEnvs;

namespace RlExperiments.Agents.Tests.Checkpoints;

public sealed class OffPolicyCheckpointTests
{
    /// <summary>Plays <paramref name="steps"/> vector steps with the agent's exploring policy, updating after each.</summary>
    private static void Play(IOffPolicyAgent agent, string envId, int steps, int envSeed, bool random)
    {
        using var env = EnvRegistry.Default.MakeVec(envId, agent.NumEnvs);
        env.Reset(envSeed);
        var obs = new float[env.Observations.Length];
        var envActions = new float[env.NumEnvs * env.ActionSize];
        var bufActions = new float[envActions.Length];
        var ints = new int[env.NumEnvs];
        for (var t = 0; t < steps; t++)
        {
            env.Observations.CopyTo(obs, 0);
            agent.Explore(obs, envActions, bufActions, random);
            if (env.SingleActionSpace is RlExperiments.Environments.Spaces.Discrete)
            {
                for (var i = 0; i < ints.Length; i++) ints[i] = (int)envActions[i];
                env.Step(ints);
            }
            else env.Step(envActions);
            agent.Buffer.AddVectorStep(obs, bufActions, env);
            agent.OnEnvSteps((t + 1) * agent.NumEnvs, 10_000);
            if (!random) agent.Update(t, t + 1);
        }
    }

    public static TheoryData<string, Func<int, IOffPolicyAgent>> Agents => new()
    {
        { "CartPole-v1", seed => new DqnAgent(Spaces("CartPole-v1").Obs, Spaces("CartPole-v1").Act,
            new DqnParams { HiddenSizes = [16], BatchSize = 16, TargetUpdateInterval = 7, PrioritizedReplay = true, NStep = 2 }, seed, numEnvs: 2) },
        { "Pendulum-v1", seed => new SacAgent(Spaces("Pendulum-v1").Obs, Spaces("Pendulum-v1").Act,
            new SacParams { HiddenSizes = [16], BatchSize = 16 }, seed, numEnvs: 2) },
    };

    [Theory]
    [MemberData(nameof(Agents))]
    public void ResumingFromACheckpointContinuesExactlyAsIfUninterrupted(string envId, Func<int, IOffPolicyAgent> create)
    {
        var dir = ReplayBufferTests.TempDir();
        try
        {
            var original = create(1);
            Play(original, envId, 60, envSeed: 5, random: true);
            Play(original, envId, 30, envSeed: 6, random: false);
            original.SaveCheckpoint(dir);

            var resumed = create(99); // a different seed: everything that matters must come from the checkpoint
            resumed.LoadCheckpoint(dir);
            Weights(resumed.Networks.Values).Should().Equal(Weights(original.Networks.Values));

            Play(original, envId, 30, envSeed: 7, random: false);
            Play(resumed, envId, 30, envSeed: 7, random: false);
            Weights(resumed.Networks.Values).Should().Equal(Weights(original.Networks.Values));
            resumed.Buffer.Count.Should().Be(original.Buffer.Count);
            if (original is DqnAgent d) Weights([((DqnAgent)resumed).TargetNetwork]).Should().Equal(Weights([d.TargetNetwork]));
            if (original is SacAgent s)
            {
                ((SacAgent)resumed).Alpha.Should().Be(s.Alpha);
                Weights([((SacAgent)resumed).CriticTarget]).Should().Equal(Weights([s.CriticTarget]));
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void LoadingIntoADifferentArchitectureNamesTheMismatch()
    {
        var dir = ReplayBufferTests.TempDir();
        try
        {
            var (obs, act) = Spaces("CartPole-v1");
            new DqnAgent(obs, act, new DqnParams { HiddenSizes = [16], BufferSize = 100 }, 0).SaveCheckpoint(dir);
            var wider = new DqnAgent(obs, act, new DqnParams { HiddenSizes = [32], BufferSize = 100 }, 0);
            wider.Invoking(a => a.LoadCheckpoint(dir)).Should().Throw<InvalidDataException>().WithMessage("*q.0.weight*[16, 4]*[32, 4]*");
            var (pObs, pAct) = Spaces("Pendulum-v1");
            var sac = new SacAgent(pObs, pAct, new SacParams { HiddenSizes = [16], BufferSize = 100 }, 0);
            sac.Invoking(a => a.LoadCheckpoint(dir)).Should().Throw<InvalidDataException>().WithMessage("*dqn-checkpoint*sac-checkpoint*");
        }
        finally { Directory.Delete(dir, true); }
    }
}
