using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Agents.Training;

namespace RlExperiments.Agents.Tests.Ppo;

public sealed class PpoCheckpointTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ppo-ckpt-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void A_restored_agent_acts_and_updates_exactly_as_the_original_would()
    {
        var p = new PpoParams { NumSteps = 16, BatchSize = 16, UpdateEpochs = 2, NormalizeObservations = true, LogStdInit = -0.5 };
        using var run = PpoTestSupport.Create("Pendulum-v1", 2, p, new TrainerConfig(1, 1000, 0), seed: 11);
        for (var i = 0; i < 3; i++) run.Trainer.CollectAndUpdate();
        run.Agent.SaveCheckpoint(_dir);
        File.Exists(Path.Combine(_dir, "networks.safetensors")).Should().BeTrue();
        File.Exists(Path.Combine(_dir, "optimizer.safetensors")).Should().BeTrue();
        File.Exists(Path.Combine(_dir, "agent.json")).Should().BeTrue();

        // Another seed: everything that differs must come from the checkpoint.
        var restored = new PpoAgent(run.Agent.ObservationSpace, run.Agent.ActionSpace, p, seed: 999);
        restored.LoadCheckpoint(_dir);
        restored.GradientSteps.Should().Be(run.Agent.GradientSteps);
        restored.ObservationNormalizer!.Statistics.Mean.ToArray().Should().Equal(run.Agent.ObservationNormalizer!.Statistics.Mean.ToArray());

        var obs = new float[3 * 5];
        new Core.Rng(3).FillNormal(obs);
        float[] a1 = new float[5], a2 = new float[5];
        run.Agent.Act(obs, a1, deterministic: false);
        restored.Act(obs, a2, deterministic: false);
        a2.Should().Equal(a1, "the evaluation stream is restored");

        // The rollout stream is restored too: the restored agent samples what the original samples next.
        float[] v1 = new float[2], v2 = new float[2], l1 = new float[2], l2 = new float[2], x1 = new float[2], x2 = new float[2];
        run.Agent.ActForRollout(obs.AsSpan(0, 6), x1, v1, l1);
        restored.ActForRollout(obs.AsSpan(0, 6), x2, v2, l2);
        (x2, v2, l2).Should().BeEquivalentTo((x1, v1, l1), o => o.WithStrictOrdering());

        // Same buffer → same update (optimiser moments, shuffling stream, rollout stream all restored).
        run.Trainer.CollectRollout();
        var buffer = run.Trainer.Buffer;
        var context = new OnPolicyUpdateContext(run.Trainer.EnvSteps, 1000);
        var s2 = restored.Update(buffer, context);
        var s1 = run.Agent.Update(buffer, context);
        s2.Should().Be(s1);
        Weights(restored).Should().Equal(Weights(run.Agent));
    }

    [Fact]
    public void Mismatched_or_missing_checkpoints_fail_clearly()
    {
        using var run = PpoTestSupport.Create("CartPole-v1", 2, new PpoParams { NumSteps = 8, BatchSize = 8 }, new TrainerConfig(1, 16, 0), seed: 1);
        run.Agent.SaveCheckpoint(_dir);

        var normalising = new PpoAgent(run.Agent.ObservationSpace, run.Agent.ActionSpace, new PpoParams { NumSteps = 8, BatchSize = 8, NormalizeObservations = true }, 1);
        var load = () => normalising.LoadCheckpoint(_dir);
        load.Should().Throw<InvalidDataException>().WithMessage("*NormalizeObservations*");

        var wider = new PpoAgent(run.Agent.ObservationSpace, run.Agent.ActionSpace, new PpoParams { }, 1, createNetwork: Net.ActorCritic(run.Agent.ObservationSpace, run.Agent.ActionSpace, [32]));
        var loadWider = () => wider.LoadCheckpoint(_dir);
        loadWider.Should().Throw<InvalidDataException>().WithMessage("*networks.safetensors*");

        var missing = () => run.Agent.LoadCheckpoint(Path.Combine(_dir, "nope"));
        missing.Should().Throw<InvalidDataException>().WithMessage("*agent.json*");
    }

    private static float[] Weights(PpoAgent agent) => agent.Network.Parameters().SelectMany(t => t.ToArray()).ToArray();
}
