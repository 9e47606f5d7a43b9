using RlExperiments.Agents.Algorithms.Ddpg;
using RlExperiments.Agents.Algorithms.Td3;
using RlExperiments.Environments.Spaces;
using RlExperiments.Experiments.Algorithms;
using RlExperiments.Experiments.Algorithms.Ddpg;
using RlExperiments.Experiments.Algorithms.Td3;
using RlExperiments.Experiments.Builders;
using RlExperiments.Experiments.Tests.Experiment;
using RlExperiments.Factories.Logging;
using RlExperiments.Tensors.Serialization;
using Xunit;

namespace RlExperiments.Experiments.Tests.Modules;

/// <summary>DDPG and TD3 through their builders: save/restore round trip, bit-for-bit resume, registry, space errors.</summary>
public sealed class DdpgTd3ExperimentTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static SamplingConfig Sampling => new() { NumEpochs = 4, EpochNumSteps = 100, NumTestEpisodes = 2, BatchSize = 16, StartTimesteps = 50 };

    private static ExperimentConfig Checkpointing(ExperimentConfig c) => c with { CheckpointEveryEpochs = 1, KeepCheckpoints = 3, Watch = false };

    private Experiments.Experiment Ddpg(string name) =>
        new DDPGExperimentBuilder(Tiny.Pendulum, Checkpointing(Tiny.Config(_dir.Path)), Sampling)
            .WithDDPGParams(new DdpgParams { BufferSize = 1000 })   // the networks come from the factories only
            .WithActorFactoryDefault([16])
            .WithCriticFactoryDefault([16, 8])
            .WithServices(Tiny.Services)
            .WithName(name)
            .Build();

    private Experiments.Experiment Td3(string name) =>
        new TD3ExperimentBuilder(Tiny.Pendulum, Checkpointing(Tiny.Config(_dir.Path)), Sampling)
            .WithTD3Params(new Td3Params { BufferSize = 1000, UpdateActorFreq = 3 })
            .WithActorFactoryDefault([16])
            .WithCommonCriticFactoryDefault([16])
            .WithCritic2FactoryDefault([8])
            .WithServices(Tiny.Services)
            .WithName(name)
            .Build();

    [Fact]
    public void Ddpg_resumed_from_disk_equals_the_uninterrupted_run() => ModuleRunChecks.ResumedEqualsStraight(_dir, Ddpg);

    [Fact]
    public void Td3_resumed_from_disk_equals_the_uninterrupted_run() => ModuleRunChecks.ResumedEqualsStraight(_dir, Td3);

    [Theory]
    [InlineData("ddpg")]
    [InlineData("td3")]
    public void Save_and_restore_through_the_builder_round_trips(string which)
    {
        using var result = (which == "ddpg" ? Ddpg("run") : Td3("run")).Run();
        var restored = Experiments.Experiment.FromDirectory(result.Directory!, services: Tiny.Services);
        Assert.Equal((which == "ddpg" ? Ddpg("run") : Td3("run")).Definition with { Config = restored.Config }, restored.Definition);
        using var replay = restored.WithConfig(c => c with { Train = false, PersistenceEnabled = false }).Run();
        Assert.Equal(result.PolicyTestReturn, replay.PolicyTestReturn);
    }

    [Fact]
    public void The_registry_knows_both_and_their_spaces_map_onto_params()
    {
        Assert.Equal("DDPG", AlgorithmRegistry.Default.Get("ddpg").Name);
        Assert.Equal("TD3", AlgorithmRegistry.Default.Get("td3").Name);
        Assert.Equal(new DdpgParams(), DdpgConfigurationMapping.ToParams(DdpgConfigurationMapping.ToConfiguration(new DdpgParams())));
        Assert.Equal(new Td3Params(), Td3ConfigurationMapping.ToParams(Td3ConfigurationMapping.ToConfiguration(new Td3Params())));
        Assert.Equal(new DdpgParams(), DdpgConfigurationMapping.ToParams(new DdpgModule().SearchSpace().Default));
        Assert.Equal(new Td3Params(), Td3ConfigurationMapping.ToParams(new Td3Module().SearchSpace().Default));
        var tuned = Td3ConfigurationMapping.ToParams(new Tuning.Configuration(new KeyValuePair<string, object>[] { new("policy_noise", 0.3), new("update_actor_freq", 4L) }));
        Assert.Equal(new Td3Params { PolicyNoise = 0.3, UpdateActorFreq = 4 }, tuned);
        var ex = Assert.Throws<ArgumentException>(() => DdpgConfigurationMapping.ToParams(new Tuning.Configuration(new KeyValuePair<string, object>[] { new("policy_noise", 0.2) })));
        Assert.Contains("Unknown DDPG HPO hyperparameter 'policy_noise'", ex.Message);
    }

    [Fact]
    public void A_discrete_action_space_is_refused_naming_the_algorithm_and_the_space()
    {
        var ddpg = Assert.Throws<ArgumentException>(() => new DDPGExperimentBuilder(Tiny.CartPole, Tiny.Config(_dir.Path)).WithServices(Tiny.Services).Build());
        Assert.StartsWith("DDPG needs a continuous (Box) action space, but CartPole-v1 has Discrete(2)", ddpg.Message);
        var td3 = Assert.Throws<ArgumentException>(() => new TD3ExperimentBuilder(Tiny.CartPole, Tiny.Config(_dir.Path)).WithServices(Tiny.Services).Build());
        Assert.StartsWith("TD3 needs a continuous (Box) action space, but CartPole-v1 has Discrete(2)", td3.Message);
        var box = Assert.Throws<ArgumentException>(() => new TD3AlgorithmFactory().CheckSpaces(new Discrete(5), new Box(-1f, 1f, 1), "Grid-v0"));
        Assert.StartsWith("TD3 needs a Box observation space, but Grid-v0 has Discrete", box.Message);
    }
}
