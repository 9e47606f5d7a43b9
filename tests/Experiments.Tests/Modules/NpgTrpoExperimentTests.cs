using RlExperiments.Agents.Algorithms.Npg;
using RlExperiments.Agents.Algorithms.Trpo;
using RlExperiments.Environments.Spaces;
using RlExperiments.Experiments.Algorithms;
using RlExperiments.Experiments.Algorithms.Npg;
using RlExperiments.Experiments.Algorithms.Trpo;
using RlExperiments.Experiments.Builders;
using RlExperiments.Experiments.Tests.Experiment;
using RlExperiments.Factories.Logging;
using RlExperiments.Tensors.Serialization;
using Xunit;

namespace RlExperiments.Experiments.Tests.Modules;

/// <summary>NPG and TRPO through their builders: save/restore round trip, bit-for-bit resume, registry, spaces, space errors.</summary>
public sealed class NpgTrpoExperimentTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static SamplingConfig Sampling => new() { NumEpochs = 4, EpochNumSteps = 128, StepPerCollect = 64, NumTestEpisodes = 2 };

    private static ExperimentConfig Checkpointing(ExperimentConfig c) => c with { CheckpointEveryEpochs = 1, KeepCheckpoints = 3, Watch = false };

    private Experiments.Experiment Npg(string name) =>
        new NPGExperimentBuilder(Tiny.CartPole, Checkpointing(Tiny.Config(_dir.Path)), Sampling)
            .WithNPGParams(new NpgParams { NormalizeObservations = true, NormalizeRewards = true })
            .WithActorFactoryDefault([16])
            .WithCriticFactoryDefault([8])
            .WithServices(Tiny.Services)
            .WithName(name)
            .Build();

    private Experiments.Experiment Trpo(string name) =>
        new TRPOExperimentBuilder(Tiny.CartPole, Checkpointing(Tiny.Config(_dir.Path)), Sampling with { BatchSize = 32 })
            .WithTRPOParams(new TrpoParams())
            .WithActorFactoryDefault([16])
            .WithCriticFactoryDefault([16])
            .WithServices(Tiny.Services)
            .WithName(name)
            .Build();

    [Fact]
    public void Npg_resumed_from_disk_equals_the_uninterrupted_run() => ModuleRunChecks.ResumedEqualsStraight(_dir, Npg);

    [Fact]
    public void Trpo_resumed_from_disk_equals_the_uninterrupted_run() => ModuleRunChecks.ResumedEqualsStraight(_dir, Trpo);

    [Theory]
    [InlineData("npg")]
    [InlineData("trpo")]
    public void Save_and_restore_through_the_builder_round_trips(string which)
    {
        using var result = (which == "npg" ? Npg("run") : Trpo("run")).Run();
        var restored = Experiments.Experiment.FromDirectory(result.Directory!, services: Tiny.Services);
        Assert.Equal((which == "npg" ? Npg("run") : Trpo("run")).Definition with { Config = restored.Config }, restored.Definition);
        using var replay = restored.WithConfig(c => c with { Train = false, PersistenceEnabled = false }).Run();
        Assert.Equal(result.PolicyTestReturn, replay.PolicyTestReturn);
    }

    [Fact]
    public void The_registry_knows_both_and_their_spaces_map_onto_params()
    {
        Assert.Equal("NPG", AlgorithmRegistry.Default.Get("npg").Name);
        Assert.Equal("TRPO", AlgorithmRegistry.Default.Get("trpo").Name);
        Assert.Equal(new NpgParams(), NpgConfigurationMapping.ToParams(NpgConfigurationMapping.ToConfiguration(new NpgParams())));
        Assert.Equal(new TrpoParams(), TrpoConfigurationMapping.ToParams(TrpoConfigurationMapping.ToConfiguration(new TrpoParams())));
        Assert.Equal(new NpgParams(), NpgConfigurationMapping.ToParams(new NpgModule().SearchSpace().Default));
        Assert.Equal(new TrpoParams(), TrpoConfigurationMapping.ToParams(new TrpoModule().SearchSpace().Default));
        var tuned = TrpoConfigurationMapping.ToParams(new Tuning.Configuration(new KeyValuePair<string, object>[] { new("max_kl", 0.05), new("n_steps", 512L) }));
        Assert.Equal((0.05, 512), (tuned.MaxKl, tuned.NumSteps));
        Assert.Equal(0.1, NpgConfigurationMapping.ToParams(new Tuning.Configuration(new KeyValuePair<string, object>[] { new("trust_region_size", 0.1) })).TrustRegionSize);
        var ex = Assert.Throws<ArgumentException>(() => NpgConfigurationMapping.ToParams(new Tuning.Configuration(new KeyValuePair<string, object>[] { new("max_kl", 0.2) })));
        Assert.Contains("Unknown NPG HPO hyperparameter 'max_kl'", ex.Message);
    }

    [Fact]
    public void Wrong_spaces_are_refused_naming_the_algorithm_and_the_space()
    {
        var npg = Assert.Throws<ArgumentException>(() => new NPGAlgorithmFactory().CheckSpaces(new Discrete(5), new Discrete(2), "Grid-v0"));
        Assert.StartsWith("NPG needs a Box observation space, but Grid-v0 has Discrete", npg.Message);
        var trpo = Assert.Throws<ArgumentException>(() => new TRPOAlgorithmFactory().CheckSpaces(new Discrete(5), new Discrete(2), "Grid-v0"));
        Assert.StartsWith("TRPO needs a Box observation space, but Grid-v0 has Discrete", trpo.Message);
    }
}
