using Newtonsoft.Json.Linq;
using RlExperiments.Experiments.Callbacks;
using RlExperiments.Experiments.Persistence;
using RlExperiments.Experiments.Tests.Builders;

namespace RlExperiments.Experiments.Tests.Experiment;

public class SaveRestoreTests
{
    [Theory]
    [MemberData(nameof(BuilderRunTests.Algorithms), MemberType = typeof(BuilderRunTests))]
    public void A_restored_experiment_equals_the_saved_one_and_its_policy_acts_the_same(string algorithm)
    {
        using var tmp = new TempDir();
        var experiment = BuilderRunTests.Build(algorithm, tmp.Path);
        using var original = experiment.Run();
        var dir = original.Directory!;

        var restored = Experiments.Experiment.FromDirectory(dir, services: Tiny.Services);
        restored.Definition.Should().Be(experiment.Definition with { Config = experiment.Config with { PolicyRestoreDirectory = dir } });
        Experiments.Experiment.FromDirectory(dir, restorePolicy: false, Tiny.Services).Definition.Should().Be(experiment.Definition);

        // Evaluate only: the restored policy reproduces the saved policy's test return, watch return and actions.
        using var replay = restored.WithConfig(c => c with { Train = false, PersistenceEnabled = false }).Run();
        replay.TrainerResult.Should().BeNull();
        Tiny.ActionsOnFixedObservations(replay.World.Agent).Should().Equal(Tiny.ActionsOnFixedObservations(original.World.Agent));
        Tiny.NetworkOutputs(replay.World.Agent).Should().Equal(Tiny.NetworkOutputs(original.World.Agent));
        replay.PolicyTestReturn.Should().Be(original.PolicyTestReturn);
        replay.WatchResult!.Returns.Should().Equal(original.WatchResult!.Returns);
    }

    [Fact]
    public void Save_writes_experiment_json_that_FromDirectory_reads_back_equal()
    {
        using var tmp = new TempDir();
        var experiment = Tiny.Sac(tmp.Path).WithOptimFactoryDefault(0.8, 0.95, 1e-7, 1e-4).Build();
        experiment.Save(tmp.Combine("saved"));
        var back = Experiments.Experiment.FromDirectory(tmp.Combine("saved"), restorePolicy: false, Tiny.Services);
        back.Definition.Should().Be(experiment.Definition);
        back.Should().NotBeSameAs(experiment);
        Directory.Exists(tmp.Combine("sac")).Should().BeFalse("saving and restoring creates no run directory");
    }

    [Fact]
    public void Save_names_a_lambda_callback_and_refuses_unless_told_to_drop_it()
    {
        using var tmp = new TempDir();
        var experiment = Tiny.Dqn(tmp.Path).WithEpochStopCallback((info, _) => info.Epoch > 5).Build();
        experiment.UnpersistableCallbacks.Should().ContainSingle().Which.Should().StartWith("EpochStopCallback: lambda");

        var save = () => experiment.Save(tmp.Combine("a"));
        save.Should().Throw<InvalidOperationException>().WithMessage("*EpochStopCallback: lambda*cannot be persisted*dropUnpersistableCallbacks: true*");
        File.Exists(tmp.Combine("a", "experiment.json")).Should().BeFalse();

        experiment.Save(tmp.Combine("b"), dropUnpersistableCallbacks: true);
        var back = Experiments.Experiment.FromDirectory(tmp.Combine("b"), restorePolicy: false, Tiny.Services);
        back.Definition.EpochStopCallback.Should().BeNull();
        back.Definition.DroppedCallbacks.Should().ContainSingle().Which.Should().StartWith("EpochStopCallback: lambda");
    }

    [Fact]
    public void A_run_with_a_lambda_callback_saves_without_it_and_says_so_in_the_log()
    {
        using var tmp = new TempDir();
        var epochs = new List<int>();
        using var result = Tiny.Dqn(tmp.Path).WithEpochTrainCallback((epoch, _, _) => epochs.Add(epoch)).Build().Run();
        epochs.Should().Equal(1);
        var saved = Tiny.Services.Json.ReadFile<ExperimentDefinition>(Path.Combine(result.Directory!, "experiment.json"));
        saved.EpochTrainCallback.Should().BeNull();
        saved.DroppedCallbacks.Should().ContainSingle().Which.Should().StartWith("EpochTrainCallback: lambda");
        File.ReadAllText(Path.Combine(result.Directory!, "log.txt")).Should().Contain("warn").And.Contain("EpochTrainCallback: lambda");
    }

    [Fact]
    public void Named_callbacks_are_saved_and_restored()
    {
        using var tmp = new TempDir();
        var experiment = Tiny.Dqn(tmp.Path)
            .WithEpochTrainCallback(new EpochTrainCallbackDQNEpsLinearDecay { EpsTrain = 0.9, EpsTrainFinal = 0.1, DecaySteps = 1000 })
            .WithEpochTestCallback(new EpochTestCallbackDQNSetEps { Eps = 0.05 })
            .WithEpochStopCallback(new EpochStopCallbackRewardThreshold { Threshold = 1e6 })
            .Build();
        experiment.Save(tmp.Combine("s"));
        var back = Experiments.Experiment.FromDirectory(tmp.Combine("s"), restorePolicy: false, Tiny.Services);
        back.Definition.Should().Be(experiment.Definition);
        back.Definition.EpochTestCallback.Should().Be(new EpochTestCallbackDQNSetEps { Eps = 0.05 });
    }

    private static string SavedDqn(TempDir tmp, bool run = true)
    {
        var experiment = Tiny.Dqn(tmp.Path).Build().WithConfig(c => c with { Watch = false });
        if (run)
        {
            using var result = experiment.Run();
            return result.Directory!;
        }
        experiment.Save(tmp.Combine("saved"));
        return tmp.Combine("saved");
    }

    private static void Tamper(string dir, Action<JObject> change)
    {
        var path = Path.Combine(dir, "experiment.json");
        var doc = JObject.Parse(File.ReadAllText(path));
        change(doc);
        File.WriteAllText(path, doc.ToString());
    }

    [Fact]
    public void A_tampered_type_is_refused_and_nothing_is_created()
    {
        using var tmp = new TempDir();
        var dir = SavedDqn(tmp);
        Tamper(dir, d => d["payload"]!["loggerFactory"]!["$type"] = "System.Diagnostics.Process, System");
        var before = Directory.GetFileSystemEntries(tmp.Path, "*", SearchOption.AllDirectories);
        var restore = () => Experiments.Experiment.FromDirectory(dir, services: Tiny.Services);
        restore.Should().Throw<ExperimentJsonException>().WithMessage("*System.Diagnostics.Process*not on the allow-list*");
        Directory.GetFileSystemEntries(tmp.Path, "*", SearchOption.AllDirectories).Should().BeEquivalentTo(before);
    }

    [Fact]
    public void An_unknown_format_version_is_refused()
    {
        using var tmp = new TempDir();
        var dir = SavedDqn(tmp, run: false);
        Tamper(dir, d => d["formatVersion"] = 99);
        var restore = () => Experiments.Experiment.FromDirectory(dir, restorePolicy: false, Tiny.Services);
        restore.Should().Throw<ExperimentJsonException>().WithMessage("*formatVersion*99*");
    }

    [Fact]
    public void A_missing_field_is_refused_naming_it()
    {
        using var tmp = new TempDir();
        var dir = SavedDqn(tmp, run: false);
        Tamper(dir, d => ((JObject)d["payload"]!).Remove("config"));
        var restore = () => Experiments.Experiment.FromDirectory(dir, restorePolicy: false, Tiny.Services);
        restore.Should().Throw<ExperimentJsonException>().WithMessage("*config*");
    }

    [Fact]
    public void An_invalid_value_is_refused_naming_the_field()
    {
        using var tmp = new TempDir();
        var dir = SavedDqn(tmp, run: false);
        Tamper(dir, d => d["payload"]!["algorithm"]!["params"]!["learningRate"] = -1);
        var restore = () => Experiments.Experiment.FromDirectory(dir, restorePolicy: false, Tiny.Services);
        restore.Should().Throw<ExperimentJsonException>().WithMessage("*DqnParams.LearningRate*");
    }

    [Fact]
    public void A_corrupt_policy_file_is_refused_at_restore()
    {
        using var tmp = new TempDir();
        var dir = SavedDqn(tmp);
        var policy = Path.Combine(dir, "policy.safetensors");
        var bytes = File.ReadAllBytes(policy);
        File.WriteAllBytes(policy, bytes[..(bytes.Length / 2)]);
        var restore = () => Experiments.Experiment.FromDirectory(dir, services: Tiny.Services);
        restore.Should().Throw<InvalidDataException>().WithMessage("*policy.safetensors*");
    }

    [Fact]
    public void Restoring_without_a_policy_file_says_how_to_restore_only_the_experiment()
    {
        using var tmp = new TempDir();
        var dir = SavedDqn(tmp, run: false);
        var restore = () => Experiments.Experiment.FromDirectory(dir, services: Tiny.Services);
        restore.Should().Throw<InvalidDataException>().WithMessage("*no policy.safetensors*restorePolicy: false*");
    }

    [Fact]
    public void A_policy_of_another_architecture_fails_before_the_run_directory_is_created()
    {
        using var tmp = new TempDir();
        var dir = SavedDqn(tmp);
        var other = Tiny.Dqn(tmp.Path).WithModelFactoryDefault([32]).WithName("other").Build()
            .WithConfig(c => c with { PolicyRestoreDirectory = dir, Train = false });
        var run = () => other.Run();
        run.Should().Throw<InvalidDataException>().WithMessage("*shape*");
        Directory.Exists(tmp.Combine("other")).Should().BeFalse();
    }

    [Fact]
    public void Warm_start_trains_from_the_restored_policy()
    {
        using var tmp = new TempDir();
        var dir = SavedDqn(tmp);
        var restored = Experiments.Experiment.FromDirectory(dir, services: Tiny.Services);
        using var result = restored.Run(experimentName: "warm");
        result.World.RestoreDirectory.Should().Be(dir);
        result.TrainerResult!.Epochs.Should().Be(1);
        File.ReadAllText(Path.Combine(result.Directory!, "log.txt")).Should().Contain("Restored the policy from");
        result.Summary.RestoredFrom.Should().Be(dir);
    }
}
