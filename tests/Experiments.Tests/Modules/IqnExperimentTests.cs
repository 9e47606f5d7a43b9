using RlExperiments.Agents.Algorithms.Iqn;
using RlExperiments.Environments.Spaces;
using RlExperiments.Experiments.Algorithms;
using RlExperiments.Experiments.Algorithms.Iqn;
using RlExperiments.Experiments.Builders;
using RlExperiments.Experiments.Tests.Experiment;
using RlExperiments.Factories.Models;
using Xunit;

namespace RlExperiments.Experiments.Tests.Modules;

/// <summary>IQN through its builder: save/restore round trip, bit-for-bit resume, collections, registry, mapping, space errors.</summary>
public sealed class IqnExperimentTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static SamplingConfig Sampling => new() { NumEpochs = 4, EpochNumSteps = 250, NumTestEpisodes = 2, StartTimesteps = 50, BufferSize = 1000, BatchSize = 16 };

    private Experiments.Experiment Iqn(string name) =>
        new IQNExperimentBuilder(Tiny.CartPole, Tiny.Config(_dir.Path) with { CheckpointEveryEpochs = 1, KeepCheckpoints = 3, Watch = false }, Sampling)
            .WithIQNParams(new IqnParams { TrainFreq = 4, TargetUpdateInterval = 50, NStep = 2, NumQuantiles = 16 })
            .WithPreprocessNetworkFactoryDefault([16, 16])
            .WithQuantileNetworkFactory(new ImplicitQuantileNetworkFactory { HiddenSizes = [8] })
            .WithServices(Tiny.Services)
            .WithName(name)
            .Build();

    [Fact]
    public void Resumed_from_disk_equals_the_uninterrupted_run() => ModuleRunChecks.ResumedEqualsStraight(_dir, Iqn);

    [Fact]
    public void Save_and_restore_through_the_builder_round_trips()
    {
        using var result = Iqn("run").Run();
        var json = File.ReadAllText(Path.Combine(result.Directory!, "experiment.json"));
        Assert.Contains("\"$type\": \"IQNAlgorithmFactory\"", json);
        Assert.Contains("\"$type\": \"PreprocessNetworkFactoryDefault\"", json);
        var restored = Experiments.Experiment.FromDirectory(result.Directory!, services: Tiny.Services);
        Assert.Equal(Iqn("run").Definition with { Config = restored.Config }, restored.Definition);
        using var replay = restored.WithConfig(c => c with { Train = false, PersistenceEnabled = false }).Run();
        Assert.Equal(result.PolicyTestReturn, replay.PolicyTestReturn);
    }

    [Fact]
    public void A_seeded_collection_runs_every_seed()
    {
        var collection = new IQNExperimentBuilder(Tiny.CartPole, Tiny.Config(_dir.Path) with { Watch = false },
                Sampling with { NumEpochs = 1 })
            .WithPreprocessNetworkFactoryDefault([8])
            .WithServices(Tiny.Services)
            .WithName("collection")
            .BuildSeededCollection(2);
        var result = collection.Run();
        Assert.Equal(2, result.Runs.Count);
        Assert.All(result.Runs, r => Assert.Equal(RlExperiments.Experiments.Collections.CollectionRunStatus.Succeeded, r.Status));
        Assert.All(result.Runs, r => Assert.Equal("IQN", r.Summary!.Algorithm));
        Assert.Equal(2, result.Runs.Select(r => r.Seed).Distinct().Count());
    }

    [Fact]
    public void The_registry_knows_it_and_its_space_maps_onto_params_and_back()
    {
        Assert.Equal("IQN", AlgorithmRegistry.Default.Get("iqn").Name);
        Assert.Equal(new IqnParams(), IqnConfigurationMapping.ToParams(IqnConfigurationMapping.ToConfiguration(new IqnParams())));
        Assert.Equal(IqnPresets.CartPoleV1.Params, IqnConfigurationMapping.ToParams(IqnConfigurationMapping.ToConfiguration(IqnPresets.CartPoleV1.Params), IqnPresets.CartPoleV1.Params));
        var tuned = (IQNAlgorithmFactory)new IQNAlgorithmFactory().WithConfiguration(
            new Tuning.Configuration(new KeyValuePair<string, object>[] { new("target_epsilon", 0.02), new("train_freq", 8L) }),
            new Tuning.Configuration(new KeyValuePair<string, object>[] { new("hidden_size", 128L), new("activation", "tanh") }));
        Assert.Equal(new IqnParams { ExplorationFinalEps = 0.02, TrainFreq = 8 }, tuned.Params);
        Assert.Equal(new PreprocessNetworkFactoryDefault { HiddenSizes = [128, 128], Activation = Tensors.Nn.Activation.Tanh }, tuned.PreprocessNetworkFactory);
        Assert.Equal(new ImplicitQuantileNetworkFactory { Activation = Tensors.Nn.Activation.Tanh }, tuned.QuantileNetworkFactory);
        var noTarget = IqnConfigurationMapping.ToParams(new Tuning.Configuration(new KeyValuePair<string, object>[] { new("use_target_network", false) }));
        Assert.Equal((1.0, 1), (noTarget.Tau, noTarget.TargetUpdateInterval));
        var ex = Assert.Throws<ArgumentException>(() => IqnConfigurationMapping.ToParams(new Tuning.Configuration(new KeyValuePair<string, object>[] { new("buffer_prio_sampling", true) })));
        Assert.Contains("Unknown IQN HPO hyperparameter 'buffer_prio_sampling'", ex.Message);
        var factory = (IQNAlgorithmFactory)new IQNAlgorithmFactory().WithConfiguration(new Tuning.Configuration(new KeyValuePair<string, object>[] { new("gamma", 0.9) }));
        Assert.Equal(0.9, factory.Params.Gamma);
    }

    [Fact]
    public void A_continuous_action_space_is_refused_naming_the_algorithm_and_the_space()
    {
        var iqn = Assert.Throws<ArgumentException>(() => new IQNExperimentBuilder(Tiny.Pendulum, Tiny.Config(_dir.Path)).WithServices(Tiny.Services).Build());
        Assert.StartsWith("IQN needs a Discrete action space, but Pendulum-v1 has Box(", iqn.Message);
        var obs = Assert.Throws<ArgumentException>(() => new IQNAlgorithmFactory().CheckSpaces(new Discrete(5), new Discrete(2), "Grid-v0"));
        Assert.StartsWith("IQN needs a Box observation space, but Grid-v0 has Discrete", obs.Message);
    }

    [Fact]
    public void Folding_the_sampling_config_keeps_the_network_factories()
    {
        var factory = new IQNAlgorithmFactory { PreprocessNetworkFactory = new PreprocessNetworkFactoryDefault { HiddenSizes = [32] } };
        var flat = (IQNAlgorithmFactory)factory.FoldSampling(new SamplingConfig { BatchSize = 8 }, 1);
        Assert.Equal(factory.PreprocessNetworkFactory, flat.PreprocessNetworkFactory);
        Assert.Equal(8, flat.Params.BatchSize);
    }
}
