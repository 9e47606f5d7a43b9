using Microsoft.Extensions.Logging;
using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Experiments.Algorithms;
using RlExperiments.Experiments.Algorithms.Dqn;
using RlExperiments.Experiments.Algorithms.Ppo;
using RlExperiments.Experiments.Tests.Experiment;
using RlExperiments.Factories;
using RlExperiments.Factories.Models;

namespace RlExperiments.Experiments.Tests.Settings;

/// <summary>Issue 18, point 1: every setting has one source; a value given twice that disagrees is an error naming both.</summary>
public class SettingSourcesTests
{
    private static PPOExperimentBuilder Ppo(SamplingConfig sampling, PpoParams parameters, ILoggerFactory? logging = null) =>
        new PPOExperimentBuilder(Tiny.CartPole, new ExperimentConfig { PersistenceEnabled = false }, sampling)
            .WithPPOParams(parameters)
            .WithServices(logging is null ? Tiny.Services : new ExperimentServices(logging: logging));

    [Fact]
    public void A_sampling_batch_size_that_disagrees_with_the_params_is_an_error_naming_both()
    {
        var build = () => Ppo(new SamplingConfig { BatchSize = 256 }, new PpoParams { BatchSize = 128 }).Build();
        build.Should().Throw<ArgumentException>()
            .WithMessage("SamplingConfig.BatchSize = 256 and PpoParams.BatchSize = 128 both set PpoParams.BatchSize*give it in one place*");
    }

    [Fact]
    public void A_sampling_field_over_a_params_default_is_used_and_logged_and_an_equal_value_is_no_conflict()
    {
        var log = new CapturingLogger();
        var experiment = Ppo(new SamplingConfig { BatchSize = 256, RepeatPerCollect = 3 }, new PpoParams(), log).Build();
        var effective = ((PPOAlgorithmFactory)experiment.Definition.Algorithm).EffectiveParams(experiment.Definition.Sampling, 1);
        (effective.BatchSize, effective.UpdateEpochs).Should().Be((256, 3));
        log.At(LogLevel.Information).Should().Contain("SamplingConfig.BatchSize = 256 sets PpoParams.BatchSize = 256 (its default 64 is not used).")
            .And.Contain("SamplingConfig.RepeatPerCollect = 3 sets PpoParams.UpdateEpochs = 3 (its default 10 is not used).");

        var same = () => Ppo(new SamplingConfig { BatchSize = 256 }, new PpoParams { BatchSize = 256 }).Build();
        same.Should().NotThrow();
    }

    [Fact]
    public void Off_policy_schedule_fields_given_twice_are_errors()
    {
        var dqn = () => new DQNExperimentBuilder(Tiny.CartPole, new ExperimentConfig { PersistenceEnabled = false },
                new SamplingConfig { StepPerCollect = 8, NumEpochs = 1, EpochNumSteps = 2000 })
            .WithDQNParams(DqnPresets.CartPoleV1.Params)   // TrainFreq 256
            .WithServices(Tiny.Services).Build();
        dqn.Should().Throw<ArgumentException>().WithMessage("SamplingConfig.StepPerCollect = 8 and DqnParams.TrainFreq = 256 both set DqnParams.TrainFreq*");
        var starts = () => new DQNExperimentBuilder(Tiny.CartPole, new ExperimentConfig { PersistenceEnabled = false },
                new SamplingConfig { StartTimesteps = 10, NumEpochs = 1, EpochNumSteps = 2000 })
            .WithDQNParams(new DqnParams { LearningStarts = 500 })
            .WithServices(Tiny.Services).Build();
        starts.Should().Throw<ArgumentException>().WithMessage("SamplingConfig.StartTimesteps = 10 and DqnParams.LearningStarts = 500*");
    }

    [Fact]
    public void The_network_is_described_once_by_the_model_factories_and_presets_write_theirs_there()
    {
        // Params records have no network fields: the network has one place, the model factories.
        foreach (var module in AlgorithmRegistry.Default.Modules)
        {
            var paramsType = module.CreateDefault().ParamsRecord!.GetType();
            paramsType.GetProperties().Select(p => p.Name).Should().NotContain(["HiddenSizes", "Activation", "Dueling", "OrthoInit", "ShareNetwork", "LogStdMin", "LogStdMax", "HeadHiddenSizes", "NumCosines"],
                $"{paramsType.Name} holds the algorithm only");
            module.CreateDefault().ModelFactories().Should().NotBeEmpty($"{module.Name} describes its networks with model factories");
        }

        // The zoo's DQN preset's net_arch [256, 256] lands in the Q-network factory.
        var preset = AlgorithmRegistry.Default.Get("DQN").Preset("CartPole-v1")!;
        ((DQNAlgorithmFactory)preset.Factory).ModelFactory.Should().Be(new QNetworkFactoryDefault { HiddenSizes = [256, 256] });
    }

    /// <summary>The check is generic: every registered algorithm refuses a sampling field that disagrees with its params.</summary>
    [Fact]
    public void Every_registered_algorithm_refuses_each_sampling_field_that_disagrees_with_its_params()
    {
        var probes = new SamplingConfig[]
        {
            new() { BatchSize = 7 }, new() { BufferSize = 777 }, new() { StepPerCollect = 77 }, new() { RepeatPerCollect = 7 },
            new() { UpdatePerStep = 7 }, new() { StartTimesteps = 77 },
        };
        var checkedPairs = 0;
        foreach (var module in AlgorithmRegistry.Default.Modules)
        {
            var factory = module.CreateDefault();
            var parameters = factory.ParamsRecord!;
            var baseline = factory.EffectiveParamsRecord(new SamplingConfig(), 1)!;
            foreach (var probe in probes)
            {
                var effective = factory.EffectiveParamsRecord(probe, 1)!;
                foreach (var field in parameters.GetType().GetProperties().Where(f => !Equals(f.GetValue(baseline), f.GetValue(effective))))
                {
                    // Params that set the field to a value that is neither the sampling one nor the params' default.
                    var target = Nullable.GetUnderlyingType(field.PropertyType) ?? field.PropertyType;
                    var basis = Convert.ToDouble(field.GetValue(effective) ?? 0, System.Globalization.CultureInfo.InvariantCulture);
                    var other = Convert.ChangeType(basis + 3, target, System.Globalization.CultureInfo.InvariantCulture);
                    if (Equals(other, field.GetValue(baseline))) other = Convert.ChangeType(basis + 4, target, System.Globalization.CultureInfo.InvariantCulture);
                    var changed = parameters.GetType().GetMethod("<Clone>$")!.Invoke(parameters, null)!;
                    field.SetValue(changed, other);
                    var withParams = (AlgorithmFactory)factory.GetType().GetMethod("<Clone>$")!.Invoke(factory, null)!;
                    factory.GetType().GetProperty("Params")!.SetValue(withParams, changed);
                    var check = () => withParams.CheckSettingsGivenOnce(probe, 1);
                    check.Should().Throw<ArgumentException>($"{module.Name}: {field.Name} given in the params and by the sampling config")
                        .WithMessage($"SamplingConfig.* and {parameters.GetType().Name}.{field.Name} = *");
                    checkedPairs++;
                }
            }
        }
        checkedPairs.Should().BeGreaterThan(20, "every module maps several sampling fields onto its params");
    }

    [Fact]
    public void Minibatch_warnings_as_stable_baselines3_gives_them()
    {
        var log = new CapturingLogger();
        Ppo(new SamplingConfig(), new PpoParams { BatchSize = 4096, NumSteps = 16 }, log).Build();
        log.At(LogLevel.Warning).Should().ContainSingle().Which.Should()
            .Contain("PPO: the minibatch (BatchSize = 4096) and the rollout (NumSteps 16 × NumTrainEnvs 1 = 16 steps)").And.Contain("larger than the rollout");

        var log2 = new CapturingLogger();
        Ppo(new SamplingConfig { NumTrainEnvs = 2 }, new PpoParams { BatchSize = 64, NumSteps = 100 }, log2).Build();
        log2.At(LogLevel.Warning).Should().ContainSingle().Which.Should()
            .Contain("not a multiple of the minibatch, so after every 3 full minibatches comes a truncated one of 8 steps");

        var quiet = new CapturingLogger();
        Ppo(new SamplingConfig(), new PpoParams { BatchSize = 64, NumSteps = 128 }, quiet).Build();
        quiet.At(LogLevel.Warning).Should().BeEmpty();
    }

    [Fact]
    public void Learning_that_would_start_after_the_budget_is_an_error_naming_the_budget()
    {
        var build = () => new DQNExperimentBuilder(Tiny.CartPole, new ExperimentConfig { PersistenceEnabled = false },
                new SamplingConfig { NumEpochs = 1, EpochNumSteps = 500 })
            .WithDQNParams(new DqnParams { LearningStarts = 1000 }).WithServices(Tiny.Services).Build();
        build.Should().Throw<ArgumentException>().WithMessage("DqnParams.LearningStarts = 1000 is invalid: the run has only 500 environment steps*");
    }
}
