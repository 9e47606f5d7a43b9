using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Newtonsoft.Json.Linq;
using RlExperiments.Agents.Training;
using RlExperiments.Experiments.Persistence;

namespace RlExperiments.Experiments.Tests.Experiment;

/// <summary>A trained tiny DQN run whose experiment.json and policy.safetensors the fuzz tests mutate.</summary>
public sealed class TrainedTinyRun : IDisposable
{
    public TrainedTinyRun()
    {
        var experiment = Tiny.Dqn(Dir.Path).Build().WithConfig(c => c with { Watch = false });
        using var run = experiment.Run();
        ExperimentJson = File.ReadAllText(Path.Combine(run.Directory!, Experiments.Experiment.FileName));
        Policy = File.ReadAllBytes(Path.Combine(run.Directory!, PolicyFile.BestFileName));
    }

    public TempDir Dir { get; } = new();

    public string ExperimentJson { get; }

    public byte[] Policy { get; }

    public void Dispose() => Dir.Dispose();
}

/// <summary>
/// Issue 16: a seeded fuzz test over the two files users keep. Each of 1,000 mutations of a real experiment.json and of a
/// real policy.safetensors either loads and runs one tiny epoch, or fails with the project's own error for the file
/// (<see cref="ExperimentJsonException"/> naming experiment.json; <see cref="InvalidDataException"/> naming the policy
/// file, also when a changed experiment.json no longer fits the policy; <see cref="NonFiniteException"/> when a loaded
/// value makes training diverge). No other exception type, no
/// mutation over <see cref="TimeLimit"/>, none allocating over <see cref="AllocationLimit"/> on its thread.
/// </summary>
public sealed class RestoreFuzzTests(TrainedTinyRun trained) : IClassFixture<TrainedTinyRun>
{
    private const int Seed = 20_261_206;
    private const int Mutations = 1000;
    private static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(10);
    private const long AllocationLimit = 512L << 20;

    /// <summary>The memory budget restores run under (<see cref="Core.MemoryBudget.Limit"/>): larger estimates are refused naming the file.</summary>
    private const long MemoryLimit = 64L << 20;

    // The mutation list: what each operation does is in its case below.
    private static readonly string[] JsonOperations =
        ["delete a field", "change a value's JSON type", "huge or negative number", "deep nesting", "foreign $type", "truncate the text", "rename a field", "envelope"];

    private static readonly string[] OtherTypes = ["\"x\"", "true", "null", "[]", "{}", "1.5", "-7", "\"\""];

    private static readonly string[] Numbers =
        ["99999999999999999999", "-99999999999999999999", "2147483647", "2147483648", "-2147483648", "-1", "0", "1e308", "-1e308", "1e-320", "1e400", "9007199254740993", "65536", "100000000"];

    private static readonly object[] ForeignTypes =
        ["System.Diagnostics.Process, System", "System.IO.FileInfo, System.IO.FileSystem", "Canary", "EnvFactory", "DQNAlgorithmFactory", "PPOAlgorithmFactory", "", 5];

    private static readonly string[] SafeTensorsOperations =
        ["header length", "dtype", "shape", "data offsets", "truncate the file", "metadata", "flip a header byte", "tensor names"];

    [Fact]
    public void Mutated_experiment_json_loads_and_runs_or_fails_naming_the_file()
    {
        var rng = new Random(Seed);
        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < Mutations; i++)
        {
            var op = rng.Next(JsonOperations.Length);
            var text = MutateJson(trained.ExperimentJson, op, rng);
            using var dir = new TempDir();
            var file = Path.Combine(dir.Path, Experiments.Experiment.FileName);
            File.WriteAllText(file, text);
            File.WriteAllBytes(Path.Combine(dir.Path, PolicyFile.BestFileName), trained.Policy);
            // A changed network or algorithm makes the (intact) policy file not fit: that error names the policy file.
            var policy = Path.Combine(dir.Path, PolicyFile.BestFileName);
            var outcome = Check(i, JsonOperations[op], dir.Path, ex =>
                (ex is ExperimentJsonException j && j.SourceName == file && j.Message.StartsWith(file, StringComparison.Ordinal))
                || (ex is InvalidDataException && ex.Message.Contains(policy, StringComparison.Ordinal)));
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        outcomes.GetValueOrDefault("refused").Should().BeGreaterThan(Mutations / 2, "most mutations break the file");
        outcomes.GetValueOrDefault("ran").Should().BeGreaterThan(0, "some mutations (numbers in range) still load and run");
    }

    [Fact]
    public void Mutated_policy_safetensors_loads_and_runs_or_fails_naming_the_file()
    {
        var rng = new Random(Seed + 1);
        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < Mutations; i++)
        {
            var op = rng.Next(SafeTensorsOperations.Length);
            var bytes = MutateSafeTensors(trained.Policy, op, rng);
            using var dir = new TempDir();
            File.WriteAllText(Path.Combine(dir.Path, Experiments.Experiment.FileName), trained.ExperimentJson);
            var file = Path.Combine(dir.Path, PolicyFile.BestFileName);
            File.WriteAllBytes(file, bytes);
            var outcome = Check(i, SafeTensorsOperations[op], dir.Path, ex => ex is InvalidDataException && ex.Message.Contains(file, StringComparison.Ordinal));
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        outcomes.GetValueOrDefault("refused").Should().BeGreaterThan(Mutations / 2);
    }

    /// <summary>Restores the directory and, when that works, runs one tiny epoch in memory; returns "ran" or "refused", or fails the test.</summary>
    private static string Check(int index, string operation, string dir, Func<Exception, bool> namesTheFile)
    {
        Exception? error = null;
        long allocated = 0;
        var ran = false;
        var task = Task.Run(() =>
        {
            Core.MemoryBudget.Limit.Value = MemoryLimit;
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var restored = Experiments.Experiment.FromDirectory(dir, services: Tiny.Services);
                var def = restored.Definition;
                // One tiny epoch in memory, whatever the file's schedule says.
                var tiny = new Experiments.Experiment(def with
                {
                    Config = def.Config with { PersistenceEnabled = false, Watch = false },
                    Sampling = def.Sampling with { NumEpochs = 1, EpochNumSteps = 64, NumTestEpisodes = 1, NumTestEnvs = 1, StartTimesteps = 32 },
                }, restored.Services) { SourceDirectory = restored.SourceDirectory };
                using var result = tiny.Run();
                result.TrainerResult!.EnvSteps.Should().BeGreaterThanOrEqualTo(64);
                ran = true;
            }
            catch (Exception ex)
            {
                error = ex;
            }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        });
        var clock = Stopwatch.StartNew();
        var finished = task.Wait(TimeLimit);
        finished.Should().BeTrue($"mutation {index} ({operation}) must end within {TimeLimit.TotalSeconds} s; file:\n{File.ReadAllText(Path.Combine(dir, Experiments.Experiment.FileName))}");
        allocated.Should().BeLessThan(AllocationLimit, $"mutation {index} ({operation}) allocated {allocated} bytes");
        if (ran) return "ran";
        if (error is NonFiniteException) return "diverged";
        if (error is not null && namesTheFile(error)) return "refused";
        throw new Xunit.Sdk.XunitException($"mutation {index} ({operation}) threw {error?.GetType().FullName}: {error?.Message}\n{error}");
    }

    private static string MutateJson(string original, int op, Random rng)
    {
        if (op == 5) return original[..rng.Next(original.Length)];
        var root = JObject.Parse(original);
        var payload = (JObject)root["payload"]!;
        var properties = payload.Descendants().OfType<JProperty>().ToList();
        var property = properties[rng.Next(properties.Count)];
        switch (op)
        {
            case 0:
                property.Remove();
                break;
            case 1:
                property.Value = JToken.Parse(OtherTypes[rng.Next(OtherTypes.Length)]);
                break;
            case 2:
            {
                var numbers = payload.Descendants().Where(t => t.Type is JTokenType.Integer or JTokenType.Float).ToList();
                numbers[rng.Next(numbers.Count)].Replace(JToken.Parse(Numbers[rng.Next(Numbers.Length)].Replace("1e400", "1e308")));
                if (rng.Next(4) == 0) return root.ToString().Replace("1e+308", Numbers[rng.Next(Numbers.Length)], StringComparison.Ordinal);
                break;
            }
            case 3:
            {
                var depth = rng.Next(30, 200);
                var nested = rng.Next(2) == 0
                    ? new string('[', depth) + "1" + new string(']', depth)
                    : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
                var marker = "\"__nested__\"";
                property.Value = "__nested__";
                return root.ToString().Replace(marker, nested, StringComparison.Ordinal);
            }
            case 4:
            {
                var objects = payload.DescendantsAndSelf().OfType<JObject>().ToList();
                var target = objects[rng.Next(objects.Count)];
                target["$type"] = JToken.FromObject(ForeignTypes[rng.Next(ForeignTypes.Length)]);
                break;
            }
            case 6:
                property.Replace(new JProperty(property.Name + "X", property.Value));
                break;
            case 7:
                switch (rng.Next(3))
                {
                    case 0: root["formatVersion"] = rng.Next(-3, 4); break;
                    case 1: root["kind"] = "PPOAlgorithmFactory"; break;
                    default: root["extra"] = 1; break;
                }
                break;
        }
        return root.ToString();
    }

    private static byte[] MutateSafeTensors(byte[] original, int op, Random rng)
    {
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(original);
        var data = original.AsSpan(8 + headerLength).ToArray();
        if (op == 0)
        {
            var copy = (byte[])original.Clone();
            ulong[] lengths = [0, 1, (ulong)headerLength - 1, (ulong)headerLength + 1, (ulong)original.Length, ulong.MaxValue, 1UL << 63, (ulong)rng.NextInt64()];
            BinaryPrimitives.WriteUInt64LittleEndian(copy, lengths[rng.Next(lengths.Length)]);
            return copy;
        }
        if (op == 4) return original.AsSpan(0, rng.Next(original.Length)).ToArray();
        if (op == 6)
        {
            var copy = (byte[])original.Clone();
            copy[8 + rng.Next(headerLength)] = (byte)rng.Next(256);
            return copy;
        }
        var header = JsonNode.Parse(Encoding.UTF8.GetString(original, 8, headerLength))!.AsObject();
        var names = header.Select(p => p.Key).Where(k => k != "__metadata__").ToList();
        var name = names[rng.Next(names.Count)];
        var entry = header[name]!.AsObject();
        switch (op)
        {
            case 1:
                JsonNode?[] dtypes = [5, "F16", "f32", null, "", new JsonArray(), "BF16", "F64"];
                entry["dtype"] = dtypes[rng.Next(dtypes.Length)]?.DeepClone();
                break;
            case 2:
                string[] shapes = ["[\"a\"]", "[1099511627776]", "[-1]", "[]", "[1,2,3,4,5]", "[2.5]", "\"x\"", "null", "[2147483648]", "[65536,65536]", "[1]", "[16,4,1]"];
                entry["shape"] = JsonNode.Parse(shapes[rng.Next(shapes.Length)]);
                break;
            case 3:
            {
                var offsets = entry["data_offsets"]!.AsArray();
                long begin = (long)offsets[0]!, end = (long)offsets[1]!;
                string[] mutated = [$"[{end},{begin}]", "[0,0]", $"[-4,{end}]", $"[{end},{end + 4}]", $"[{begin + 4},{end + 4}]", "[0,99999999999999999999]", "\"x\"", $"[{begin}]", $"[{begin},{end},1]", $"[{begin}.5,{end}]", "[0,4]"];
                entry["data_offsets"] = JsonNode.Parse(mutated[rng.Next(mutated.Length)]);
                break;
            }
            case 5:
                string[] metadata = ["5", "[]", "{\"format\":5}", "{}", "{\"format\":\"other\"}", "{\"format\":\"rlexperiments.policy/1\",\"algorithm\":\"PPO\"}", "{\"format\":\"rlexperiments.policy/1\",\"obs_rms\":\"{garbage\"}"];
                header["__metadata__"] = JsonNode.Parse(metadata[rng.Next(metadata.Length)]);
                break;
            case 7:
                switch (rng.Next(3))
                {
                    case 0: header.Remove(name); break;
                    case 1: header.Remove(name); header[name + ".x"] = entry; break;
                    default: header["extra"] = entry.DeepClone(); break;
                }
                break;
        }
        var newHeader = Encoding.UTF8.GetBytes(header.ToJsonString());
        var bytes = new byte[8 + newHeader.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)newHeader.Length);
        newHeader.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + newHeader.Length);
        return bytes;
    }
}
