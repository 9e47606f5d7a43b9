using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Agents.Training;

namespace RlExperiments.Agents.Tests.Ppo;

/// <summary>Design principle 5: collecting a rollout and updating allocate nothing once warmed up.</summary>
public class PpoAllocationTests
{
    [Fact]
    public void Discrete_collect_and_update_allocate_nothing_in_steady_state()
    {
        var p = new PpoParams { NumSteps = 32, BatchSize = 24, UpdateEpochs = 2 };   // 64 transitions: 2 × 24 + 16
        using var run = PpoTestSupport.Create("CartPole-v1", 2, p, new TrainerConfig(1, 10_000, 0), seed: 1);
        AllocatedAfterWarmUp(run.Trainer).Should().Be(0);
    }

    [Fact]
    public void Continuous_collect_and_update_with_every_option_allocate_nothing_in_steady_state()
    {
        var p = new PpoParams
        {
            NumSteps = 32, BatchSize = 24, UpdateEpochs = 2, ClipRangeVf = 0.2, TargetKl = 10,
            NormalizeObservations = true, NormalizeRewards = true, AnnealLearningRate = true, AnnealClipRange = true, EntCoef = 0.01,
        };
        var kwargs = new Dictionary<string, object?> { ["max_episode_steps"] = 20 };   // truncations inside the measured window
        using var run = PpoTestSupport.Create("Pendulum-v1", 2, p, new TrainerConfig(1, 10_000, 0), seed: 1, kwargs: kwargs, shareNetwork: true);
        AllocatedAfterWarmUp(run.Trainer).Should().Be(0);
    }

    private static long AllocatedAfterWarmUp(OnPolicyTrainer trainer)
    {
        for (var i = 0; i < 3; i++) trainer.CollectAndUpdate();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 3; i++) trainer.CollectAndUpdate();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
