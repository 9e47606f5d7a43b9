using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Agents.Algorithms.Sac;
using RlExperiments.Agents.Training;
using RlExperiments.Experiments.Tests.Experiment;
using RlExperiments.Factories.Logging;
using RlExperiments.Agents.Networks;

namespace RlExperiments.Experiments.Tests.Builders;

public class BuilderRunTests
{
    public static TheoryData<string> Algorithms => new() { "DQN", "PPO", "PPO-continuous", "SAC" };

    internal static Experiments.Experiment Build(string algorithm, string baseDir) => algorithm switch
    {
        "DQN" => Tiny.Dqn(baseDir).Build(),
        "PPO" => Tiny.Ppo(baseDir).Build(),
        "PPO-continuous" => Tiny.Ppo(baseDir, Tiny.Pendulum).WithName("ppo-c").Build(),
        "SAC" => Tiny.Sac(baseDir).Build(),
        _ => throw new ArgumentException(algorithm),
    };

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Every_builder_builds_and_runs_a_tiny_experiment_into_its_directory(string algorithm)
    {
        using var tmp = new TempDir();
        var experiment = Build(algorithm, tmp.Path);
        using var result = experiment.Run();

        var dir = result.Directory!;
        dir.Should().Be(Path.Combine(tmp.Path, experiment.Name));
        foreach (var file in new[] { "experiment.json", "log.txt", "policy.safetensors", "policy_final.safetensors", "progress.csv", "result.json" })
            File.Exists(Path.Combine(dir, file)).Should().BeTrue(file);
        Directory.GetFiles(dir, "events.out.tfevents.*").Should().ContainSingle();

        var trainer = result.TrainerResult!;
        trainer.Epochs.Should().Be(1);
        trainer.EnvSteps.Should().BeGreaterThanOrEqualTo(experiment.ResolvedSampling.EpochNumSteps);
        trainer.GradientSteps.Should().BeGreaterThan(0);
        trainer.StoppedByCallback.Should().BeFalse();
        double.IsFinite(trainer.BestTestReturn).Should().BeTrue();
        double.IsFinite(result.PolicyTestReturn).Should().BeTrue();
        result.WatchResult!.Returns.Should().HaveCount(2);
        result.World.Trainer.Should().NotBeNull();
        result.World.Agent.Should().BeOfType(algorithm switch { "DQN" => typeof(DqnAgent), "SAC" => typeof(SacAgent), _ => typeof(PpoAgent) });
        result.Summary.Algorithm.Should().Be(algorithm.Split('-')[0]);

        var summary = Tiny.Services.Json.ReadFile<RunSummary>(Path.Combine(dir, "result.json"));
        summary.Should().Be(result.Summary);
        summary.EnvSteps.Should().Be(trainer.EnvSteps);
        File.ReadAllText(Path.Combine(dir, "log.txt")).Should().Contain("epoch 1/1 | env steps").And.Contain("Policy test return");
    }

    [Fact]
    public void The_run_writes_TensorBoard_events_with_the_expected_tags()
    {
        using var tmp = new TempDir();
        var builder = Tiny.Dqn(tmp.Path);
        builder.SamplingConfig = builder.SamplingConfig with { EpochNumSteps = 1100 };   // update metrics are written every 1,000 env steps
        using var result = builder.Build().Run();
        var scalars = TensorBoardEventReader.ReadDirectory(result.Directory!);
        scalars.Select(s => s.Tag).Distinct().Should().Contain(
            ["train/episode_return", "train/episode_length", "train/loss", "train/epsilon", "train/steps_per_second",
             "test/return_mean", "test/return_std", "test/length_mean"]);
        scalars.Single(s => s.Tag == "test/return_mean").Value.Should().Be(result.TrainerResult!.LastTestReturn);
    }

    [Fact]
    public void The_run_writes_progress_csv_with_the_step_and_metric_columns()
    {
        using var tmp = new TempDir();
        using var result = Tiny.Ppo(tmp.Path).Build().Run();
        var lines = File.ReadAllLines(Path.Combine(result.Directory!, "progress.csv"));
        var header = lines[0].Split(',');
        header[0].Should().Be("env_step");
        header.Should().Contain(["train/episode_return", "train/policy_loss", "train/value_loss", "train/entropy", "train/approx_kl",
            "test/return_mean", "test/return_std", "train/steps_per_second"]);
        lines.Length.Should().BeGreaterThan(2);
    }

    [Fact]
    public void Persistence_disabled_writes_nothing()
    {
        using var tmp = new TempDir();
        var experiment = Tiny.Dqn(tmp.Path).Build().WithConfig(c => c with { PersistenceEnabled = false });
        using var result = experiment.Run();
        result.Directory.Should().BeNull();
        Directory.EnumerateFileSystemEntries(tmp.Path).Should().BeEmpty();
        result.TrainerResult!.Epochs.Should().Be(1);
    }

    [Theory]
    [InlineData(PolicyPersistenceMode.Best, true, false)]
    [InlineData(PolicyPersistenceMode.Final, false, true)]
    [InlineData(PolicyPersistenceMode.BestAndFinal, true, true)]
    public void Policy_persistence_mode_decides_the_weight_files(PolicyPersistenceMode mode, bool best, bool final)
    {
        using var tmp = new TempDir();
        using var result = Tiny.Dqn(tmp.Path).Build().WithConfig(c => c with { PolicyPersistenceMode = mode, Watch = false }).Run();
        File.Exists(Path.Combine(result.Directory!, "policy.safetensors")).Should().Be(best);
        File.Exists(Path.Combine(result.Directory!, "policy_final.safetensors")).Should().Be(final);
    }

    [Fact]
    public void A_second_run_into_the_same_directory_fails_before_touching_it_unless_told_to_overwrite()
    {
        using var tmp = new TempDir();
        var experiment = Tiny.Dqn(tmp.Path).Build().WithConfig(c => c with { Watch = false });
        using (experiment.Run()) { }
        var dir = Path.Combine(tmp.Path, "dqn");
        var before = File.ReadAllText(Path.Combine(dir, "result.json"));

        var again = () => experiment.Run();
        again.Should().Throw<IOException>().WithMessage("*already exists*overwrite: true*");
        File.ReadAllText(Path.Combine(dir, "result.json")).Should().Be(before);

        using (experiment.Run(overwrite: true)) { }
        Directory.GetFiles(dir, "events.out.tfevents.*").Should().ContainSingle("overwriting replaces the run's files");

        using var renamed = experiment.Run(experimentName: "dqn-2", loggerRunId: "r2");
        renamed.Directory.Should().EndWith("dqn-2");
        renamed.Summary.LoggerRunId.Should().Be("r2");
        Tiny.Services.Json.ReadFile<ExperimentDefinition>(Path.Combine(renamed.Directory!, "experiment.json")).Name.Should().Be("dqn-2");
    }

    [Fact]
    public void Optimizer_factory_is_used_by_the_agents()
    {
        using var tmp = new TempDir();
        using var dqn = Tiny.Dqn(tmp.Path).WithOptimFactory(new Factories.Optim.SgdOptimizerFactory { Momentum = 0.9 }).Build().Run();
        ((DqnAgent)dqn.World.Agent).Optimizer.Should().BeOfType<Tensors.Optim.Sgd>();
        using var sac = Tiny.Sac(tmp.Path).WithOptimFactoryDefault((0.8, 0.9), eps: 1e-6).Build().Run();
        ((Tensors.Optim.Adam)((SacAgent)sac.World.Agent).Optimizers.Actor).Should().NotBeNull();
        sac.World.Agent.Should().BeOfType<SacAgent>();
    }

    [Fact]
    public void Model_factories_shape_the_networks()
    {
        using var tmp = new TempDir();
        using var dqn = Tiny.Dqn(tmp.Path).WithModelFactoryDefault([8, 4], dueling: true).Build().Run();
        ((DqnAgent)dqn.World.Agent).QNetwork.Should().BeOfType<DuelingQNetwork>();
        ((DqnAgent)dqn.World.Agent).QNetwork.NamedParameters().Select(p => p.Parameter.ShapeString).Should().Contain("[8, 4]");

        using var ppo = Tiny.Ppo(tmp.Path).WithActorFactoryDefault([12]).WithCriticFactoryUseActor().Build().Run();
        var network = ((PpoAgent)ppo.World.Agent).Network;
        network.IsShared.Should().BeTrue();
        network.NamedParameters().Select(p => p.Name).Should().Contain("trunk.0.weight");

        using var sac = Tiny.Sac(tmp.Path).WithCritic1FactoryDefault([8]).WithCritic2FactoryDefault([9]).Build().Run();
        var critic = ((SacAgent)sac.World.Agent).Critic.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.ShapeString);
        critic["qf0.0.weight"].Should().Be("[8, 4]");
        critic["qf1.0.weight"].Should().Be("[9, 4]");
    }
}
