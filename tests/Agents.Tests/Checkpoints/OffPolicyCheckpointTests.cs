using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Algorithms.Sac;
using RlExperiments.Agents.Tests.Buffers;
using RlExperiments.Agents.Tests.Training;
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
            new DqnParams { BatchSize = 16, TargetUpdateInterval = 7, PrioritizedReplay = true, NStep = 2 }, seed, numEnvs: 2, createQNetwork: Net.Q(Spaces("CartPole-v1").Obs, Spaces("CartPole-v1").Act, [16])) },
        { "Pendulum-v1", seed => new SacAgent(Spaces("Pendulum-v1").Obs, Spaces("Pendulum-v1").Act,
            new SacParams { BatchSize = 16 }, seed, numEnvs: 2, createActor: Net.TanhActor(Spaces("Pendulum-v1").Obs, Spaces("Pendulum-v1").Act, [16]), createCritic: Net.TwinQ(Spaces("Pendulum-v1").Obs, Spaces("Pendulum-v1").Act, [16])) },
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
            new DqnAgent(obs, act, new DqnParams { BufferSize = 100 }, 0, createQNetwork: Net.Q(obs, act, [16])).SaveCheckpoint(dir);
            var wider = new DqnAgent(obs, act, new DqnParams { BufferSize = 100 }, 0, createQNetwork: Net.Q(obs, act, [32]));
            wider.Invoking(a => a.LoadCheckpoint(dir)).Should().Throw<InvalidDataException>().WithMessage("*q.0.weight*[16, 4]*[32, 4]*");
            var (pObs, pAct) = Spaces("Pendulum-v1");
            var sac = new SacAgent(pObs, pAct, new SacParams { BufferSize = 100 }, 0, createActor: Net.TanhActor(pObs, pAct, [16]), createCritic: Net.TwinQ(pObs, pAct, [16]));
            sac.Invoking(a => a.LoadCheckpoint(dir)).Should().Throw<InvalidDataException>().WithMessage("*dqn-checkpoint*sac-checkpoint*");
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [MemberData(nameof(Agents))]
    public void A_checkpoint_of_format_version_1_is_refused_as_written_by_an_earlier_version(string envId, Func<int, IOffPolicyAgent> create)
    {
        var dir = ReplayBufferTests.TempDir();
        try
        {
            var agent = create(1);
            Play(agent, envId, 40, envSeed: 5, random: true);
            agent.SaveCheckpoint(dir);
            var path = Path.Combine(dir, "agent.json");
            var current = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            var format = current["Format"]!.GetValue<string>();
            format.Should().EndWith("-checkpoint/2");
            current["Metrics"]!["Sums"]!.AsObject().Select(p => p.Key).Should().Contain("train/grad_norm", "the metric sums are saved by name");

            // What version 1 wrote: the same fields, the metric sums as a positional array.
            var old = current.DeepClone().AsObject();
            old["Format"] = format[..^1] + "1";
            old["Metrics"] = new System.Text.Json.Nodes.JsonArray(0.0, 1.0, 2.0);
            File.WriteAllText(path, old.ToJsonString());
            var fresh = create(1);
            fresh.Invoking(a => a.LoadCheckpoint(dir)).Should().Throw<InvalidDataException>()
                .WithMessage($"*{path}*'{format[..^1]}1'*expected '{format}'*written by an earlier version*Resume it with that version, or start a new run*");
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [MemberData(nameof(Agents))]
    public void A_checkpoint_whose_metric_names_differ_is_refused_naming_the_file(string envId, Func<int, IOffPolicyAgent> create)
    {
        var dir = ReplayBufferTests.TempDir();
        try
        {
            var agent = create(1);
            Play(agent, envId, 40, envSeed: 5, random: true);
            agent.SaveCheckpoint(dir);
            var path = Path.Combine(dir, "agent.json");
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            json["Metrics"]!["Sums"]!.AsObject().Add("train/bogus", 1.0);
            File.WriteAllText(path, json.ToJsonString());
            create(1).Invoking(a => a.LoadCheckpoint(dir)).Should().Throw<InvalidDataException>().WithMessage($"*{path}*unexpected train/bogus*");
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Update_metrics_accumulated_before_a_checkpoint_are_written_after_resuming()
    {
        var dir = ReplayBufferTests.TempDir();
        try
        {
            var (obs, act) = Spaces("Pendulum-v1");
            SacAgent Create() => new(obs, act, new SacParams { BatchSize = 16 }, 3, numEnvs: 2, Net.TanhActor(obs, act, [16]), Net.TwinQ(obs, act, [16]));
            var original = Create();
            Play(original, "Pendulum-v1", 40, envSeed: 5, random: true);
            Play(original, "Pendulum-v1", 5, envSeed: 6, random: false);
            original.SaveCheckpoint(dir);
            var resumed = Create();
            resumed.LoadCheckpoint(dir);
            var a = new RecordingSink();
            var b = new RecordingSink();
            original.WriteMetrics(a, 100);
            resumed.WriteMetrics(b, 100);
            b.Rows.Should().Equal(a.Rows);
            a.Rows.Select(r => r.Tag).Should().Equal("train/loss", "train/critic_loss", "train/actor_loss", "train/ent_coef_loss", "train/alpha",
                "train/entropy", "train/q_mean", "train/td_error", "train/grad_norm", "train/actor_grad_norm", "train/learning_rate");
            a.Rows[0].Value.Should().Be(a.Rows[1].Value, "train/loss is the critic loss");
        }
        finally { Directory.Delete(dir, true); }
    }
}
