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

    /// <summary>Reads JSON written by <see cref="SaveJson{T}"/>, checking its format tag.</summary>
    public static T LoadJson<T>(string path, string format, Func<T, string> formatOf)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"'{path}' does not exist: the directory holds no agent checkpoint.");
        T? value;
        try { value = JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new InvalidDataException($"'{path}' is not a valid agent checkpoint: {e.Message}", e); }
        if (value is null) throw new InvalidDataException($"'{path}' is empty.");
        if (formatOf(value) != format)
            throw new InvalidDataException($"'{path}' has format '{formatOf(value)}'; expected '{format}' (a checkpoint of another algorithm?).");
        return value;
    }

    private static SafeTensorsFile Load(string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"Checkpoint file '{path}' is missing.");
        return SafeTensors.Load(path);
    }
}
