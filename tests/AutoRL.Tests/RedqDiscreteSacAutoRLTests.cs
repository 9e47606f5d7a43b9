using RlExperiments.Agents.Algorithms.DiscreteSac;
using RlExperiments.Agents.Algorithms.Redq;
using RlExperiments.AutoRL;
using RlExperiments.Experiments.Algorithms.DiscreteSac;
using RlExperiments.Experiments.Algorithms.Redq;
using RlExperiments.Experiments.Tests.Experiment;
using RlExperiments.Tuning;

namespace RlExperiments.AutoRL.Tests;

/// <summary>REDQ and discrete SAC through their modules in the AutoRL environment and a hyperparameter study.</summary>
public sealed class RedqDiscreteSacAutoRLTests
{
    private static AutoRLEnvConfig Config(string envId, string algorithm, Experiments.Algorithms.AlgorithmFactory basis) => new()
    {
        EnvId = envId, Algorithm = algorithm, NumEnvs = 1, NSteps = 2, NTotalTimesteps = 300, NEvalSteps = 1, NEvalEpisodes = 1,
        EnvKwargs = new Dictionary<string, object?> { ["max_episode_steps"] = 50 }, Basis = basis,
    };

    private static AutoRLEnvConfig Redq => Config("Pendulum-v1", "REDQ",
        new REDQAlgorithmFactory { Params = new RedqParams { EnsembleSize = 4, GradientSteps = 2, ActorDelay = 2, BatchSize = 32 } }.WithNetArch([16]));

    private static AutoRLEnvConfig DiscreteSac => Config("CartPole-v1", "DiscreteSAC",
        new DiscreteSACAlgorithmFactory { Params = new DiscreteSacParams { BatchSize = 32 } }.WithNetArch([16]));

    [Fact]
    public void Both_train_step_by_step_with_configurations_of_their_spaces()
    {
        using (var redq = new AutoRLEnv(Redq))
        {
            redq.ConfigSpace.TryGet("subset_size", out _).Should().BeTrue();
            redq.Reset();
            var c = new Configuration(new Dictionary<string, object> { ["learning_starts"] = 100L, ["buffer_size"] = 1000L, ["target_mode"] = "mean" });
            redq.Step(c);
            var last = redq.Step(c);
            last.Truncated.Should().BeTrue();
            last.Info.GradientSteps.Should().Be(2 * (2 * 300 - 100), "two critic steps per environment step after the warm-up, over both AutoRL steps of 300");
            ((RedqAgent)redq.Agent!).Params.TargetMode.Should().Be(RedqTargetMode.Mean);
        }
        using var dsac = new AutoRLEnv(DiscreteSac);
        dsac.Reset();
        var d = new Configuration(new Dictionary<string, object> { ["learning_starts"] = 50L, ["alpha_auto"] = false, ["alpha"] = 0.05 });
        dsac.Step(d);
        var end = dsac.Step(d);
        end.Truncated.Should().BeTrue();
        end.Info.GradientSteps.Should().BeGreaterThan(0);
        ((DiscreteSacAgent)dsac.Agent!).Alpha.Should().Be(0.05);
        double.IsFinite(end.Objectives["reward_mean"]).Should().BeTrue();
    }

    [Theory]
    [InlineData("REDQ")]
    [InlineData("DiscreteSAC")]
    public void A_study_tunes_each_through_AutoRL(string algorithm)
    {
        using var dir = new TempDir();
        var (config, space) = algorithm == "REDQ"
            ? (Redq, new RedqModule().AutoRLSpace())
            : (DiscreteSac, new DiscreteSacModule().AutoRLSpace());
        var objective = new AutoRLObjectiveFunction(config, totalTimesteps: 300, new NopPruner());
        var study = new HyperparameterOptimizer(new HyperparameterOptimizerOptions
        {
            StudyDirectory = Path.Combine(dir.Path, "study"), NTrials = 2, Sampler = SamplerKind.Random, Pruner = new NopPruner(), Seed = 1,
        }).Optimize(space.Without("buffer_size", "learning_starts", "gradient_steps", "train_freq", "buffer_batch_size"), objective.Evaluate);
        study.Trials.Should().HaveCount(2).And.OnlyContain(t => t.State == TrialState.Complete);
        File.Exists(Path.Combine(dir.Path, "study", "best_params.json")).Should().BeTrue();
    }
}
