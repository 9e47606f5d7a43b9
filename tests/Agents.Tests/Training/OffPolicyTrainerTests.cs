using RlExperiments.Agents.Training;
using RlExperiments.Environments;

namespace RlExperiments.Agents.Tests.Training;

public sealed class OffPolicyTrainerTests
{
    private static (OffPolicyTrainer Trainer, StubOffPolicyAgent Agent, RecordingSink Sink) Build(
        int trainFreq, int gradientSteps, int learningStarts, TrainerConfig config, int numEnvs = 1, TrainerCallbacks? callbacks = null)
    {
        var agent = new StubOffPolicyAgent(trainFreq, gradientSteps, learningStarts, numEnvs);
        var train = EnvRegistry.Default.MakeVec("CartPole-v1", numEnvs);
        var test = EnvRegistry.Default.MakeVec("CartPole-v1", 1);
        var sink = new RecordingSink();
        return (new OffPolicyTrainer(agent, train, config.NumTestEpisodes > 0 ? test : null, config, TestEnvSeeds.For(0, train, test), callbacks, sink, metricsInterval: 100), agent, sink);
    }

    [Fact]
    public void TrainsEveryTrainFreqVectorStepsOnceLearningHasStarted()
    {
        var (trainer, agent, _) = Build(trainFreq: 4, gradientSteps: 1, learningStarts: 100, new TrainerConfig(2, 500, 0));
        var result = trainer.Run();
        // SB3: train after every 4th step once num_timesteps > learning_starts: at 104, 108, ..., 1000.
        agent.UpdateEnvSteps.Should().HaveCount(225);
        agent.UpdateEnvSteps[0].Should().Be(104);
        agent.UpdateEnvSteps[^1].Should().Be(1000);
        result.GradientSteps.Should().Be(225);
        result.EnvSteps.Should().Be(1000);
        agent.RandomExploreCalls.Should().Be(100, "actions are uniform random while env steps < learning starts");
        agent.PolicyExploreCalls.Should().Be(900);
        agent.TotalSeen.Should().Be(1000);
        agent.Buffer.Count.Should().Be(1000);
    }

    [Fact]
    public void GradientStepsMinusOneMeansOnePerEnvironmentStepCollected()
    {
        var (trainer, agent, _) = Build(trainFreq: 4, gradientSteps: -1, learningStarts: 0, new TrainerConfig(1, 80, 0), numEnvs: 2);
        var result = trainer.Run();
        result.EnvSteps.Should().Be(80);
        agent.UpdateEnvSteps.Should().HaveCount(80, "every phase collects 4 vector steps × 2 envs and then trains 8 times");
        agent.UpdateEnvSteps.Take(8).Should().OnlyContain(s => s == 8);
    }

    [Fact]
    public void EpochsTestAndCallbacksRunInTianshouOrder()
    {
        var events = new List<string>();
        var callbacks = new TrainerCallbacks
        {
            OnEpochTrain = (e, s) => events.Add($"train{e}@{s}"),
            OnEpochTest = (e, s) => events.Add($"test{e}@{s}"),
            ShouldStop = info => { events.Add($"stop?{info.Epoch}"); return info.Epoch == 2; },
            OnEpochEnd = info => events.Add($"end{info.Epoch}"),
        };
        var (trainer, _, sink) = Build(4, 1, 10, new TrainerConfig(5, 100, NumTestEpisodes: 2, TestAtStart: true), callbacks: callbacks);
        var result = trainer.Run();
        events.Should().Equal("test0@0", "train1@0", "test1@100", "stop?1", "end1", "train2@100", "test2@200", "stop?2", "end2");
        result.Epochs.Should().Be(2);
        result.StoppedByCallback.Should().BeTrue();
        result.EnvSteps.Should().Be(200);
        double.IsNaN(result.BestTestReturn).Should().BeFalse();
        result.BestEpoch.Should().BeInRange(0, 2);
        sink.Rows.Where(r => r.Tag == "test/return_mean").Should().HaveCount(3);
        sink.Rows.Should().Contain(r => r.Tag == "test/return_std");
        sink.Rows.Should().Contain(r => r.Tag == "train/episode_return");
        sink.Rows.Should().Contain(r => r.Tag == "train/loss");
        sink.Flushes.Should().BeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public void NonFiniteLossStopsTrainingNamingTheStep()
    {
        var (trainer, agent, sink) = Build(4, 1, 8, new TrainerConfig(1, 1000, 0));
        agent.LossToReport = double.NaN;
        var act = () => trainer.Run();
        var e = act.Should().Throw<NonFiniteException>().Which;
        e.Quantity.Should().Be("train/loss");
        e.EnvStep.Should().Be(12);
        e.GradientStep.Should().Be(1);
        sink.Flushes.Should().Be(1, "the metrics written before the failure are flushed");
    }

    [Fact]
    public void RejectsMismatchedEnvironments()
    {
        var agent = new StubOffPolicyAgent(1, 1, 0, numEnvs: 2);
        using var one = EnvRegistry.Default.MakeVec("CartPole-v1", 1);
        using var two = EnvRegistry.Default.MakeVec("CartPole-v1", 2);
        using var pendulum = EnvRegistry.Default.MakeVec("Pendulum-v1", 2);
        var cfg = new TrainerConfig(1, 10, 0);
        FluentActions.Invoking(() => new OffPolicyTrainer(agent, one, null, cfg, TestEnvSeeds.For(0, one, null))).Should().Throw<ArgumentException>().WithMessage("*2 training environments*1*");
        FluentActions.Invoking(() => new OffPolicyTrainer(agent, pendulum, null, cfg, TestEnvSeeds.For(0, pendulum, null))).Should().Throw<ArgumentException>().WithMessage("*Discrete(2)*Box*");
        FluentActions.Invoking(() => new OffPolicyTrainer(agent, two, null, cfg with { NumTestEpisodes = 5 }, TestEnvSeeds.For(0, two, null))).Should().Throw<ArgumentException>().WithMessage("*no test environments*");
        FluentActions.Invoking(() => new OffPolicyTrainer(agent, two, two, cfg with { NumTestEpisodes = 5 }, TestEnvSeeds.For(0, two, two))).Should().Throw<ArgumentException>().WithMessage("*separate*");
    }
}
