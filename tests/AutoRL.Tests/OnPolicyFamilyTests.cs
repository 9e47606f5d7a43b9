using RlExperiments.Agents.Algorithms.A2c;
using RlExperiments.Agents.Algorithms.Npg;
using RlExperiments.Agents.Algorithms.Pg;
using RlExperiments.Agents.Algorithms.Trpo;
using RlExperiments.Experiments;
using RlExperiments.Experiments.Algorithms;
using RlExperiments.Experiments.Builders;
using RlExperiments.Experiments.Algorithms.A2c;
using RlExperiments.Experiments.Algorithms.Npg;
using RlExperiments.Experiments.Algorithms.Pg;
using RlExperiments.Experiments.Algorithms.Trpo;
using RlExperiments.Experiments.Collections;
using RlExperiments.Experiments.Tests.Experiment;
using RlExperiments.Tuning;

namespace RlExperiments.AutoRL.Tests;

/// <summary>PG, A2C, NPG and TRPO go through their modules everywhere an algorithm is used: a seeded collection, AutoRLEnv steps and a study.</summary>
public sealed class OnPolicyFamilyTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static SamplingConfig Sampling => new() { NumEpochs = 1, EpochNumSteps = 128, StepPerCollect = 64, NumTestEpisodes = 2 };

    private PGExperimentBuilder Pg(string name) => new PGExperimentBuilder(Tiny.CartPole, Tiny.Config(_dir.Path), Sampling)
        .WithPGParams(new PgParams()).WithActorFactoryDefault([16]).WithServices(Tiny.Services).WithName(name);

    private A2CExperimentBuilder A2c(string name) => new A2CExperimentBuilder(Tiny.CartPole, Tiny.Config(_dir.Path), Sampling with { StepPerCollect = 8 })
        .WithA2CParams(new A2cParams()).WithActorFactoryDefault([16]).WithCriticFactoryDefault([16]).WithServices(Tiny.Services).WithName(name);

    private NPGExperimentBuilder Npg(string name) => new NPGExperimentBuilder(Tiny.CartPole, Tiny.Config(_dir.Path), Sampling)
        .WithNPGParams(new NpgParams()).WithActorFactoryDefault([16]).WithCriticFactoryDefault([16]).WithServices(Tiny.Services).WithName(name);

    private TRPOExperimentBuilder Trpo(string name) => new TRPOExperimentBuilder(Tiny.CartPole, Tiny.Config(_dir.Path), Sampling)
        .WithTRPOParams(new TrpoParams()).WithActorFactoryDefault([16]).WithCriticFactoryDefault([16]).WithServices(Tiny.Services).WithName(name);

    private Experiments.Experiment Build(string algorithm, string name) => algorithm switch
    {
        "PG" => Pg(name).Build(),
        "A2C" => A2c(name).Build(),
        "NPG" => Npg(name).Build(),
        "TRPO" => Trpo(name).Build(),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };

    private ExperimentCollection SeededCollection(string algorithm, int seeds) => algorithm switch
    {
        "PG" => Pg("c").BuildSeededCollection(seeds),
        "A2C" => A2c("c").BuildSeededCollection(seeds),
        "NPG" => Npg("c").BuildSeededCollection(seeds),
        "TRPO" => Trpo("c").BuildSeededCollection(seeds),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };

    private static AlgorithmFactory SmallBasis(string algorithm) => algorithm switch
    {
        "PG" => new PGAlgorithmFactory { Params = new PgParams { NumSteps = 50 } }.WithNetArch([16]),
        "A2C" => new A2CAlgorithmFactory { Params = new A2cParams { NumSteps = 10 } }.WithNetArch([16]),
        "NPG" => new NPGAlgorithmFactory { Params = new NpgParams { NumSteps = 50 } }.WithNetArch([16]),
        "TRPO" => new TRPOAlgorithmFactory { Params = new TrpoParams { NumSteps = 50 } }.WithNetArch([16]),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };

    private static ConfigurationSpace SearchSpace(string algorithm) => AlgorithmRegistry.Default.Get(algorithm.ToLowerInvariant()).SearchSpace();

    [Theory]
    [InlineData("PG")]
    [InlineData("A2C")]
    [InlineData("NPG")]
    [InlineData("TRPO")]
    public void A_seeded_collection_runs_every_seed(string algorithm)
    {
        var result = SeededCollection(algorithm, 2).Run();
        result.Runs.Should().HaveCount(2).And.OnlyContain(r => r.Status == CollectionRunStatus.Succeeded);
        result.Runs.Select(r => r.Seed).Distinct().Should().HaveCount(2);
        result.Runs.Select(r => r.Summary!.Algorithm).Should().AllBe(algorithm);
    }

    [Theory]
    [InlineData("PG")]
    [InlineData("A2C")]
    [InlineData("NPG")]
    [InlineData("TRPO")]
    public void AutoRL_steps_continue_the_agent_and_apply_a_changed_hyperparameter(string algorithm)
    {
        using var env = new AutoRLEnv(new AutoRLEnvConfig
        {
            EnvId = "CartPole-v1", Algorithm = algorithm, NumEnvs = 2, NSteps = 2, NTotalTimesteps = 400, NEvalSteps = 1, NEvalEpisodes = 2,
            EnvKwargs = new Dictionary<string, object?> { ["max_episode_steps"] = 50 }, Basis = SmallBasis(algorithm),
        });
        env.ConfigSpace.TryGet("learning_rate", out _).Should().BeTrue();
        env.Reset();
        var first = env.Step(env.ConfigSpace.Default);
        first.Info.GradientSteps.Should().BeGreaterThan(0);
        var second = env.Step(env.ConfigSpace.Default.With("learning_rate", 0.0123));
        second.Truncated.Should().BeTrue();
        second.Info.EnvSteps.Should().Be(2 * first.Info.EnvSteps, "the second step continues the first one's agent");
        double.IsFinite(second.Objectives["reward_mean"]).Should().BeTrue();
        var optimizer = env.Agent switch
        {
            PgAgent a => a.Optimizer,
            A2cAgent a => a.Optimizer,
            NpgAgent a => a.Optimizer,
            TrpoAgent a => a.Optimizer,
            var other => throw new InvalidOperationException(other?.GetType().Name),
        };
        optimizer.LearningRate.Should().BeApproximately(0.0123, 1e-12);
    }

    [Theory]
    [InlineData("PG")]
    [InlineData("A2C")]
    [InlineData("NPG")]
    [InlineData("TRPO")]
    public void A_study_tunes_it_and_the_best_configuration_goes_back_into_the_experiment(string algorithm)
    {
        var experiment = Build(algorithm, "tuned");
        var environment = AutoRLEnvConfig.FromExperiment(experiment);
        environment.Algorithm.Should().Be(algorithm);
        var objective = new AutoRLObjectiveFunction(environment, totalTimesteps: 256, new NopPruner());
        var study = new HyperparameterOptimizer(new HyperparameterOptimizerOptions
        {
            StudyDirectory = Path.Combine(_dir.Path, "study"), NTrials = 2, Sampler = SamplerKind.Random, Pruner = new NopPruner(), Seed = 1,
        }).Optimize(SearchSpace(algorithm), objective.Evaluate);
        study.Trials.Should().HaveCount(2).And.OnlyContain(t => t.State == TrialState.Complete);
        var tuned = experiment.WithHyperparameters(study.BestConfiguration!);
        tuned.Definition.Algorithm.Should().NotBe(experiment.Definition.Algorithm, "the sampled learning rate, gamma, ... replace the builder's");
        var lr = (double)study.BestConfiguration!["learning_rate"]!;
        var tunedLr = tuned.Definition.Algorithm switch
        {
            PGAlgorithmFactory f => f.Params.LearningRate,
            A2CAlgorithmFactory f => f.Params.LearningRate,
            NPGAlgorithmFactory f => f.Params.LearningRate,
            TRPOAlgorithmFactory f => f.Params.LearningRate,
            var other => throw new InvalidOperationException(other?.GetType().Name),
        };
        tunedLr.Should().Be(lr);
    }
}
