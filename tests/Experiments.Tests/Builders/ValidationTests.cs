using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Agents.Algorithms.Sac;
using RlExperiments.Experiments.Builders;
using RlExperiments.Experiments.Callbacks;
using RlExperiments.Experiments.Tests.Experiment;
using RlExperiments.Factories;
using RlExperiments.Factories.Models;
using RlExperiments.Factories.Optim;
using RlExperiments.Experiments.Algorithms.Dqn;
using RlExperiments.Experiments.Algorithms.Ppo;
using RlExperiments.Experiments.Algorithms.Sac;

namespace RlExperiments.Experiments.Tests.Builders;

/// <summary>Every invalid setting fails at Build() with a message naming the field (and the allowed values).</summary>
public class ValidationTests
{
    private const string Dir = "unused-base-dir";

    private static void Fails(Func<Experiments.Experiment> build, string message, string? paramName = null)
    {
        var ex = build.Should().Throw<ArgumentException>().WithMessage(message).Which;
        if (paramName is not null) ex.ParamName.Should().Be(paramName);
        Directory.Exists(Dir).Should().BeFalse("a failed Build() creates nothing");
    }

    private static SamplingConfig S(Func<SamplingConfig, SamplingConfig> change) => change(Tiny.DqnSampling());

    [Fact]
    public void ExperimentConfig_fields() {
        Fails(() => new DQNExperimentBuilder(Tiny.CartPole, Tiny.Config(Dir) with { Device = "cuda" }, Tiny.DqnSampling()).Build(),
            "ExperimentConfig.Device = \"cuda\" is invalid; allowed: \"cpu\"*", "Device");
        Fails(() => new DQNExperimentBuilder(Tiny.CartPole, Tiny.Config(Dir) with { WatchNumEpisodes = 0 }, Tiny.DqnSampling()).Build(),
            "ExperimentConfig.WatchNumEpisodes = 0 is invalid; allowed: an integer ≥ 1*", "WatchNumEpisodes");
        Fails(() => new DQNExperimentBuilder(Tiny.CartPole, Tiny.Config(Dir) with { PersistenceBaseDir = " " }, Tiny.DqnSampling()).Build(),
            "ExperimentConfig.PersistenceBaseDir*non-empty*", "PersistenceBaseDir");
        Fails(() => new DQNExperimentBuilder(Tiny.CartPole, Tiny.Config(Dir) with { PolicyRestoreDirectory = "no-such-dir" }, Tiny.DqnSampling()).Build(),
            "ExperimentConfig.PolicyRestoreDirectory = \"no-such-dir\" is invalid*", "PolicyRestoreDirectory");
        Fails(() => new DQNExperimentBuilder(Tiny.CartPole, Tiny.Config(Dir) with { PolicyPersistenceMode = (PolicyPersistenceMode)9 }, Tiny.DqnSampling()).Build(),
            "ExperimentConfig.PolicyPersistenceMode = 9 is invalid*", "PolicyPersistenceMode");
    }

    [Theory]
    [InlineData("NumEpochs", "an integer ≥ 1")]
    [InlineData("EpochNumSteps", "an integer ≥ 1")]
    [InlineData("BatchSize", "an integer ≥ 1")]
    [InlineData("NumTrainEnvs", "an integer ≥ 1")]
    [InlineData("NumTestEnvs", "an integer ≥ 1")]
    [InlineData("NumTestEpisodes", "an integer ≥ 0")]
    [InlineData("BufferSize", "an integer ≥ 1")]
    [InlineData("StartTimesteps", "an integer ≥ 0")]
    public void SamplingConfig_ranges(string field, string allowed)
    {
        var sampling = field switch
        {
            "NumEpochs" => S(s => s with { NumEpochs = 0 }),
            "EpochNumSteps" => S(s => s with { EpochNumSteps = 0 }),
            "BatchSize" => S(s => s with { BatchSize = 0 }),
            "NumTrainEnvs" => S(s => s with { NumTrainEnvs = 0 }),
            "NumTestEnvs" => S(s => s with { NumTestEnvs = 0 }),
            "NumTestEpisodes" => S(s => s with { NumTestEpisodes = -1 }),
            "BufferSize" => S(s => s with { BufferSize = 0 }),
            _ => S(s => s with { StartTimesteps = -1 }),
        };
        Fails(() => new DQNExperimentBuilder(Tiny.CartPole, Tiny.Config(Dir), sampling).Build(), $"SamplingConfig.{field} = * is invalid; allowed: {allowed}*", field);
    }

    [Fact]
    public void StepPerCollect_must_divide_among_the_training_envs() =>
        Fails(() => new DQNExperimentBuilder(Tiny.CartPole, Tiny.Config(Dir), S(s => s with { NumTrainEnvs = 4, StepPerCollect = 10 })).Build(),
            "SamplingConfig.StepPerCollect = 10 is invalid; allowed: a multiple of NumTrainEnvs (4)*", "StepPerCollect");

    [Fact]
    public void Settings_that_do_not_apply_to_the_algorithm_are_rejected_by_name()
    {
        Fails(() => new DQNExperimentBuilder(Tiny.CartPole, Tiny.Config(Dir), S(s => s with { RepeatPerCollect = 4 })).Build(),
            "SamplingConfig.RepeatPerCollect = 4 does not apply to DQN*allowed: null*", "RepeatPerCollect");
        Fails(() => new DQNExperimentBuilder(Tiny.CartPole, Tiny.Config(Dir), S(s => s with { EpisodePerCollect = 2 })).Build(),
            "SamplingConfig.EpisodePerCollect = 2 does not apply to DQN*StepPerCollect*", "EpisodePerCollect");
        Fails(() => new SACExperimentBuilder(Tiny.Pendulum, Tiny.Config(Dir), new SamplingConfig { StartTimestepsRandom = false }).Build(),
            "SamplingConfig.StartTimestepsRandom = false is not supported by SAC*", "StartTimestepsRandom");
        Fails(() => new PPOExperimentBuilder(Tiny.CartPole, Tiny.Config(Dir), new SamplingConfig { BufferSize = 1000 }).Build(),
            "SamplingConfig.BufferSize = 1000 does not apply to PPO*", "BufferSize");
        Fails(() => new PPOExperimentBuilder(Tiny.CartPole, Tiny.Config(Dir), new SamplingConfig { UpdatePerStep = 1 }).Build(),
            "SamplingConfig.UpdatePerStep = 1 does not apply to PPO*", "UpdatePerStep");
        Fails(() => new PPOExperimentBuilder(Tiny.CartPole, Tiny.Config(Dir), new SamplingConfig { StartTimesteps = 10 }).Build(),
            "SamplingConfig.StartTimesteps = 10 does not apply to PPO*", "StartTimesteps");
        Fails(() => new PPOExperimentBuilder(Tiny.CartPole, Tiny.Config(Dir), new SamplingConfig { StartTimestepsRandom = true }).Build(),
            "SamplingConfig.StartTimestepsRandom = true does not apply to PPO*", "StartTimestepsRandom");
    }

    [Fact]
    public void Params_fields_are_named_with_their_record()
    {
        Fails(() => Tiny.Dqn(Dir).WithDQNParams(new DqnParams { LearningRate = -1 }).Build(), "DqnParams.LearningRate*", "LearningRate");
        Fails(() => Tiny.Ppo(Dir).WithPPOParams(new PpoParams { Gamma = 2 }).Build(), "PpoParams.Gamma*[0, 1]*", "Gamma");
        Fails(() => Tiny.Sac(Dir).WithSACParams(new SacParams { Tau = 0 }).Build(), "SacParams.Tau*(0, 1]*", "Tau");
    }

    [Fact]
    public void Effective_values_after_the_sampling_overrides_are_checked()
    {
        Fails(() => new DQNExperimentBuilder(Tiny.CartPole, Tiny.Config(Dir), S(s => s with { StartTimesteps = 500 })).Build(),
            "DqnParams.LearningStarts = 500 is invalid: the run has only 200 environment steps*", "LearningStarts");
        Fails(() => new DQNExperimentBuilder(Tiny.CartPole, Tiny.Config(Dir), S(s => s with { BatchSize = 2000 })).Build(),
            "DqnParams.BatchSize = 2000 is invalid with BufferSize = 1000*", "BatchSize");
        Fails(() => new PPOExperimentBuilder(Tiny.CartPole, Tiny.Config(Dir), new SamplingConfig { BatchSize = 1 }).Build(),
            "PpoParams.BatchSize*", "BatchSize");
    }

    [Fact]
    public void The_environment_must_exist_and_fit_the_algorithm()
    {
        Fails(() => new DQNExperimentBuilder(new EnvFactory { EnvId = "CartPole-v9" }, Tiny.Config(Dir)).Build(), "*CartPole-v9*CartPole-v1*");
        Fails(() => new DQNExperimentBuilder(Tiny.Pendulum, Tiny.Config(Dir)).Build(), "DQN needs a Discrete action space, but Pendulum-v1 has Box*SAC*");
        Fails(() => new SACExperimentBuilder(Tiny.CartPole, Tiny.Config(Dir)).Build(), "SAC needs a continuous (Box) action space, but CartPole-v1 has Discrete*");
        Fails(() => new DQNExperimentBuilder(new EnvFactory { EnvId = "CartPole-v1", Kwargs = new Dictionary<string, object?> { ["gravity"] = 1 } }, Tiny.Config(Dir)).Build(),
            "*Unknown parameter 'gravity'*");
    }

    [Fact]
    public void Factories_and_callbacks_are_validated()
    {
        Fails(() => Tiny.Dqn(Dir).WithModelFactoryDefault([16, 0]).Build(), "QNetworkFactoryDefault.HiddenSizes[1] = 0 is invalid; allowed: an integer ≥ 1*", "HiddenSizes[1]");
        Fails(() => Tiny.Dqn(Dir).WithOptimFactoryDefault(beta1: 1.5).Build(), "AdamOptimizerFactory.Beta1 = 1.5 is invalid; allowed: [0, 1)*", "Beta1");
        Fails(() => Tiny.Sac(Dir).WithActorFactory(new TanhGaussianActorFactoryDefault { LogStdMin = 3 }).Build(),
            "TanhGaussianActorFactoryDefault.LogStdMax = 2 is invalid; allowed: a finite number > LogStdMin (3)*", "LogStdMax");
        Fails(() => Tiny.Dqn(Dir).WithLoggerFactory(new Factories.Logging.CsvLoggerFactory { FileName = "a/b.csv" }).Build(), "CsvLoggerFactory.FileName*", "FileName");
        Fails(() => Tiny.Dqn(Dir).WithEpochTrainCallback(new EpochTrainCallbackDQNEpsLinearDecay { EpsTrain = 2, EpsTrainFinal = 0 }).Build(),
            "EpochTrainCallbackDQNEpsLinearDecay.EpsTrain = 2 is invalid; allowed: [0, 1]*", "EpsTrain");
        Fails(() => Tiny.Ppo(Dir).WithEpochTestCallback(new EpochTestCallbackDQNSetEps { Eps = 0.1 }).Build(), "EpochTestCallbackDQNSetEps applies to ε-greedy agents only (such as DQN's); this experiment uses PPO, whose PpoAgent is not*");
        Fails(() => Tiny.Sac(Dir).WithEpochStopCallback(new EpochStopCallbackRewardThreshold()).Build(),
            "EpochStopCallbackRewardThreshold.Threshold = null is invalid for Pendulum-v1, which has no registered reward threshold; allowed: a finite number*", "Threshold");
        Fails(() => Tiny.Dqn(Dir).WithEpochStopCallback(new EpochStopCallbackRewardThreshold { Threshold = double.NaN }).Build(),
            "EpochStopCallbackRewardThreshold.Threshold = NaN is invalid*", "Threshold");
        Fails(() => Tiny.Dqn(Dir).WithName("a/b").Build(), "*name*plain file name*");
    }

    [Fact]
    public void The_PPO_critic_sharing_rules_are_checked()
    {
        var definition = Tiny.Ppo(Dir).Build().Definition;
        var bad = definition with
        {
            Algorithm = new PPOAlgorithmFactory { CriticUseActor = true, CriticFactory = new CriticFactoryDefault() },
        };
        var create = () => new Experiments.Experiment(bad, Tiny.Services);
        create.Should().Throw<ArgumentException>().WithMessage("PPOAlgorithmFactory.CriticUseActor = true is invalid with a CriticFactory*");
    }

    [Fact]
    public void Defaults_fit_each_algorithm()
    {
        var dqn = new DQNExperimentBuilder(Tiny.CartPole).Build();
        dqn.ResolvedSampling.Should().Be(new ResolvedSampling(10, 10_000, 1, 1, 10));
        var dqnParams = ((DQNAlgorithmFactory)dqn.Definition.Algorithm).EffectiveParams(dqn.SamplingConfig, 1);
        dqnParams.BufferSize.Should().Be(1_000_000, "not Tianshou's 4,096");
        dqnParams.ExplorationInitialEps.Should().Be(1.0, "DQN explores by default");
        dqnParams.TargetUpdateInterval.Should().BeGreaterThan(0);
        dqn.Name.Should().StartWith("DQNExperiment_");
        dqn.Config.Should().Be(new ExperimentConfig());
        dqn.Definition.LoggerFactory.Should().Be(ExperimentServices.DefaultMetricsLogger);

        new PPOExperimentBuilder(Tiny.CartPole).Build().ResolvedSampling.EpochNumSteps.Should().Be(10_240);
        new SACExperimentBuilder(Tiny.Pendulum).Build().ResolvedSampling.EpochNumSteps.Should().Be(5_000);
    }

    [Fact]
    public void Sampling_overrides_reach_the_params()
    {
        var sampling = new SamplingConfig { NumTrainEnvs = 2, StepPerCollect = 8, UpdatePerStep = 0.5, BatchSize = 7, BufferSize = 999, StartTimesteps = 3 };
        var dqn = new DQNAlgorithmFactory().EffectiveParams(sampling, 2);
        (dqn.TrainFreq, dqn.GradientSteps, dqn.BatchSize, dqn.BufferSize, dqn.LearningStarts).Should().Be((4, 4, 7, 999, 3));
        var ppo = new PPOAlgorithmFactory().EffectiveParams(new SamplingConfig { NumTrainEnvs = 2, StepPerCollect = 64, RepeatPerCollect = 3, BatchSize = 16 }, 2);
        (ppo.NumSteps, ppo.UpdateEpochs, ppo.BatchSize).Should().Be((32, 3, 16));
    }
}
