using RlExperiments.Core;
using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Experiments.Algorithms;
using RlExperiments.AutoRL;
using RlExperiments.Experiments.Collections;
using RlExperiments.Experiments.Tests.Experiment;
using RlExperiments.Tuning;
using RlExperiments.Experiments.Algorithms.Dqn;
using RlExperiments.Manager;

namespace RlExperiments.Manager.Tests;

public class AutoRLTuningTests
{
    [Fact]
    public void Segments_end_on_the_successive_halving_rungs_below_the_budget_then_at_the_budget()
    {
        AutoRLObjectiveFunction.SegmentEnds(10_000, new SuccessiveHalvingPruner(1000, 3)).Should().Equal(1000, 3000, 9000, 10_000);
        AutoRLObjectiveFunction.SegmentEnds(9000, new SuccessiveHalvingPruner(1000, 3)).Should().Equal(1000, 3000, 9000);
        AutoRLObjectiveFunction.SegmentEnds(10_000, new NopPruner()).Should().Equal(10_000);
        AutoRLObjectiveFunction.SegmentEnds(10_000, null).Should().Equal(10_000);
        var tooShort = () => new AutoRLObjectiveFunction(new AutoRLEnvConfig { NumEnvs = 10 }, 1000, new SuccessiveHalvingPruner(20, 3), evaluationsPerSegment: 5);
        tooShort.Should().Throw<ArgumentException>().WithMessage("*ending at 20 *20 steps long*5 evaluations with 10 environments*at least 50*");
        AutoRLObjectiveFunction.SegmentEnds(50_000, new SuccessiveHalvingPruner(16_666, 3)).Should().Equal(new long[] { 16_666, 50_000 },
            "the rung at 49,998 would leave a 2-step segment; the report at 50,000 counts for it");
    }

    [Fact]
    public void The_experiment_becomes_an_autorl_setup_with_its_environment_params_and_budget()
    {
        using var dir = new TempDir();
        var experiment = Tiny.Dqn(dir.Path, epochs: 2).Build();
        var config = AutoRLEnvConfig.FromExperiment(experiment);
        config.EnvId.Should().Be("CartPole-v1");
        config.EnvKwargs.Should().ContainKey("max_episode_steps");
        config.Algorithm.Should().Be("DQN");
        var basis = (DQNAlgorithmFactory)config.Basis!;
        var dqn = basis.Params;
        config.NTotalTimesteps.Should().Be(400);
        config.NSteps.Should().Be(1);
        dqn.BufferSize.Should().Be(1000, "the sampling config's buffer size is applied");
        dqn.BatchSize.Should().Be(16);
        ((RlExperiments.Factories.Models.QNetworkFactoryDefault)basis.ModelFactory).HiddenSizes.Should().Equal([16], "the experiment's model factory is kept");
        config.Seed.Should().Be(experiment.Config.Seed);
    }

    [Fact]
    public void Optimize_hyperparams_runs_the_trials_reports_each_rung_and_returns_the_tuned_experiment()
    {
        using var dir = new TempDir();
        var experiment = Tiny.Dqn(dir.Path, epochs: 3).Build();
        var manager = new ExperimentManager(experiment, nFit: 2, outputDir: dir.Path);
        var space = new ConfigurationSpace("lr")
            .Add(new FloatHyperparameter("learning_rate", 1e-5, 1e-2, 1e-3, log: true), new FloatHyperparameter("gamma", 0.9, 0.999, 0.99));
        var result = manager.OptimizeHyperparams(space, nTrials: 5, nFit: 2, sampler: SamplerKind.Random,
            pruner: new SuccessiveHalvingPruner(minResource: 200, reductionFactor: 3));

        var study = result.Study;
        study.Trials.Should().HaveCount(5);
        study.Directory.Should().Be(Path.Combine(manager.Directory, "optim"));
        File.Exists(Path.Combine(study.Directory, "best_params.json")).Should().BeTrue();
        study.Trials.Where(t => t.State == TrialState.Complete).Should().NotBeEmpty();
        foreach (var t in study.Trials.Where(t => t.State == TrialState.Complete))
            t.IntermediateValues.Select(v => v.Step).Should().Equal(200L, 600L);
        foreach (var t in study.Trials.Where(t => t.State == TrialState.Pruned))
            t.IntermediateValues.Select(v => v.Step).Should().Equal(200L);

        var best = study.BestConfiguration!;
        var tuned = (DQNAlgorithmFactory)result.TunedExperiment!.Definition.Algorithm;
        tuned.Params.LearningRate.Should().Be(best.GetDouble("learning_rate"));
        tuned.Params.Gamma.Should().Be(best.GetDouble("gamma"));
        tuned.Params.TargetUpdateInterval.Should().Be(((DQNAlgorithmFactory)experiment.Definition.Algorithm).Params.TargetUpdateInterval, "keys the space lacks keep the experiment's values");
        result.TunedExperiment.Config.Seed.Should().Be(manager.Seed);

        // The value of a complete trial is the mean over its seeds of the last evaluation, which is also its last report.
        foreach (var t in study.Trials.Where(t => t.State == TrialState.Complete))
            t.Value.Should().Be(t.IntermediateValues[^1].Value);

        // The manager itself now holds the tuned experiment (rlberry updates init_kwargs): same seeds, tuned params.
        manager.Seeds.Should().Equal(SeedStreams.RunSeeds(experiment.Config.Seed, 2));
        foreach (var instance in manager.Collection.Experiments)
        {
            var p = ((DQNAlgorithmFactory)instance.Definition.Algorithm).Params;
            p.LearningRate.Should().Be(best.GetDouble("learning_rate"));
            p.Gamma.Should().Be(best.GetDouble("gamma"));
        }
    }

    [Fact]
    public void A_fitted_manager_keeps_its_fitted_instances_when_it_optimises()
    {
        using var dir = new TempDir();
        var experiment = Tiny.Dqn(dir.Path, epochs: 1).Build();
        var manager = new ExperimentManager(experiment, nFit: 1, outputDir: dir.Path);
        manager.Fit();
        var fitted = manager.Collection.Experiments.ToList();
        var before = fitted.Select(e => ((DQNAlgorithmFactory)e.Definition.Algorithm).Params.LearningRate).ToList();
        var space = new ConfigurationSpace("lr").Add(new FloatHyperparameter("learning_rate", 1e-5, 1e-2, 1e-3, log: true));

        var result = manager.OptimizeHyperparams(space, nTrials: 2, nFit: 1, sampler: SamplerKind.Random);

        result.TunedExperiment.Should().NotBeNull();
        ((DQNAlgorithmFactory)result.TunedExperiment!.Definition.Algorithm).Params.LearningRate
            .Should().Be(result.Study.BestConfiguration!.GetDouble("learning_rate"));
        manager.Collection.Experiments.Should().Equal(fitted, "the fitted instances (and their results) stay the manager's");
        manager.Collection.Experiments.Select(e => ((DQNAlgorithmFactory)e.Definition.Algorithm).Params.LearningRate).Should().Equal(before);
    }

    [Fact]
    public void Optimize_hyperparams_takes_a_custom_evaluation_function_and_maximises_it()
    {
        using var dir = new TempDir();
        var experiment = Tiny.Dqn(dir.Path, epochs: 1).Build();
        var manager = new ExperimentManager(experiment, nFit: 2, outputDir: dir.Path);
        var space = new ConfigurationSpace("lr").Add(new FloatHyperparameter("learning_rate", 1e-5, 1e-2, 1e-3, log: true));
        var calls = new List<(double Lr, int Seed)>();
        // An objective of one's own: prefer the smallest learning rate (read from the trial's experiment), and check the run happened.
        double Evaluate(RlExperiments.Experiments.Experiment run, RlExperiments.Experiments.ExperimentResult result)
        {
            result.TrainerResult.Should().NotBeNull();
            var lr = ((DQNAlgorithmFactory)run.Definition.Algorithm).Params.LearningRate;
            lock (calls) calls.Add((lr, run.Config.Seed));
            return -lr;
        }
        var result = manager.OptimizeHyperparams(space, nTrials: 4, nFit: 2, sampler: SamplerKind.Random, evaluationFunction: Evaluate);

        var study = result.Study;
        study.Trials.Should().HaveCount(4).And.OnlyContain(t => t.State == TrialState.Complete);
        calls.Should().HaveCount(8, "each trial runs once per seed");
        foreach (var t in study.Trials)
            t.Value.Should().Be(-t.Configuration.GetDouble("learning_rate"));
        var smallest = study.Trials.Min(t => t.Configuration.GetDouble("learning_rate"));
        study.BestConfiguration!.GetDouble("learning_rate").Should().Be(smallest);
        ((DQNAlgorithmFactory)manager.Collection.Experiments[0].Definition.Algorithm).Params.LearningRate.Should().Be(smallest);
        Directory.Exists(Path.Combine(manager.Directory, "seed_" + manager.Seeds[0])).Should().BeFalse("trial runs are not persisted");
    }

    [Fact]
    public void An_existing_study_is_refused_naming_the_methods_continuePrevious_parameter()
    {
        using var dir = new TempDir();
        var manager = new ExperimentManager(Tiny.Dqn(dir.Path, epochs: 2).Build(), nFit: 2, outputDir: dir.Path, outputDirIdStyle: OutputDirIdStyle.None);
        var optim = Path.Combine(manager.Directory, "optim");
        Directory.CreateDirectory(optim);
        var db = Path.Combine(optim, SqliteStudyStorage.FileName);
        File.WriteAllText(db, "not touched");
        var again = () => manager.OptimizeHyperparams(nTrials: 1);
        again.Should().Throw<InvalidOperationException>()
            .Where(e => e.Message.Contains("continuePrevious: true", StringComparison.Ordinal) && !e.Message.Contains("ContinuePrevious", StringComparison.Ordinal))
            .WithMessage($"*'{optim}' already holds a study*studyDirectory:*");
        File.ReadAllText(db).Should().Be("not touched");
    }

    [Fact]
    public void Best_params_json_goes_straight_into_a_builder()
    {
        using var dir = new TempDir();
        var path = dir.Combine("best_params.json");
        File.WriteAllText(path, new Configuration(new Dictionary<string, object> { ["learning_rate"] = 7e-4, ["gamma"] = 0.95, ["train_freq"] = 8L }).ToJson());
        var experiment = Tiny.Dqn(dir.Path).WithHyperparameters(Configuration.FromJson(File.ReadAllText(path))).Build();
        var p = ((DQNAlgorithmFactory)experiment.Definition.Algorithm).Params;
        p.LearningRate.Should().Be(7e-4);
        p.Gamma.Should().Be(0.95);
        p.TrainFreq.Should().Be(8);
        p.TargetUpdateInterval.Should().Be(50, "keys the configuration lacks keep the builder's params");

        var wrong = () => Tiny.Dqn(dir.Path).WithHyperparameters(new Configuration(new Dictionary<string, object> { ["clip_eps"] = 0.2 })).Build();
        wrong.Should().Throw<ArgumentException>().WithMessage("*clip_eps*");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_builder_refuses_normalize_observations_for_dqn_by_name_and_writes_nothing(bool value)
    {
        // Issue 16, item 7: the key used to be type-checked and then ignored.
        using var dir = new TempDir();
        var build = () => Tiny.Dqn(dir.Path).WithHyperparameters(new Configuration(new Dictionary<string, object> { ["normalize_observations"] = value })).Build();
        build.Should().Throw<ArgumentException>().WithMessage($"*'normalize_observations' = {value}*not supported by DQN*allowed: no such key*");
        Directory.EnumerateFileSystemEntries(dir.Path).Should().BeEmpty("a refused build writes nothing");
    }
}
