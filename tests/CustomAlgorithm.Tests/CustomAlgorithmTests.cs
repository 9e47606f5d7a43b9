using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging.Abstractions;
using RlExperiments.AutoRL;
using RlExperiments.Experiments;
using RlExperiments.Experiments.Algorithms;
using RlExperiments.Experiments.Builders;
using RlExperiments.Factories;
using RlExperiments.Factories.Logging;
using RlExperiments.Tensors.Serialization;
using RlExperiments.Tuning;

namespace RlExperiments.CustomAlgorithm.Tests;

/// <summary>
/// An algorithm defined entirely in this test project (<see cref="LinearPgModule"/>), registered with one line, goes
/// through everything the built-in ones get: typed builder and its validation, Run, experiment.json, FromDirectory,
/// Resume from a checkpoint, a seeded collection, AutoRL steps with its search space, and a study. Nothing under src/
/// names it (checked below), which is the point: adding an algorithm touches nothing shared.
/// </summary>
public sealed class CustomAlgorithmTests : IDisposable
{
    private static readonly ExperimentServices Services = new(logging: NullLoggerFactory.Instance);
    private readonly TempDir _dir = new();

    /// <summary>The one registration line (here in a module initializer, so every test of the assembly sees it).</summary>
    [ModuleInitializer]
    internal static void Register() => AlgorithmRegistry.Default.Register(new LinearPgModule());

    public void Dispose() => _dir.Dispose();

    private static EnvFactory CartPole => new() { EnvId = "CartPole-v1" };

    private LinearPgExperimentBuilder Builder(string name, int epochs = 4, ExperimentConfig? config = null) =>
        new LinearPgExperimentBuilder(CartPole,
                config ?? new ExperimentConfig { Seed = 3, PersistenceBaseDir = _dir.Path, Watch = false },
                new SamplingConfig { NumEpochs = epochs, EpochNumSteps = 1_000, NumTestEpisodes = 3 })
            .WithLinearPgParams(new LinearPgParams { NumSteps = 250, LearningRate = 0.1 })
            .WithServices(Services)
            .WithName(name);

    [Fact]
    public void Build_validates_the_params_the_spaces_and_the_sampling_config_by_name()
    {
        var badParams = () => Builder("x").WithLinearPgParams(new LinearPgParams { LearningRate = -1 }).Build();
        badParams.Should().Throw<ArgumentException>().WithMessage("LinearPgParams.LearningRate*-1*(0, 10]*");

        var continuous = () => new LinearPgExperimentBuilder(new EnvFactory { EnvId = "Pendulum-v1" }).WithServices(Services).Build();
        continuous.Should().Throw<ArgumentException>().WithMessage("LinearPG needs a Discrete action space, but Pendulum-v1 has Box*");

        var offPolicySetting = () => new LinearPgExperimentBuilder(CartPole, samplingConfig: new SamplingConfig { BufferSize = 100 }).WithServices(Services).Build();
        offPolicySetting.Should().Throw<ArgumentException>().WithMessage("SamplingConfig.BufferSize = 100 does not apply to LinearPG (LinearPG is on-policy*");
    }

    [Fact]
    public void It_runs_saves_itself_and_restores_from_its_directory()
    {
        using var result = Builder("run").Build().Run();
        result.TrainerResult!.GradientSteps.Should().Be(16, "4 epochs of 1,000 steps in rollouts of 250 steps");
        var json = File.ReadAllText(Path.Combine(result.Directory!, Experiment.FileName));
        json.Should().Contain("\"$type\": \"LinearPgAlgorithmFactory\"").And.Contain("\"learningRate\": 0.1");
        File.ReadAllText(Path.Combine(result.Directory!, CsvWriter.DefaultFileName)).Should().Contain("train/policy_loss");
        SafeTensors.Load(Path.Combine(result.Directory!, "policy.safetensors")).Tensors.Keys.Should().BeEquivalentTo("policy.weight", "policy.bias");

        var restored = Experiment.FromDirectory(result.Directory!, services: Services);
        restored.Definition.Should().Be(Builder("run").Build().Definition with { Config = restored.Config });
        using var replay = restored.WithConfig(c => c with { Train = false, PersistenceEnabled = false }).Run();
        replay.PolicyTestReturn.Should().Be(result.PolicyTestReturn, "the restored policy is the saved one, evaluated on the same seeds");
    }

    [Fact]
    public void It_learns_on_CartPole()
    {
        // REINFORCE on a linear policy: random play lasts ~20 steps; after 50,000 steps the greedy policy lasts far longer.
        using var result = Builder("learn", epochs: 50).WithLinearPgParams(new LinearPgParams { NumSteps = 500, LearningRate = 1.0 }).Build().Run();
        result.PolicyTestReturn.Should().BeGreaterThan(200, "399 with this seed; random play gives ~20");
    }

    [Fact]
    public void A_crashed_run_resumes_from_its_checkpoint_exactly()
    {
        var config = new ExperimentConfig { Seed = 5, PersistenceBaseDir = _dir.Path, Watch = false, CheckpointEveryEpochs = 1 };
        using (Builder("straight", config: config).Build().Run()) { }

        var crash = () => Builder("crashed", config: config)
            .WithEpochTrainCallback((epoch, _, _) =>
            {
                if (epoch == 3) throw new InvalidOperationException("simulated crash in epoch 3");
            })
            .Build().Run();
        crash.Should().Throw<InvalidOperationException>().WithMessage("simulated crash*");

        var dir = Path.Combine(_dir.Path, "crashed");
        using (var resumed = Experiment.FromDirectory(dir, restorePolicy: false, services: Services).Resume())
            resumed.TrainerResult!.Epochs.Should().Be(4);

        Rows(Path.Combine(_dir.Path, "straight")).Should().Equal(Rows(dir));
        var a = SafeTensors.Load(Path.Combine(_dir.Path, "straight", "policy_final.safetensors")).Tensors;
        var b = SafeTensors.Load(Path.Combine(dir, "policy_final.safetensors")).Tensors;
        foreach (var key in a.Keys) b[key].ToArray().Should().Equal(a[key].ToArray());
    }

    [Fact]
    public void A_seeded_collection_runs_every_seed()
    {
        var collection = Builder("collection", epochs: 1).BuildSeededCollection(2);
        var result = collection.Run();
        result.Runs.Should().HaveCount(2).And.OnlyContain(r => r.Status == Experiments.Collections.CollectionRunStatus.Succeeded);
        result.Runs.Select(r => r.Seed).Distinct().Should().HaveCount(2);
        result.Runs.Select(r => r.Summary!.Algorithm).Should().AllBe("LinearPG");
    }

    [Fact]
    public void AutoRL_steps_train_it_with_configurations_of_its_search_space()
    {
        using var env = new AutoRLEnv(new AutoRLEnvConfig
        {
            EnvId = "CartPole-v1", Algorithm = "linearpg", NumEnvs = 2, NSteps = 2, NTotalTimesteps = 1_000, NEvalSteps = 1, NEvalEpisodes = 2,
            Basis = new LinearPgAlgorithmFactory { Params = new LinearPgParams { NumSteps = 100 } },
        });
        env.ConfigSpace.Hyperparameters.Select(h => h.Name).Should().Equal("learning_rate", "gamma");
        env.Reset();
        var first = env.Step(env.ConfigSpace.Default);
        first.Info.EnvSteps.Should().Be(1_000);
        var second = env.Step(env.ConfigSpace.Default.With("learning_rate", 0.5));
        second.Truncated.Should().BeTrue();
        second.Info.EnvSteps.Should().Be(2_000, "the second step continues the first one's agent");
        ((LinearPgAgent)env.Agent!).Params.LearningRate.Should().Be(0.5);
        ((LinearPgAgent)env.Agent!).GradientSteps.Should().Be(10);

        var unknown = () => env.Step(new Configuration(new Dictionary<string, object> { ["clip_eps"] = 0.2 }));
        env.Reset();
        unknown.Should().Throw<ConfigurationValidationException>().WithMessage("*'clip_eps' is not a hyperparameter of linearpg here; allowed: learning_rate, gamma*");
    }

    [Fact]
    public void A_study_tunes_it_through_AutoRL_and_its_best_configuration_goes_back_into_the_experiment()
    {
        var experiment = Builder("tuned", epochs: 1).Build();
        var environment = AutoRLEnvConfig.FromExperiment(experiment);
        environment.Algorithm.Should().Be("LinearPG");
        var objective = new AutoRLObjectiveFunction(environment, totalTimesteps: 1_000, new NopPruner());
        var study = new HyperparameterOptimizer(new HyperparameterOptimizerOptions
        {
            StudyDirectory = Path.Combine(_dir.Path, "study"), NTrials = 3, Sampler = SamplerKind.Random, Pruner = new NopPruner(), Seed = 1,
        }).Optimize(new LinearPgModule().SearchSpace(), objective.Evaluate);
        study.Trials.Should().HaveCount(3).And.OnlyContain(t => t.State == TrialState.Complete);
        File.Exists(Path.Combine(_dir.Path, "study", "best_params.json")).Should().BeTrue();

        var tuned = experiment.WithHyperparameters(study.BestConfiguration!);
        ((LinearPgAlgorithmFactory)tuned.Definition.Algorithm).Params.LearningRate.Should().Be((double)study.BestConfiguration!["learning_rate"]);
    }

    [Fact]
    public void Nothing_under_src_names_the_test_algorithm()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "RlExperiments.sln"))) root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("no repository root");
        var named = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Where(f => File.ReadAllText(f).Contains("LinearPg", StringComparison.OrdinalIgnoreCase));
        named.Should().BeEmpty();
    }

    /// <summary>progress.csv without the wall-clock column.</summary>
    private static List<string> Rows(string dir)
    {
        var lines = File.ReadAllLines(Path.Combine(dir, CsvWriter.DefaultFileName));
        var skip = Array.IndexOf(lines[0].Split(','), "train/steps_per_second");
        return lines.Select(l => string.Join(",", l.Split(',').Where((_, i) => i != skip))).ToList();
    }
}
