using Exp = RlExperiments.Experiments.Experiment;
using Microsoft.Extensions.Logging;
using RlExperiments.Experiments.Algorithms.A2c;
using RlExperiments.Experiments.Algorithms.Ppo;
using RlExperiments.Experiments.Algorithms.Dqn;
using RlExperiments.Factories.Models;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Experiments.Tests.Settings;

/// <summary>
/// experiment.json files written before the NumEpochs → UpdateEpochs rename and while params records still held the
/// network (real files, Fixtures/main-2ec9ed5) still load, with a note per change.
/// </summary>
public class OldExperimentJsonTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "main-2ec9ed5", name);

    [Fact]
    public void An_old_ppo_experiment_loads_with_numEpochs_read_as_UpdateEpochs_and_a_logged_note()
    {
        using var dir = new TempDir();
        File.Copy(Fixture("ppo-experiment.json"), dir.Combine(Exp.FileName));
        var log = new CapturingLogger();
        var experiment = Exp.FromDirectory(dir.Path, restorePolicy: false, services: log.Services());
        var ppo = (PPOAlgorithmFactory)experiment.Definition.Algorithm;
        ppo.Params.UpdateEpochs.Should().Be(4);
        (ppo.Params.NumSteps, ppo.Params.BatchSize).Should().Be((128, 32));
        var notes = log.At(LogLevel.Warning);
        notes.Should().HaveCount(2);
        notes.Should().ContainSingle(n => n.Contains("payload.algorithm.params.numEpochs' was read as 'updateEpochs'") && n.Contains("Experiment.Save"));

        // The file's actor factory ([32, 32]) described the actor then and still does; the params' [64, 64] Tanh ortho
        // network described the critic (it had no factory) and now is its factory; the note says both.
        ppo.ActorFactory.Should().Be(new ActorFactoryDefault { HiddenSizes = [32, 32], Activation = Activation.Tanh, OrthoInit = true });
        ppo.CriticFactory.Should().Be(new CriticFactoryDefault { HiddenSizes = [64, 64], Activation = Activation.Tanh, OrthoInit = true });
        ppo.CriticUseActor.Should().BeFalse();
        notes.Should().ContainSingle(n => n.Contains("'payload.algorithm.params' held the network") && n.Contains("→ criticFactory (CriticFactoryDefault)")
            && n.Contains("the factory wins over the params") && n.Contains("actorFactory (ActorFactoryDefault) keeps its hiddenSizes [32,32], not params.hiddenSizes [64,64]"));

        // Saved again, the file has the new name only and loads without a note.
        var again = dir.Combine("again");
        experiment.Save(again);
        var text = File.ReadAllText(Path.Combine(again, Exp.FileName));
        text.Should().Contain("\"updateEpochs\": 4").And.NotContain("\"numEpochs\": 4");
        var payload = Newtonsoft.Json.Linq.JObject.Parse(text)["payload"]!["algorithm"]!;
        payload["params"]!["hiddenSizes"].Should().BeNull("the params no longer describe the network");
        payload["actorFactory"]!["hiddenSizes"]!.ToString(Newtonsoft.Json.Formatting.None).Should().Be("[32,32]");
        var quiet = new CapturingLogger();
        ((PPOAlgorithmFactory)Exp.FromDirectory(again, restorePolicy: false, services: quiet.Services()).Definition.Algorithm).Params
            .Should().Be(ppo.Params);
        quiet.At(LogLevel.Warning).Should().BeEmpty();
    }

    [Fact]
    public void An_old_a2c_experiment_loads_too()
    {
        using var dir = new TempDir();
        File.Copy(Fixture("a2c-experiment.json"), dir.Combine(Exp.FileName));
        var log = new CapturingLogger();
        var a2c = (A2CAlgorithmFactory)Exp.FromDirectory(dir.Path, restorePolicy: false, services: log.Services()).Definition.Algorithm;
        a2c.Params.UpdateEpochs.Should().Be(2);
        log.At(LogLevel.Warning).Should().HaveCount(2);
        // No model factory in the file: the params' network (SB3's 64-64 Tanh with orthogonal initialisation) becomes both factories.
        a2c.ActorFactory.Should().Be(new ActorFactoryDefault { HiddenSizes = [64, 64], Activation = Activation.Tanh, OrthoInit = true });
        a2c.CriticFactory.Should().Be(new CriticFactoryDefault { HiddenSizes = [64, 64], Activation = Activation.Tanh, OrthoInit = true });
        log.At(LogLevel.Warning).Should().ContainSingle(n => n.Contains("params.hiddenSizes, params.activation, params.orthoInit → actorFactory (ActorFactoryDefault)"));
    }

    [Fact]
    public void An_old_dqn_file_with_a_dueling_params_network_and_no_factory_gets_it_as_its_model_factory()
    {
        // A DQN experiment.json as the code before this change wrote it: the network in the params, the model factory null.
        using var dir = new TempDir();
        var json = File.ReadAllText(Fixture("ppo-experiment.json"));
        var root = Newtonsoft.Json.Linq.JObject.Parse(json);
        root["payload"]!["algorithm"] = Newtonsoft.Json.Linq.JObject.Parse("""
            { "$type": "DQNAlgorithmFactory",
              "params": { "learningRate": 0.001, "bufferSize": 5000, "learningStarts": 100, "batchSize": 32, "tau": 1.0, "gamma": 0.99,
                "trainFreq": 4, "gradientSteps": 1, "targetUpdateInterval": 500, "explorationFraction": 0.1, "explorationInitialEps": 1.0,
                "explorationFinalEps": 0.05, "maxGradNorm": 10.0, "hiddenSizes": [ 32, 16 ], "activation": "Tanh", "doubleDqn": false,
                "dueling": true, "nStep": 1, "loss": "Huber", "prioritizedReplay": false, "priorityAlpha": 0.6, "priorityBeta0": 0.4, "priorityEps": 1E-06 },
              "modelFactory": null, "optimizerFactory": null }
            """);
        File.WriteAllText(dir.Combine(Exp.FileName), root.ToString());
        var log = new CapturingLogger();
        var dqn = (DQNAlgorithmFactory)Exp.FromDirectory(dir.Path, restorePolicy: false, services: log.Services()).Definition.Algorithm;
        dqn.ModelFactory.Should().Be(new QNetworkFactoryDefault { HiddenSizes = [32, 16], Activation = Activation.Tanh, Dueling = true });
        dqn.Params.TargetUpdateInterval.Should().Be(500);
        log.At(LogLevel.Warning).Should().Contain(n => n.Contains("params.hiddenSizes, params.activation, params.dueling → modelFactory (QNetworkFactoryDefault)"));
    }
}
