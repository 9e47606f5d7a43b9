using Microsoft.Extensions.Logging.Abstractions;
using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Core;
using RlExperiments.Environments;
using RlExperiments.Environments.ClassicControl;
using RlExperiments.Environments.Spaces;
using RlExperiments.Experiments.Algorithms.Dqn;
using RlExperiments.Experiments.Algorithms.Ppo;
using RlExperiments.Factories;
using RlExperiments.Tensors.Serialization;

namespace RlExperiments.Experiments.Tests.Experiment;

/// <summary>
/// The README's (and examples/scripts/custom_gridworld.cs's) path for an environment of one's own: define it, register it
/// under an id, train DQN and PPO on it by id, restore the saved run from its directory, resume it from a checkpoint.
/// </summary>
public sealed class CustomEnvironmentTests
{
    private static ExperimentServices Services()
    {
        var registry = new EnvRegistry();
        registry.Register("GridWorld-v0", kwargs => new GridWorld(kwargs.GetInt("size", 5)), maxEpisodeSteps: 50, rewardThreshold: 0.5, parameters: ["size"]);
        return new ExperimentServices(registry, logging: NullLoggerFactory.Instance);
    }

    private static readonly EnvFactory Env = new() { EnvId = "GridWorld-v0", Kwargs = new Dictionary<string, object?> { ["size"] = 4 } };

    private static Experiments.Experiment Dqn(string baseDir, ExperimentServices services, int epochs, string name) =>
        new DQNExperimentBuilder(Env, new ExperimentConfig { Seed = 3, PersistenceBaseDir = baseDir, WatchNumEpisodes = 2 },
                new SamplingConfig { NumEpochs = epochs, EpochNumSteps = 1_500, NumTestEpisodes = 10 })
            .WithDQNParams(new DqnParams { LearningRate = 1e-3, LearningStarts = 300, TargetUpdateInterval = 200, ExplorationFraction = 0.3, BufferSize = 5_000 })
            .WithModelFactoryDefault([32])
            .WithServices(services)
            .WithName(name)
            .Build();

    [Fact]
    public void A_registered_gridworld_trains_with_DQN_and_PPO_restores_and_resumes()
    {
        using var tmp = new TempDir();
        var services = Services();

        // DQN learns it: walking straight to the corner of the 4×4 grid scores 0.89 on average over the 15 start cells.
        using var dqn = Dqn(tmp.Path, services, epochs: 2, "dqn").Run();
        dqn.Summary.EnvId.Should().Be("GridWorld-v0");
        dqn.Summary.BestTestReturn.Should().BeGreaterThan(0.6, "DQN finds the corner from every start (seed 3)");

        // PPO runs on it too, through the same id.
        using var ppo = new PPOExperimentBuilder(Env, new ExperimentConfig { Seed = 3, PersistenceBaseDir = tmp.Path, WatchNumEpisodes = 2 },
                new SamplingConfig { NumEpochs = 2, EpochNumSteps = 2_048, NumTestEpisodes = 10 })
            .WithPPOParams(new PpoParams { LearningRate = 1e-3, NumSteps = 256, BatchSize = 64 })
            .WithActorFactoryDefault([32])
            .WithCriticFactoryDefault([32])
            .WithServices(services)
            .WithName("ppo")
            .Build()
            .Run();
        ppo.Summary.BestTestReturn.Should().BeGreaterThan(0.6, "PPO finds the corner too (seed 3)");

        // Restore: experiment.json names the environment by id and kwargs; the run directory alone rebuilds it.
        var restored = Experiments.Experiment.FromDirectory(dqn.Directory!, services: services);
        restored.Definition.EnvFactory.Kwargs!["size"].Should().Be(4L, "kwargs are saved as plain JSON numbers");
        using (var replay = restored.WithConfig(c => c with { Train = false, PersistenceEnabled = false }).Run())
            replay.PolicyTestReturn.Should().Be(dqn.PolicyTestReturn);

        // Resume: a run that dies in epoch 2 (after its epoch-1 checkpoint), resumed from disk, equals the uninterrupted run.
        var dying = new DQNExperimentBuilder(Env, new ExperimentConfig { Seed = 3, PersistenceBaseDir = tmp.Path, CheckpointEveryEpochs = 1, WatchNumEpisodes = 2 },
                new SamplingConfig { NumEpochs = 2, EpochNumSteps = 1_500, NumTestEpisodes = 10 })
            .WithDQNParams(new DqnParams { LearningRate = 1e-3, LearningStarts = 300, TargetUpdateInterval = 200, ExplorationFraction = 0.3, BufferSize = 5_000 })
            .WithModelFactoryDefault([32])
            .WithEpochTrainCallback((epoch, _, _) =>
            {
                if (epoch == 2) throw new InvalidOperationException("killed in epoch 2");
            })
            .WithServices(services)
            .WithName("resumed")
            .Build();
        FluentActions.Invoking(() => dying.Run()).Should().Throw<InvalidOperationException>().WithMessage("killed in epoch 2");
        using var resumed = Experiments.Experiment.FromDirectory(Path.Combine(tmp.Path, "resumed"), restorePolicy: false, services: services).Resume();
        resumed.Summary.Epochs.Should().Be(2);
        resumed.Summary.BestTestReturn.Should().Be(dqn.Summary.BestTestReturn);
        var a = SafeTensors.Load(Path.Combine(dqn.Directory!, "policy_final.safetensors")).Tensors;
        var b = SafeTensors.Load(Path.Combine(resumed.Directory!, "policy_final.safetensors")).Tensors;
        foreach (var key in a.Keys) b[key].ToArray().Should().Equal(a[key].ToArray(), $"{key} after the resume equals the uninterrupted run's");

        // Without the registration, the saved run names the missing id.
        FluentActions.Invoking(() => Experiments.Experiment.FromDirectory(dqn.Directory!, services: new ExperimentServices(logging: NullLoggerFactory.Instance))
                .WithConfig(c => c with { Train = false, PersistenceEnabled = false }).Run())
            .Should().Throw<RlExperiments.Experiments.Persistence.ExperimentJsonException>().WithMessage("*experiment.json*GridWorld-v0*");
    }

    /// <summary>The example's gridworld: reach the bottom-right corner of a size×size grid; −0.05 a step, +1 at the goal.</summary>
    private sealed class GridWorld(int size) : ClassicControlEnv(new Box([0f, 0f], [1f, 1f]), new Discrete(4))
    {
        private double _x, _y;

        public override int StateSize => 2;

        protected override void ResetState(Rng rng, IReadOnlyDictionary<string, object?>? options)
        {
            do
            {
                _x = rng.NextInt(size);
                _y = rng.NextInt(size);
            } while (AtGoal);
        }

        protected override StepResult StepCore(int action, Span<float> observation)
        {
            if ((uint)action > 3u) throw InvalidAction(action);
            var (dx, dy) = action switch { 0 => (0, -1), 1 => (1, 0), 2 => (0, 1), _ => (-1, 0) };
            _x = Math.Clamp(_x + dx, 0, size - 1);
            _y = Math.Clamp(_y + dy, 0, size - 1);
            WriteObservation(observation);
            return AtGoal ? new StepResult(1.0, true, false) : new StepResult(-0.05, false, false);
        }

        protected override void WriteObservation(Span<float> observation)
        {
            observation[0] = (float)(_x / (size - 1));
            observation[1] = (float)(_y / (size - 1));
        }

        protected override void GetState(Span<double> destination) => (destination[0], destination[1]) = (_x, _y);

        protected override void SetState(ReadOnlySpan<double> source) => (_x, _y) = (source[0], source[1]);

        private bool AtGoal => _x == size - 1 && _y == size - 1;
    }
}
