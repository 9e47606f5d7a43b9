using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Training;
using RlExperiments.Experiments.Callbacks;
using RlExperiments.Factories.Logging;

namespace RlExperiments.Experiments.Tests.Experiment;

public class CallbackTests
{
    [Fact]
    public void Train_and_test_callbacks_fire_once_per_epoch_in_order()
    {
        using var tmp = new TempDir();
        var calls = new List<string>();
        using var result = Tiny.Dqn(tmp.Path, epochs: 3)
            .WithEpochTrainCallback((epoch, step, _) => calls.Add($"train {epoch} @{step}"))
            .WithEpochTestCallback((epoch, step, _) => calls.Add($"test {epoch} @{step}"))
            .WithEpochStopCallback((info, _) => { calls.Add($"stop? {info.Epoch}"); return false; })
            .Build().WithConfig(c => c with { Watch = false }).Run();
        calls.Should().Equal(
            "train 1 @0", "test 1 @200", "stop? 1",
            "train 2 @200", "test 2 @400", "stop? 2",
            "train 3 @400", "test 3 @600", "stop? 3");
        result.TrainerResult!.StoppedByCallback.Should().BeFalse();
    }

    [Fact]
    public void The_stop_callback_ends_training_after_the_epoch_it_fires()
    {
        using var tmp = new TempDir();
        using var result = Tiny.Dqn(tmp.Path, epochs: 4).WithEpochStopCallback((info, _) => info.Epoch == 2).Build().Run();
        result.TrainerResult!.Epochs.Should().Be(2);
        result.TrainerResult.StoppedByCallback.Should().BeTrue();
        result.Summary.StoppedByCallback.Should().BeTrue();
    }

    [Fact]
    public void The_reward_threshold_callback_defaults_to_the_environments_threshold()
    {
        var callback = new EpochStopCallbackRewardThreshold();
        using var tmp = new TempDir();
        using var result = Tiny.Dqn(tmp.Path, epochs: 3).WithEpochStopCallback(new EpochStopCallbackRewardThreshold { Threshold = 0 }).Build().Run();
        result.TrainerResult!.Epochs.Should().Be(1, "every CartPole return is ≥ 0");
        result.TrainerResult.StoppedByCallback.Should().BeTrue();

        var context = new TrainingContext(result.World.Agent, result.World.Envs, NullMetricsSink.Instance, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        callback.ShouldStop(Info(474.9), context).Should().BeFalse("CartPole-v1's threshold is 475");
        callback.ShouldStop(Info(475), context).Should().BeTrue();
        callback.ShouldStop(Info(double.NaN), context).Should().BeFalse();
    }

    private static EpochInfo Info(double testReturn) => new(1, 100, 10, testReturn, 0, testReturn, double.NaN);

    [Fact]
    public void DQN_eps_linear_decay_sets_the_training_eps_at_each_epoch_and_logs_it()
    {
        using var tmp = new TempDir();
        var decay = new EpochTrainCallbackDQNEpsLinearDecay { EpsTrain = 1.0, EpsTrainFinal = 0.2, DecaySteps = 400 };
        var seen = new List<double>();
        using var result = Tiny.Dqn(tmp.Path, epochs: 3)
            .WithEpochTrainCallback(decay)
            .WithEpochStopCallback((_, ctx) => { seen.Add(((DqnAgent)ctx.Agent).Epsilon); return false; })
            .Build().Run();
        decay.EpsAt(0).Should().Be(1.0);
        decay.EpsAt(200).Should().BeApproximately(0.6, 1e-12);
        decay.EpsAt(1000).Should().Be(0.2);
        ((DqnAgent)result.World.Agent).FixedEpsilon.Should().BeApproximately(0.2, 1e-12, "epoch 3 starts at step 400");
        seen.Should().HaveCount(3);
        seen[0].Should().Be(1.0);
        seen[1].Should().BeApproximately(0.6, 1e-12);
        var eps = TensorBoardEventReader.ReadDirectory(result.Directory!).Where(s => s.Tag == "train/eps").ToArray();
        eps.Select(s => s.Step).Should().Equal(0, 200, 400);
        eps.Select(s => s.Value).Should().Equal([1.0, 0.6, 0.2], (a, b) => Math.Abs(a - b) < 1e-6, "TensorBoard stores float32");
    }

    [Fact]
    public void DQN_test_eps_is_set_before_each_test_and_replaced_by_the_training_eps_afterwards()
    {
        using var tmp = new TempDir();
        var atStop = new List<double>();
        using var result = Tiny.Dqn(tmp.Path, epochs: 2)
            .WithEpochTrainCallback(new EpochTrainCallbackDQNSetEps { Eps = 0.3 })
            .WithEpochTestCallback(new EpochTestCallbackDQNSetEps { Eps = 0.7 })
            .WithEpochStopCallback((_, ctx) => { atStop.Add(((DqnAgent)ctx.Agent).Epsilon); return false; })
            .Build().Run();
        // The test ε is the trainer's EvalEps: applied during the test episodes (pinned in Agents' EvalEpsTests), the
        // training ε put back right after, so the stop callback sees the training ε.
        atStop.Should().Equal(0.3, 0.3);
        ((DqnAgent)result.World.Agent).FixedEpsilon.Should().Be(0.3);
    }
}
