using Exp = RlExperiments.Experiments.Experiment;
using Newtonsoft.Json.Linq;
using RlExperiments.Experiments.Algorithms;
using RlExperiments.Experiments.Algorithms.A2c;
using RlExperiments.Experiments.Algorithms.Ddpg;
using RlExperiments.Experiments.Algorithms.DiscreteSac;
using RlExperiments.Experiments.Algorithms.Dqn;
using RlExperiments.Experiments.Algorithms.Iqn;
using RlExperiments.Experiments.Algorithms.Npg;
using RlExperiments.Experiments.Algorithms.Pg;
using RlExperiments.Experiments.Algorithms.Ppo;
using RlExperiments.Experiments.Algorithms.Redq;
using RlExperiments.Experiments.Algorithms.Sac;
using RlExperiments.Experiments.Algorithms.Td3;
using RlExperiments.Experiments.Algorithms.Trpo;
using RlExperiments.Experiments.Tests.Experiment;

namespace RlExperiments.Experiments.Tests.Settings;

/// <summary>
/// Tianshou's split, as saved: the network is described only by the model factories (the defaults when the builder sets
/// none), never by the params, so experiment.json holds each network's description exactly once.
/// </summary>
public sealed class NetworkDescribedOnceTests : IDisposable
{
    private static readonly string[] NetworkFields = ["hiddenSizes", "activation", "dueling", "orthoInit", "shareNetwork", "logStdMin", "logStdMax", "headHiddenSizes", "numCosines"];

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Every builder with no model factory set, built (no training) and saved.</summary>
    public static TheoryData<string> Builders => new(Names);

    private static readonly string[] Names = ["DQN", "IQN", "PPO", "A2C", "PG", "NPG", "TRPO", "SAC", "REDQ", "DiscreteSAC", "DDPG", "TD3"];

    private Exp Build(string name)
    {
        var config = Tiny.Config(_dir.Path) with { Watch = false };
        var discrete = Tiny.CartPole;
        var box = Tiny.Pendulum;
        return name switch
        {
            "DQN" => new DQNExperimentBuilder(discrete, config).WithServices(Tiny.Services).WithName(name).Build(),
            "IQN" => new IQNExperimentBuilder(discrete, config).WithServices(Tiny.Services).WithName(name).Build(),
            "PPO" => new PPOExperimentBuilder(discrete, config).WithServices(Tiny.Services).WithName(name).Build(),
            "A2C" => new A2CExperimentBuilder(discrete, config).WithServices(Tiny.Services).WithName(name).Build(),
            "PG" => new PGExperimentBuilder(discrete, config).WithServices(Tiny.Services).WithName(name).Build(),
            "NPG" => new NPGExperimentBuilder(discrete, config).WithServices(Tiny.Services).WithName(name).Build(),
            "TRPO" => new TRPOExperimentBuilder(discrete, config).WithServices(Tiny.Services).WithName(name).Build(),
            "SAC" => new SACExperimentBuilder(box, config).WithServices(Tiny.Services).WithName(name).Build(),
            "REDQ" => new REDQExperimentBuilder(box, config).WithServices(Tiny.Services).WithName(name).Build(),
            "DiscreteSAC" => new DiscreteSACExperimentBuilder(discrete, config).WithServices(Tiny.Services).WithName(name).Build(),
            "DDPG" => new DDPGExperimentBuilder(box, config).WithServices(Tiny.Services).WithName(name).Build(),
            "TD3" => new TD3ExperimentBuilder(box, config).WithServices(Tiny.Services).WithName(name).Build(),
            _ => throw new ArgumentException(name),
        };
    }

    [Theory]
    [MemberData(nameof(Builders))]
    public void A_saved_experiment_json_describes_each_network_once_in_its_model_factory(string name)
    {
        var experiment = Build(name);
        var directory = Path.Combine(_dir.Path, "saved-" + name);
        experiment.Save(directory);
        var algorithm = (JObject)JObject.Parse(File.ReadAllText(Path.Combine(directory, Exp.FileName)))["payload"]!["algorithm"]!;

        var parameters = (JObject)algorithm["params"]!;
        parameters.Properties().Select(p => p.Name).Should().NotContain(NetworkFields, $"{name}'s params hold the algorithm only");
        var factories = experiment.Definition.Algorithm.ModelFactories();
        factories.Should().NotBeEmpty();
        foreach (var (slot, _) in factories)
        {
            var json = algorithm[char.ToLowerInvariant(slot[0]) + slot[1..]] as JObject;
            json.Should().NotBeNull($"{name}'s {slot} is saved (the default factory, since the builder set none)");
            json!["hiddenSizes"].Should().NotBeNull($"{name}'s {slot} describes its layers");
        }
        // Each network's widths appear once per model factory and nowhere else.
        algorithm.Descendants().OfType<JProperty>().Count(p => p.Name == "hiddenSizes").Should().Be(factories.Count);

        // The saved file restores to the same algorithm.
        Exp.FromDirectory(directory, restorePolicy: false, services: Tiny.Services).Definition.Algorithm.Should().Be(experiment.Definition.Algorithm);
    }

    [Fact]
    public void Every_registered_algorithm_has_a_builder_case_here() =>
        AlgorithmRegistry.Default.Modules.Select(m => m.Name).Should().BeEquivalentTo(Names);
}
