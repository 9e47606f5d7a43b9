using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Algorithms.Sac;
using RlExperiments.Agents.Training;
using RlExperiments.Environments;
using static RlExperiments.Agents.Tests.OffPolicyTestEnvs;

namespace RlExperiments.Agents.Tests.Training;

public sealed class OffPolicyMetricsTests
{
    private static RecordingSink Train(IOffPolicyAgent agent, string envId, int steps)
    {
        using var train = EnvRegistry.Default.MakeVec(envId, agent.NumEnvs);
        using var test = EnvRegistry.Default.MakeVec(envId, 1);
        var sink = new RecordingSink();
        new OffPolicyTrainer(agent, train, test, new TrainerConfig(2, steps / 2, NumTestEpisodes: 1), TestEnvSeeds.For(0, train, test), metrics: sink, metricsInterval: 200).Run();
        return sink;
    }

    [Fact]
    public void DqnWritesItsTrainingAndTestMetrics()
    {
        var (obs, act) = Spaces("CartPole-v1");
        var agent = new DqnAgent(obs, act, new DqnParams { LearningStarts = 100, PrioritizedReplay = true }, 0, createQNetwork: Net.Q(obs, act, [16]));
        var sink = Train(agent, "CartPole-v1", 1000);
        var tags = sink.Rows.Select(r => r.Tag).ToHashSet();
        tags.Should().Contain(["train/loss", "train/td_error", "train/q_mean", "train/grad_norm", "train/epsilon", "train/learning_rate",
            "train/per_beta", "train/episode_return", "train/episode_length", "train/steps_per_second", "test/return_mean", "test/return_std", "test/length_mean"]);
        sink.Rows.Where(r => r.Tag == "train/epsilon").Select(r => r.Value).Should().BeInDescendingOrder();
        sink.Rows.Where(r => r.Tag == "train/learning_rate").Should().OnlyContain(r => r.Value == 1e-4);
        sink.Rows.Where(r => r.Tag.StartsWith("train/loss", StringComparison.Ordinal)).Should().OnlyContain(r => double.IsFinite(r.Value));
    }

    [Fact]
    public void SacWritesItsTrainingAndTestMetrics()
    {
        var (obs, act) = Spaces("Pendulum-v1");
        var agent = new SacAgent(obs, act, new SacParams { BatchSize = 32 }, 0, createActor: Net.TanhActor(obs, act, [16]), createCritic: Net.TwinQ(obs, act, [16]));
        var sink = Train(agent, "Pendulum-v1", 600);
        var tags = sink.Rows.Select(r => r.Tag).ToHashSet();
        tags.Should().Contain(["train/loss", "train/critic_loss", "train/actor_loss", "train/ent_coef_loss", "train/alpha", "train/entropy",
            "train/q_mean", "train/td_error", "train/grad_norm", "train/actor_grad_norm", "train/learning_rate", "train/episode_return", "test/return_mean"]);
        sink.Rows.Where(r => r.Tag == "train/alpha").Should().OnlyContain(r => r.Value > 0 && r.Value <= 1.0);
    }
}
