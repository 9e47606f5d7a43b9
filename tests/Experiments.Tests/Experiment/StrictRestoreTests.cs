using Newtonsoft.Json.Linq;
using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Core;
using RlExperiments.Experiments.Persistence;

namespace RlExperiments.Experiments.Tests.Experiment;

/// <summary>Issue 16, item 5: restore input that gave raw exceptions, silent defaults or absurd allocations.</summary>
public class StrictRestoreTests
{
    /// <summary>Saves the tiny DQN experiment and returns the directory and its experiment.json as a JObject.</summary>
    private static (string Dir, string File, JObject Json) Saved(TempDir tmp)
    {
        var dir = tmp.Combine("saved");
        Tiny.Dqn(tmp.Path).Build().Save(dir);
        var file = Path.Combine(dir, "experiment.json");
        return (dir, file, JObject.Parse(File.ReadAllText(file)));
    }

    private static RlExperiments.Experiments.Algorithms.Dqn.DQNExperimentBuilder DqnWith(string baseDir, SamplingConfig sampling) =>
        new RlExperiments.Experiments.Algorithms.Dqn.DQNExperimentBuilder(Tiny.CartPole, Tiny.Config(baseDir), sampling)
            .WithDQNParams(new DqnParams { TrainFreq = 4, TargetUpdateInterval = 50 })
            .WithModelFactoryDefault([16])
            .WithServices(Tiny.Services)
            .WithName("dqn");

    private static JProperty Find(JObject json, string path) =>
        (JProperty)json.SelectToken(path)!.Parent!;

    [Theory]
    [InlineData("payload.algorithm.params.learningRate", "learningRate")]
    [InlineData("payload.algorithm.params.targetUpdateInterval", "targetUpdateInterval")]
    [InlineData("payload.sampling.numEpochs", "numEpochs")]
    [InlineData("payload.config.seed", "seed")]
    [InlineData("payload.loggerFactory", "loggerFactory")]
    public void A_missing_field_is_an_error_naming_the_file_and_the_field_not_a_default(string path, string field)
    {
        using var tmp = new TempDir();
        var (dir, file, json) = Saved(tmp);
        Experiments.Experiment.FromDirectory(dir, restorePolicy: false, Tiny.Services).Should().NotBeNull("the unmodified file loads");

        Find(json, path).Remove();
        File.WriteAllText(file, json.ToString());
        var act = () => Experiments.Experiment.FromDirectory(dir, restorePolicy: false, Tiny.Services);
        act.Should().Throw<ExperimentJsonException>().WithMessage($"{file}: required field '{field}' is missing*")
            .Which.SourceName.Should().Be(file);
    }

    [Theory]
    [InlineData("payload.algorithm.params.trainFreq", "99999999999999999999", "an integer in [-2147483648, 2147483647]")]
    [InlineData("payload.algorithm.params.trainFreq", "-99999999999999999999", "an integer in [-2147483648, 2147483647]")]
    [InlineData("payload.algorithm.params.trainFreq", "\"4\"", "an integer in [-2147483648, 2147483647]")]
    [InlineData("payload.algorithm.params.trainFreq", "4.5", "an integer in [-2147483648, 2147483647]")]
    [InlineData("payload.config.seed", "1e30", "an integer in [-2147483648, 2147483647]")]
    [InlineData("payload.algorithm.modelFactory.hiddenSizes[0]", "99999999999999999999", "an integer in [-2147483648, 2147483647]")]
    public void An_integer_out_of_range_names_the_file_the_field_the_value_and_the_range(string path, string value, string allowed)
    {
        using var tmp = new TempDir();
        var (dir, file, json) = Saved(tmp);
        json.SelectToken(path)!.Replace(JToken.Parse(value));
        File.WriteAllText(file, json.ToString());
        var act = () => Experiments.Experiment.FromDirectory(dir, restorePolicy: false, Tiny.Services);
        var ex = act.Should().Throw<ExperimentJsonException>().Which;
        ex.Message.Should().StartWith(file + ":").And.Contain($"'{path}' = ").And.Contain($"allowed: {allowed}");
        ex.InnerException.Should().NotBeOfType<OverflowException>();
    }

    [Fact]
    public void Absurd_network_sizes_are_refused_at_Build_and_at_restore_with_the_estimate_and_the_field()
    {
        using var tmp = new TempDir();
        var huge = () => Tiny.Dqn(tmp.Path).WithModelFactoryDefault([1_000_000_000, 1_000_000_000]).Build();
        huge.Should().Throw<ArgumentException>()
            .WithMessage("QNetworkFactoryDefault.HiddenSizes = [1000000000, 1000000000] needs at least * TB for its network weights, gradients and Adam moments*more than the * this process may use*");
        var deep = () => Tiny.Dqn(tmp.Path).WithModelFactoryDefault(Enumerable.Repeat(64, 100_000).ToArray()).Build();
        deep.Should().Throw<ArgumentException>().WithMessage("QNetworkFactoryDefault.HiddenSizes has 100000 hidden layers; allowed: at most 1000.*");

        // [40000, 40000]: refused exactly when its estimate (at least 1.6e9 parameters × 4 copies × 4 bytes) exceeds this machine's memory.
        var estimate = MemoryBudget.Network("x", [40000, 40000]).Bytes;
        estimate.Should().BeGreaterThan(25.6e9);
        var wide = () => Tiny.Dqn(tmp.Path).WithModelFactoryDefault([40000, 40000]).Build();
        if (estimate > MemoryBudget.AvailableBytes) wide.Should().Throw<ArgumentException>().WithMessage("QNetworkFactoryDefault.HiddenSizes = [40000, 40000] needs at least 25.6 GB*");
        else wide.Should().NotThrow();

        // The same sizes written into a saved file are refused at restore, naming the file.
        var (dir, file, json) = Saved(tmp);
        json.SelectToken("payload.algorithm.modelFactory.hiddenSizes")!.Replace(new JArray(1_000_000_000, 1_000_000_000));
        File.WriteAllText(file, json.ToString());
        var restore = () => Experiments.Experiment.FromDirectory(dir, restorePolicy: false, Tiny.Services);
        restore.Should().Throw<ExperimentJsonException>().WithMessage($"{file}: invalid value: QNetworkFactoryDefault.HiddenSizes = [1000000000, 1000000000] needs at least*")
            .Which.JsonPath.Should().Be("QNetworkFactoryDefault.HiddenSizes");
    }

    [Fact]
    public void Replay_buffers_and_environment_counts_beyond_memory_are_refused_naming_the_field()
    {
        using var tmp = new TempDir();
        var buffer = () => DqnWith(tmp.Path, Tiny.DqnSampling() with { BufferSize = int.MaxValue }).Build();
        if (MemoryBudget.ReplayBuffer("x", int.MaxValue).Bytes > MemoryBudget.AvailableBytes)
            buffer.Should().Throw<ArgumentException>().WithMessage("SamplingConfig.BufferSize = 2147483647 needs at least 38.7 GB for its replay buffer*");
        var testEnvs = () => DqnWith(tmp.Path, Tiny.DqnSampling() with { NumTestEnvs = 10_000_000 }).Build();
        testEnvs.Should().Throw<ArgumentException>().WithMessage("SamplingConfig.NumTestEnvs = 10000000 is invalid (at least 5.1 GB of environments); allowed: at most 65536 environments.*");

        var (dir, file, json) = Saved(tmp);
        json.SelectToken("payload.sampling.numTestEnvs")!.Replace(10_000_000);
        File.WriteAllText(file, json.ToString());
        var restore = () => Experiments.Experiment.FromDirectory(dir, restorePolicy: false, Tiny.Services);
        restore.Should().Throw<ExperimentJsonException>().WithMessage($"{file}: invalid value: SamplingConfig.NumTestEnvs = 10000000 is invalid*");
    }

    [Theory]
    [InlineData("payload.envFactory.kwargs", "{\"max_episode_stepsX\": 50}", "*Unknown parameter 'max_episode_stepsX' for CartPole-v1*")]
    [InlineData("payload.envFactory.envId", "\"Pendulum-v1\"", "*DQN*")]
    [InlineData("payload.sampling.batchSize", "100000000", "*BatchSize = 100000000 is invalid with BufferSize = 1000*")]
    public void A_restored_file_gets_the_checks_of_Build_naming_the_file(string path, string value, string message)
    {
        using var tmp = new TempDir();
        var (dir, file, json) = Saved(tmp);
        json.SelectToken(path)!.Replace(JToken.Parse(value));
        File.WriteAllText(file, json.ToString());
        // Caught at restore (values) or, for the environment, when the run creates it, before anything is written.
        var restoreAndRun = () => Experiments.Experiment.FromDirectory(dir, restorePolicy: false, Tiny.Services).WithConfig(c => c with { PersistenceEnabled = false, Watch = false }).Run();
        restoreAndRun.Should().Throw<ExperimentJsonException>().WithMessage(message).Which.Message.Should().StartWith(file + ": invalid value: ");
    }

    [Fact]
    public void The_memory_check_sums_the_demands_and_names_the_largest()
    {
        var demands = new[]
        {
            MemoryBudget.Network("A.HiddenSizes", [1000]),
            MemoryBudget.ReplayBuffer("B.BufferSize", 1_000_000),
            MemoryBudget.Environments("C.NumTrainEnvs", 4),
        };
        var total = demands.Sum(d => d.Bytes);
        FluentActions.Invoking(() => MemoryBudget.Check(demands, availableBytes: (long)total)).Should().NotThrow();
        FluentActions.Invoking(() => MemoryBudget.Check(demands, availableBytes: (long)total - 1)).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("B.BufferSize = 1000000 needs at least 18 MB for its replay buffer (18 bytes per transition at least) (the experiment at least 18.1 MB), more than the 18.1 MB this process may use*")
            .Which.ParamName.Should().Be("B.BufferSize");
        // Weights and biases of 1→1000→1, four float copies each.
        demands[0].Bytes.Should().Be((1 * 1000 + 1000 + 1000 + 1) * 4 * 4);
    }

    [Theory]
    [InlineData("...")]
    [InlineData("a\nb")]
    [InlineData("a\tb")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData(" padded")]
    public void Names_that_are_not_plain_file_names_are_refused_at_Build(string name)
    {
        using var tmp = new TempDir();
        var act = () => Tiny.Dqn(tmp.Path).WithName(name).Build();
        act.Should().Throw<ArgumentException>().WithMessage("ExperimentBuilder.name = *is invalid*allowed: a plain file name*");

        // The same name written into a saved experiment.json is refused at restore, naming the file.
        var (dir, file, json) = Saved(tmp);
        json.SelectToken("payload.name")!.Replace(name);
        File.WriteAllText(file, json.ToString());
        var restore = () => Experiments.Experiment.FromDirectory(dir, restorePolicy: false, Tiny.Services);
        restore.Should().Throw<ExperimentJsonException>().WithMessage($"{file}: invalid value: ExperimentDefinition.Name = *is invalid*allowed: a plain file name*");
    }

    [Fact]
    public void A_300_character_name_is_refused_at_Build_with_the_limit()
    {
        using var tmp = new TempDir();
        var act = () => Tiny.Dqn(tmp.Path).WithName(new string('n', 300)).Build();
        act.Should().Throw<ArgumentException>().WithMessage("ExperimentBuilder.name = \"nnnn*…\" (300 bytes) is invalid; allowed: at most 255 bytes in UTF-8 (the file-name limit).*");
        Tiny.Dqn(tmp.Path).WithName(new string('n', 255)).Build().Name.Should().HaveLength(255);
    }

    [Fact]
    public void A_PersistenceBaseDir_that_is_a_file_is_named_and_nothing_is_written()
    {
        using var tmp = new TempDir();
        var file = tmp.Combine("not-a-dir");
        File.WriteAllText(file, "x");
        var experiment = Tiny.Dqn(file).Build();
        var act = () => experiment.Run();
        act.Should().Throw<IOException>().WithMessage($"Cannot create the run directory '{Path.Combine(file, "dqn")}': '{file}' is a file, not a directory (ExperimentConfig.PersistenceBaseDir = \"{file}\")*");
        File.ReadAllText(file).Should().Be("x");
        Directory.GetFileSystemEntries(tmp.Path).Should().Equal(file);
    }
}

/// <summary>A checkpoint whose run.json is truncated (and whose manifest was rewritten to match, so the hash check passes).</summary>
public class TruncatedRunStateTests
{
    [Fact]
    public void A_truncated_run_json_is_an_error_naming_the_file_and_the_resume_writes_nothing()
    {
        using var tmp = new TempDir();
        var experiment = new RlExperiments.Experiments.Algorithms.Dqn.DQNExperimentBuilder(Tiny.CartPole,
                Tiny.Config(tmp.Path) with { CheckpointEveryEpochs = 1, KeepCheckpoints = 2, Watch = false }, Tiny.DqnSampling(epochs: 2))
            .WithDQNParams(new DqnParams { TrainFreq = 4, TargetUpdateInterval = 50 })
            .WithModelFactoryDefault([16])
            .WithServices(Tiny.Services)
            .WithName("dqn")
            .Build();
        string runDir;
        using (var run = experiment.Run()) runDir = run.Directory!;
        var latest = Directory.GetDirectories(Path.Combine(runDir, "checkpoints")).OrderByDescending(d => long.Parse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture)).First();
        var runJson = Path.Combine(latest, "run.json");
        var text = File.ReadAllText(runJson);
        File.WriteAllText(runJson, text[..(text.Length / 2)]);
        var bytes = File.ReadAllBytes(runJson);
        var manifestPath = Path.Combine(latest, "manifest.json");
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifestPath))!;
        foreach (var entry in manifest["Files"]!.AsArray())
        {
            if ((string?)entry!["Path"] != "run.json") continue;
            entry["Size"] = bytes.Length;
            entry["Sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        }
        File.WriteAllText(manifestPath, manifest.ToJsonString());
        RunCheckpoints.Verify(latest).Should().BeNull("the manifest matches the truncated file: only the parse can tell");

        var before = Directory.GetFiles(runDir, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
        var act = () => Experiments.Experiment.FromDirectory(runDir, restorePolicy: false, Tiny.Services).Resume();
        act.Should().Throw<InvalidDataException>().WithMessage($"'{runJson}' is damaged and cannot be read (*); nothing was written.*");
        var after = Directory.GetFiles(runDir, "*", SearchOption.AllDirectories);
        after.Should().BeEquivalentTo(before.Keys);
        foreach (var f in after) File.ReadAllBytes(f).Should().Equal(before[f], f);
    }
}
