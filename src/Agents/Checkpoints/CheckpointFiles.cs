using System.Globalization;
using System.Text.Json;
using RlExperiments.Core;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;
using RlExperiments.Tensors.Optim;
using RlExperiments.Tensors.Serialization;

namespace RlExperiments.Agents.Checkpoints;

/// <summary>
/// The files an agent checkpoint is made of: networks and optimiser states as <c>.safetensors</c> (readable by
/// PyTorch), scalar state as JSON, all written atomically.
/// </summary>
internal static class CheckpointFiles
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Saves several modules into one file, parameter names prefixed with the module's name and a dot.</summary>
    public static void SaveModules(string path, IReadOnlyDictionary<string, Module> modules)
    {
        var all = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, module) in modules)
            foreach (var (p, t) in module.StateDict())
                all[$"{name}.{p}"] = t;
        SafeTensors.Save(path, all);
    }

    /// <summary>Loads a file written by <see cref="SaveModules"/>; names and shapes are checked for every module before any is changed.</summary>
    public static void LoadModules(string path, IReadOnlyDictionary<string, Module> modules)
    {
        var file = Load(path);
        var perModule = new Dictionary<string, Dictionary<string, Tensor>>(StringComparer.Ordinal);
        foreach (var name in modules.Keys) perModule[name] = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, tensor) in file.Tensors)
        {
            var dot = key.IndexOf('.');
            if (dot <= 0 || !perModule.TryGetValue(key[..dot], out var dict))
                throw new InvalidDataException($"{path}: unexpected tensor '{key}'; expected names starting with {string.Join(", ", modules.Keys.Select(k => $"'{k}.'"))}.");
            dict[key[(dot + 1)..]] = tensor;
        }
        // Check everything first (LoadStateDict validates before copying, but a later module could still fail).
        foreach (var (name, module) in modules)
        {
            var state = perModule[name];
            foreach (var (p, t) in module.NamedParameters())
            {
                if (!state.TryGetValue(p, out var saved))
                    throw new InvalidDataException($"{path}: missing tensor '{name}.{p}' (shape {t.ShapeString}).");
                if (!saved.Shape.SequenceEqual(t.Shape))
                    throw new InvalidDataException($"{path}: tensor '{name}.{p}' has shape {saved.ShapeString}; the network expects {t.ShapeString}.");
            }
        }
        foreach (var (name, module) in modules)
        {
            try { module.LoadStateDict(perModule[name]); }
            catch (InvalidDataException e) { throw new InvalidDataException($"{path} ('{name}'): {e.Message}", e); }
        }
    }

    /// <summary>Saves an optimiser's state (its buffers as tensors; type, step count and learning rate as metadata).</summary>
    public static void SaveOptimizer(string path, Optimizer optimizer)
    {
        var state = optimizer.GetState();
        SafeTensors.Save(path, state.Buffers, new Dictionary<string, string>
        {
            ["optimizer"] = state.Optimizer,
            ["step_count"] = state.StepCount.ToString(CultureInfo.InvariantCulture),
            ["learning_rate"] = state.LearningRate.ToString("R", CultureInfo.InvariantCulture),
        });
    }

    /// <summary>Returns an action that restores <paramref name="optimizer"/> from <paramref name="path"/>, after reading and checking it.</summary>
    public static Action PrepareOptimizer(string path, Optimizer optimizer)
    {
        var file = Load(path);
        if (!file.Metadata.TryGetValue("optimizer", out var type)
            || !file.Metadata.TryGetValue("step_count", out var steps) || !long.TryParse(steps, NumberStyles.Integer, CultureInfo.InvariantCulture, out var stepCount)
            || !file.Metadata.TryGetValue("learning_rate", out var lrText) || !double.TryParse(lrText, NumberStyles.Float, CultureInfo.InvariantCulture, out var lr))
            throw new InvalidDataException($"{path}: optimiser metadata (optimizer, step_count, learning_rate) is missing or malformed.");
        var state = new OptimizerState(type, stepCount, lr, file.Tensors);
        return () =>
        {
            try { optimizer.LoadState(state); }
            catch (InvalidDataException e) { throw new InvalidDataException($"{path}: {e.Message}", e); }
        };
    }

    /// <summary>Writes <paramref name="value"/> as indented JSON, atomically.</summary>
    public static void SaveJson<T>(string path, T value) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, Json));

    /// <summary>
    /// Reads JSON written by <see cref="SaveJson{T}"/>, checking its <c>Format</c> tag (e.g.
    /// <c>rlexperiments.dqn-checkpoint/2</c>) before reading anything else, so a checkpoint of another algorithm or of an
    /// earlier format version is refused with a message that says so rather than a parse error.
    /// </summary>
    public static T LoadJson<T>(string path, string format)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"'{path}' does not exist: the directory holds no agent checkpoint.");
        T? value;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            var found = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("Format", out var f) && f.ValueKind == JsonValueKind.String
                ? f.GetString()
                : null;
            if (found != format) throw FormatMismatch(path, found, format);
            value = root.Deserialize<T>(Json);
        }
        catch (JsonException e) { throw new InvalidDataException($"'{path}' is not a valid agent checkpoint: {e.Message}", e); }
        return value ?? throw new InvalidDataException($"'{path}' is empty.");
    }

    /// <summary>The error for a checkpoint whose format tag is not <paramref name="expected"/>: an earlier or later version of the same format, another algorithm's, or none.</summary>
    internal static InvalidDataException FormatMismatch(string path, string? found, string expected)
    {
        if (found is null)
            return new InvalidDataException($"'{path}' has no format tag; expected '{expected}' (not an agent checkpoint?).");
        var (foundName, foundVersion) = SplitFormat(found);
        var (expectedName, expectedVersion) = SplitFormat(expected);
        if (foundName == expectedName && foundVersion is { } fv && expectedVersion is { } ev && fv != ev)
        {
            var which = fv < ev ? "an earlier" : "a later";
            return new InvalidDataException(
                $"'{path}' has format '{found}'; expected '{expected}': the checkpoint was written by {which} version of RlExperiments. " +
                $"Resume it with that version, or start a new run.");
        }
        return new InvalidDataException($"'{path}' has format '{found}'; expected '{expected}' (a checkpoint of another algorithm?).");
    }

    private static (string Name, int? Version) SplitFormat(string format)
    {
        var slash = format.LastIndexOf('/');
        return slash > 0 && int.TryParse(format.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? (format[..slash], v)
            : (format, null);
    }

    private static SafeTensorsFile Load(string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"Checkpoint file '{path}' is missing.");
        return SafeTensors.Load(path);
    }
}
