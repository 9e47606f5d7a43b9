using RlExperiments.Agents.Algorithms.A2c;
using RlExperiments.Agents.Algorithms.Pg;
using RlExperiments.Environments.Spaces;
using RlExperiments.Experiments.Algorithms;
using RlExperiments.Experiments.Algorithms.A2c;
using RlExperiments.Experiments.Algorithms.Pg;
using RlExperiments.Experiments.Builders;
using RlExperiments.Experiments.Tests.Experiment;
using RlExperiments.Factories.Logging;
using RlExperiments.Tensors.Serialization;
using Xunit;

namespace RlExperiments.Experiments.Tests.Modules;

/// <summary>PG and A2C through their builders: save/restore round trip, bit-for-bit resume, registry, space errors.</summary>
public sealed class PgA2cExperimentTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static SamplingConfig Sampling => new() { NumEpochs = 4, EpochNumSteps = 128, StepPerCollect = 64, NumTestEpisodes = 2 };

    private static ExperimentConfig Checkpointing(ExperimentConfig c) => c with { CheckpointEveryEpochs = 1, KeepCheckpoints = 3, Watch = false };

    private Experiments.Experiment Pg(string name) =>
        new PGExperimentBuilder(Tiny.CartPole, Checkpointing(Tiny.Config(_dir.Path)), Sampling)
            .WithPGParams(new PgParams { ReturnScaling = true, NormalizeObservations = true })
            .WithActorFactoryDefault([16])
            .WithServices(Tiny.Services)
            .WithName(name)
            .Build();

    private Experiments.Experiment A2c(string name) =>
        new A2CExperimentBuilder(Tiny.CartPole, Checkpointing(Tiny.Config(_dir.Path)), Sampling with { StepPerCollect = 8 })
            .WithA2CParams(new A2cParams { NormalizeRewards = true })
            .WithActorFactoryDefault([16])
            .WithCriticFactoryUseActor()
            .WithServices(Tiny.Services)
            .WithName(name)
            .Build();

    [Fact]
    public void Pg_resumed_from_disk_equals_the_uninterrupted_run() => ModuleRunChecks.ResumedEqualsStraight(_dir, Pg);

    [Fact]
    public void A2c_resumed_from_disk_equals_the_uninterrupted_run() => ModuleRunChecks.ResumedEqualsStraight(_dir, A2c);

    [Theory]
    [InlineData("pg")]
    [InlineData("a2c")]
    public void Save_and_restore_through_the_builder_round_trips(string which)
    {
        using var result = (which == "pg" ? Pg("run") : A2c("run")).Run();
        var restored = Experiments.Experiment.FromDirectory(result.Directory!, services: Tiny.Services);
        Assert.Equal((which == "pg" ? Pg("run") : A2c("run")).Definition with { Config = restored.Config }, restored.Definition);
        using var replay = restored.WithConfig(c => c with { Train = false, PersistenceEnabled = false }).Run();
        Assert.Equal(result.PolicyTestReturn, replay.PolicyTestReturn);
    }

    [Fact]
    public void The_registry_knows_both_and_their_spaces_map_onto_params()
    {
        Assert.Equal("PG", AlgorithmRegistry.Default.Get("pg").Name);
        Assert.Equal("A2C", AlgorithmRegistry.Default.Get("a2c").Name);
        Assert.Equal(new PgParams(), PgConfigurationMapping.ToParams(PgConfigurationMapping.ToConfiguration(new PgParams())));
        Assert.Equal(new A2cParams(), A2cConfigurationMapping.ToParams(A2cConfigurationMapping.ToConfiguration(new A2cParams())));
        Assert.Equal(new PgParams(), PgConfigurationMapping.ToParams(new PgModule().SearchSpace().Default));
        Assert.Equal(new A2cParams(), A2cConfigurationMapping.ToParams(new A2cModule().SearchSpace().Default));
        var ex = Assert.Throws<ArgumentException>(() => A2cConfigurationMapping.ToParams(new Tuning.Configuration(new KeyValuePair<string, object>[] { new("clip_eps", 0.2) })));
        Assert.Contains("Unknown A2C HPO hyperparameter 'clip_eps'", ex.Message);
    }

    [Fact]
    public void Wrong_spaces_are_refused_naming_the_algorithm_and_the_space()
    {
        var pg = Assert.Throws<ArgumentException>(() => new PGAlgorithmFactory().CheckSpaces(new Discrete(5), new Discrete(2), "Grid-v0"));
        Assert.StartsWith("PG needs a Box observation space, but Grid-v0 has Discrete", pg.Message);
        var a2c = Assert.Throws<ArgumentException>(() => new A2CAlgorithmFactory().CheckSpaces(new Discrete(5), new Discrete(2), "Grid-v0"));
        Assert.StartsWith("A2C needs a Box observation space, but Grid-v0 has Discrete", a2c.Message);
    }
}
