using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Agents.Tests.Ppo;
using RlExperiments.Agents.Training;
using RlExperiments.Environments;

namespace RlExperiments.Agents.Tests.Training;

/// <summary>Issue 18: per-step callbacks (SB3's BaseCallback shape) on env steps and updates; false stops training.</summary>
public class StepCallbackTests
{
    /// <summary>Counts the calls and stops (returns false) once the env steps reach <see cref="StopAt"/>. Allocates nothing.</summary>
    private sealed class Counter : IStepCallback
    {
        public long StopAt { get; init; } = long.MaxValue;
        public int Steps;
        public int Updates;
        public long LastStep;
        public long LastGradientSteps;
        public int LastEpoch;

        public bool OnStep(in StepInfo info)
        {
            Steps++;
            LastStep = info.EnvSteps;
            LastEpoch = info.Epoch;
            return info.EnvSteps < StopAt;
        }

        public bool OnUpdate(in StepInfo info)
        {
            Updates++;
            LastGradientSteps = info.GradientSteps;
            return true;
        }
    }

    private static DqnAgent Dqn(int numEnvs) =>
        new(OffPolicyTestEnvs.Spaces("CartPole-v1").Obs, OffPolicyTestEnvs.Spaces("CartPole-v1").Act,
            new DqnParams { BatchSize = 16, LearningStarts = 100, TrainFreq = 4, GradientSteps = 2, BufferSize = 5000 }, 0, numEnvs,
            Net.Q(OffPolicyTestEnvs.Spaces("CartPole-v1").Obs, OffPolicyTestEnvs.Spaces("CartPole-v1").Act, [16]));

    [Fact]
    public void Off_policy_calls_on_every_vector_step_and_every_training_phase()
    {
        var counter = new Counter();
        using var train = EnvRegistry.Default.MakeVec("CartPole-v1", 2);
        var agent = Dqn(2);
        var result = new OffPolicyTrainer(agent, train, null, new TrainerConfig(2, 400, NumTestEpisodes: 0), TestEnvSeeds.For(0, train, null),
            new TrainerCallbacks { Step = counter }).Run();
        counter.Steps.Should().Be(400, "800 env steps on 2 environments are 400 vector steps");
        counter.LastStep.Should().Be(800);
        counter.LastEpoch.Should().Be(2);
        // Training phases every 4 vector steps once past 100 env steps: vector steps 52..400 that are multiples of 4.
        counter.Updates.Should().Be(Enumerable.Range(1, 400).Count(v => v % 4 == 0 && v * 2 > 100));
        counter.LastGradientSteps.Should().Be(result.GradientSteps);
        result.StoppedByCallback.Should().BeFalse();
    }

    [Fact]
    public void Returning_false_stops_off_policy_training_at_that_step()
    {
        var counter = new Counter { StopAt = 300 };
        using var train = EnvRegistry.Default.MakeVec("CartPole-v1", 2);
        using var test = EnvRegistry.Default.MakeVec("CartPole-v1", 1);
        var result = new OffPolicyTrainer(Dqn(2), train, test, new TrainerConfig(3, 400, NumTestEpisodes: 1), TestEnvSeeds.For(0, train, test),
            new TrainerCallbacks { Step = counter }).Run();
        result.EnvSteps.Should().Be(300);
        result.Epochs.Should().Be(1, "the stop ends the run after the epoch's test phase");
        result.StoppedByCallback.Should().BeTrue();
        double.IsNaN(result.LastTestReturn).Should().BeFalse("the stopped epoch is still tested");
    }

    [Fact]
    public void On_policy_stops_after_the_rollout_and_its_update()
    {
        var counter = new Counter { StopAt = 1 };
        var p = new PpoParams { NumSteps = 16, BatchSize = 32, UpdateEpochs = 2 };
        using var run = PpoTestSupport.Create("CartPole-v1", 4, p, new TrainerConfig(2, 512, NumTestEpisodes: 0), 0, new TrainerCallbacks { Step = counter });
        var result = run.Trainer.Run();
        result.EnvSteps.Should().Be(64, "one rollout of 16 steps on 4 environments, then the stop");
        counter.Steps.Should().Be(16);
        counter.Updates.Should().Be(1);
        result.GradientSteps.Should().BeGreaterThan(0).And.Be(counter.LastGradientSteps);
        result.StoppedByCallback.Should().BeTrue();
    }

    [Fact]
    public void A_registered_callback_allocates_nothing_per_step()
    {
        var counter = new Counter();
        using var train = EnvRegistry.Default.MakeVec("CartPole-v1", 2);
        using var test = EnvRegistry.Default.MakeVec("CartPole-v1", 1);
        // Epochs 3 to 6 are measured (each from its start to its test, i.e. its steps and updates) and the least of them
        // counts: see SteadyStateAllocation for why one round can carry the runtime's own one-off work.
        long start = 0;
        var perEpoch = new List<long>(8);
        var callbacks = new TrainerCallbacks
        {
            Step = counter,
            OnEpochTrain = (epoch, _) => { if (epoch >= 3) start = GC.GetAllocatedBytesForCurrentThread(); },
            OnEpochTest = (epoch, _) => { if (epoch >= 3) perEpoch.Add(GC.GetAllocatedBytesForCurrentThread() - start); },
        };
        new OffPolicyTrainer(Dqn(2), train, test, new TrainerConfig(6, 2000, NumTestEpisodes: 1), TestEnvSeeds.For(0, train, test), callbacks).Run();
        counter.Steps.Should().Be(6000);
        perEpoch.Should().HaveCount(4);
        perEpoch.Min().Should().Be(0, "calling a step callback on 1,000 vector steps and their updates allocates nothing");
    }
}
