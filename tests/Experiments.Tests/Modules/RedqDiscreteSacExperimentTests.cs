using RlExperiments.Agents.Algorithms.DiscreteSac;
using RlExperiments.Agents.Algorithms.Redq;
using RlExperiments.Environments.Spaces;
using RlExperiments.Experiments.Algorithms;
using RlExperiments.Experiments.Algorithms.DiscreteSac;
using RlExperiments.Experiments.Algorithms.Redq;
using RlExperiments.Experiments.Builders;
using RlExperiments.Experiments.Collections;
using RlExperiments.Experiments.Tests.Experiment;
using RlExperiments.Tuning;
using Xunit;

namespace RlExperiments.Experiments.Tests.Modules;

/// <summary>REDQ and discrete SAC through their builders: save/restore round trip, bit-for-bit resume, registry, mappings, space errors.</summary>
public sealed class RedqDiscreteSacExperimentTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static SamplingConfig Sampling => new() { NumEpochs = 4, EpochNumSteps = 100, NumTestEpisodes = 2, BatchSize = 16, StartTimesteps = 50 };

    private static ExperimentConfig Checkpointing(ExperimentConfig c) => c with { CheckpointEveryEpochs = 1, KeepCheckpoints = 3, Watch = false };

    private Experiments.Experiment Redq(string name) =>
        new REDQExperimentBuilder(Tiny.Pendulum, Checkpointing(Tiny.Config(_dir.Path)), Sampling)
            .WithREDQParams(new RedqParams { BufferSize = 1000, EnsembleSize = 4, SubsetSize = 2, GradientSteps = 2, ActorDelay = 2 })
            .WithActorFactoryDefault([16])
            .WithCriticEnsembleFactoryDefault([16, 8])
            .WithServices(Tiny.Services)
            .WithName(name)
            .Build();

    private Experiments.Experiment DiscreteSac(string name) =>
        new DiscreteSACExperimentBuilder(Tiny.CartPole, Checkpointing(Tiny.Config(_dir.Path)), Sampling)
            .WithSACParams(new DiscreteSacParams { BufferSize = 1000, NStep = 2 })
            .WithActorFactoryDefault([16])
            .WithCommonCriticFactoryDefault([16])
            .WithCritic2FactoryDefault([8])
            .WithServices(Tiny.Services)
            .WithName(name)
            .Build();

    [Fact]
    public void Redq_resumed_from_disk_equals_the_uninterrupted_run() => ModuleRunChecks.ResumedEqualsStraight(_dir, Redq);

    [Fact]
    public void DiscreteSac_resumed_from_disk_equals_the_uninterrupted_run() => ModuleRunChecks.ResumedEqualsStraight(_dir, DiscreteSac);

    [Theory]
    [InlineData("redq")]
    [InlineData("dsac")]
    public void Save_and_restore_through_the_builder_round_trips(string which)
    {
        Experiments.Experiment Make() => which == "redq" ? Redq("run") : DiscreteSac("run");
        using var result = Make().Run();
        var restored = Experiments.Experiment.FromDirectory(result.Directory!, services: Tiny.Services);
        Assert.Equal(Make().Definition with { Config = restored.Config }, restored.Definition);
        using var replay = restored.WithConfig(c => c with { Train = false, PersistenceEnabled = false }).Run();
        Assert.Equal(result.PolicyTestReturn, replay.PolicyTestReturn);
    }

    [Theory]
    [InlineData("redq")]
    [InlineData("dsac")]
    public void A_seeded_collection_runs_the_same_per_seed_sequentially_and_in_parallel(string which)
    {
        ExperimentCollection Make(string name) => which == "redq"
            ? new REDQExperimentBuilder(Tiny.Pendulum, Tiny.Config(_dir.Path) with { Watch = false }, Sampling with { NumEpochs = 2 })
                .WithREDQParams(new RedqParams { BufferSize = 1000, EnsembleSize = 3, GradientSteps = 1, ActorDelay = 2 })
                .WithActorFactoryDefault([8]).WithCriticEnsembleFactoryDefault([8])
                .WithServices(Tiny.Services).WithName(name).BuildSeededCollection(2)
            : new DiscreteSACExperimentBuilder(Tiny.CartPole, Tiny.Config(_dir.Path) with { Watch = false }, Sampling with { NumEpochs = 2 })
                .WithSACParams(new DiscreteSacParams { BufferSize = 1000 })
                .WithActorFactoryDefault([8]).WithCommonCriticFactoryDefault([8])
                .WithServices(Tiny.Services).WithName(name).BuildSeededCollection(2);
        var sequential = Make("seq").Run(new SequentialLauncher());
        var parallel = Make("par").Run(new ParallelLauncher(maxWorkers: 2));
        Assert.True(sequential.AllSucceeded, string.Join("; ", sequential.Failed.Select(f => f.Error)));
        Assert.True(parallel.AllSucceeded, string.Join("; ", parallel.Failed.Select(f => f.Error)));
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(sequential.Runs[i].Summary!.LastTestReturn, parallel.Runs[i].Summary!.LastTestReturn);
            Assert.Equal(sequential.Runs[i].Summary!.GradientSteps, parallel.Runs[i].Summary!.GradientSteps);
        }
        Assert.NotEqual(sequential.Runs[0].Seed, sequential.Runs[1].Seed);
    }

    [Fact]
    public void Presets_with_different_actor_and_critic_rates_round_trip_and_tuning_keeps_their_ratio()
    {
        // The presets (Tianshou's test scripts) train the actor at 1e-4 and the critics at 1e-3; ARLBench's space has one learning_rate.
        var redq = RedqPresets.PendulumV1.Params;
        var dsac = DiscreteSacPresets.CartPoleV1.Params;
        Assert.NotEqual(redq.ActorLearningRate, redq.CriticLearningRate);
        Assert.Equal(redq, RedqConfigurationMapping.ToParams(RedqConfigurationMapping.ToConfiguration(redq), redq));
        Assert.Equal(dsac, DiscreteSacConfigurationMapping.ToParams(DiscreteSacConfigurationMapping.ToConfiguration(dsac), dsac));
        Assert.Equal(redq, ((REDQAlgorithmFactory)new REDQAlgorithmFactory { Params = redq }
            .WithConfiguration(RedqConfigurationMapping.ToConfiguration(redq))).Params);

        // A tuned learning_rate is the critics'; the actor's keeps the preset's 1:10.
        var lr = new Configuration(new KeyValuePair<string, object>[] { new("learning_rate", 2e-3) });
        var tunedRedq = RedqConfigurationMapping.ToParams(lr, redq);
        Assert.Equal(2e-3, tunedRedq.CriticLearningRate);
        Assert.Equal(2e-4, tunedRedq.ActorLearningRate, 1e-15);
        var tunedDsac = DiscreteSacConfigurationMapping.ToParams(lr, dsac);
        Assert.Equal(2e-3, tunedDsac.CriticLearningRate);
        Assert.Equal(2e-4, tunedDsac.ActorLearningRate, 1e-15);
        Assert.Equal(2e-3, RedqConfigurationMapping.ToConfiguration(tunedRedq)["learning_rate"]);
    }

    [Fact]
    public void The_registry_knows_both_and_their_spaces_map_onto_params()
    {
        Assert.Equal("REDQ", AlgorithmRegistry.Default.Get("redq").Name);
        Assert.Equal("DiscreteSAC", AlgorithmRegistry.Default.Get("discretesac").Name);
        Assert.Equal(new RedqParams(), RedqConfigurationMapping.ToParams(RedqConfigurationMapping.ToConfiguration(new RedqParams())));
        Assert.Equal(new RedqParams(), RedqConfigurationMapping.ToParams(new RedqModule().SearchSpace().Default));
        Assert.Equal(new DiscreteSacParams(), DiscreteSacConfigurationMapping.ToParams(DiscreteSacConfigurationMapping.ToConfiguration(new DiscreteSacParams())));
        Assert.Equal(new DiscreteSacParams(), DiscreteSacConfigurationMapping.ToParams(new DiscreteSacModule().SearchSpace().Default));

        var tuned = RedqConfigurationMapping.ToParams(new Configuration(new KeyValuePair<string, object>[]
            { new("target_mode", "mean"), new("subset_size", 3L), new("learning_rate", 5e-4), new("alpha_auto", false), new("alpha", 0.1) }));
        Assert.Equal(new RedqParams { TargetMode = RedqTargetMode.Mean, SubsetSize = 3, ActorLearningRate = 5e-4, CriticLearningRate = 5e-4, AutoAlpha = false, Alpha = 0.1 }, tuned);
        var fixedAlpha = new DiscreteSacParams { AutoAlpha = false, Alpha = 0.05 };
        Assert.Equal(fixedAlpha, DiscreteSacConfigurationMapping.ToParams(DiscreteSacConfigurationMapping.ToConfiguration(fixedAlpha)));

        var mode = Assert.Throws<ArgumentException>(() => RedqConfigurationMapping.ToParams(new Configuration(new KeyValuePair<string, object>[] { new("target_mode", "max") })));
        Assert.Contains("'target_mode' = 'max' is unknown", mode.Message);
        var subset = Assert.Throws<ArgumentOutOfRangeException>(() => RedqConfigurationMapping.ToParams(new Configuration(new KeyValuePair<string, object>[] { new("ensemble_size", 2L), new("subset_size", 3L) })));
        Assert.Contains("RedqParams.SubsetSize must be in [1, EnsembleSize (2)]", subset.Message);
        var unknown = Assert.Throws<ArgumentException>(() => DiscreteSacConfigurationMapping.ToParams(new Configuration(new KeyValuePair<string, object>[] { new("ensemble_size", 4L) })));
        Assert.Contains("Unknown DiscreteSAC HPO hyperparameter 'ensemble_size'", unknown.Message);
    }

    [Fact]
    public void The_wrong_action_space_is_refused_naming_the_algorithm_and_the_space()
    {
        var redq = Assert.Throws<ArgumentException>(() => new REDQExperimentBuilder(Tiny.CartPole, Tiny.Config(_dir.Path)).WithServices(Tiny.Services).Build());
        Assert.StartsWith("REDQ needs a continuous (Box) action space, but CartPole-v1 has Discrete(2)", redq.Message);
        var dsac = Assert.Throws<ArgumentException>(() => new DiscreteSACExperimentBuilder(Tiny.Pendulum, Tiny.Config(_dir.Path)).WithServices(Tiny.Services).Build());
        Assert.StartsWith("DiscreteSAC needs a Discrete action space, but Pendulum-v1 has Box", dsac.Message);
        var obs = Assert.Throws<ArgumentException>(() => new DiscreteSACAlgorithmFactory().CheckSpaces(new Discrete(5), new Discrete(2), "Grid-v0"));
        Assert.StartsWith("DiscreteSAC needs a Box observation space, but Grid-v0 has Discrete", obs.Message);
    }
}
