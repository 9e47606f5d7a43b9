using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RlExperiments.Core;
using RlExperiments.Factories;
using RlExperiments.Environments.Wrappers;
using RlExperiments.Agents.Training;
using RlExperiments.Agents;

namespace RlExperiments.Experiments;

/// <summary>
/// The resumable checkpoints of a run directory (<c>checkpoints/&lt;envStep&gt;/</c>). A checkpoint is written into
/// <c>checkpoints/.tmp-&lt;step&gt;/</c>, every file is flushed to disk, a <c>manifest.json</c> listing every file with its
/// size and SHA-256 is added, the directory is renamed to <c>checkpoints/&lt;step&gt;/</c> and only then the
/// <c>checkpoints/latest</c> pointer is replaced (atomically). A crash at any moment leaves the previous checkpoint whole;
/// <see cref="FindLatestIntact"/> verifies the checksums and falls back to older checkpoints.
/// </summary>
public static class RunCheckpoints
{
    /// <summary>The folder inside the run directory.</summary>
    public const string DirectoryName = "checkpoints";

    /// <summary>The pointer file naming the newest complete checkpoint.</summary>
    public const string LatestFileName = "latest";

    /// <summary>The file listing a checkpoint's files and their SHA-256.</summary>
    public const string ManifestFileName = "manifest.json";

    private const string TempPrefix = ".tmp-";
    private const string ManifestFormat = "rlexperiments.checkpoint-manifest/1";

    /// <summary>
    /// Test hook (fault injection): called with the temporary directory after the payload files were written and before
    /// the manifest and the rename. Throwing from it simulates a crash in the middle of a checkpoint.
    /// </summary>
    internal static readonly AsyncLocal<Action<string>?> BeforeCommit = new();

    /// <summary>The manifest of a checkpoint.</summary>
    public sealed record Manifest(string Format, long EnvStep, IReadOnlyList<ManifestEntry> Files);

    /// <summary>One file of a checkpoint: its path relative to the checkpoint (with '/'), size and SHA-256 (hex).</summary>
    public sealed record ManifestEntry(string Path, long Size, string Sha256);

    /// <summary>Writes a checkpoint for <paramref name="envStep"/> atomically and keeps the newest <paramref name="keep"/>; returns its directory.</summary>
    /// <exception cref="IOException">Writing failed (disk full, permission denied, ...): the previous checkpoints are intact.</exception>
    public static string Write(string runDirectory, long envStep, Action<string> writePayload, int keep)
    {
        ArgumentNullException.ThrowIfNull(writePayload);
        var root = Path.Combine(runDirectory, DirectoryName);
        Directory.CreateDirectory(root);
        var name = envStep.ToString(CultureInfo.InvariantCulture);
        var tmp = Path.Combine(root, TempPrefix + name);
        if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        Directory.CreateDirectory(tmp);
        try
        {
            return Commit(runDirectory, root, name, tmp, envStep, writePayload, keep);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A write failed (disk full, permissions): remove the partial checkpoint, best effort, and keep the error.
            // (Other exceptions stand for a crash in the tests and leave it, as a crash would; resume skips it.)
            try { if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true); }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException) { }
            throw;
        }
    }

    private static string Commit(string runDirectory, string root, string name, string tmp, long envStep, Action<string> writePayload, int keep)
    {
        writePayload(tmp);
        BeforeCommit.Value?.Invoke(tmp);
        var entries = new List<ManifestEntry>();
        foreach (var file in Directory.EnumerateFiles(tmp, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using (var flush = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                flush.Flush(flushToDisk: true);
            entries.Add(Describe(tmp, file));
        }
        var manifest = new Manifest(ManifestFormat, envStep, entries);
        AtomicFile.WriteAllText(Path.Combine(tmp, ManifestFileName), JsonSerializer.Serialize(manifest, JsonOptions));
        var final = Path.Combine(root, name);
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
        Directory.Move(tmp, final);
        AtomicFile.WriteAllText(Path.Combine(root, LatestFileName), name);
        foreach (var (_, old) in List(runDirectory).Skip(keep))
            Directory.Delete(old, recursive: true);
        return final;
    }

    /// <summary>The complete (renamed) checkpoint directories, newest first (not verified).</summary>
    public static IReadOnlyList<(long EnvStep, string Directory)> List(string runDirectory)
    {
        var root = Path.Combine(runDirectory, DirectoryName);
        if (!Directory.Exists(root)) return [];
        var list = new List<(long, string)>();
        foreach (var dir in Directory.EnumerateDirectories(root))
            if (long.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var step))
                list.Add((step, dir));
        return list.OrderByDescending(x => x.Item1).ToList();
    }

    /// <summary>Checks a checkpoint against its manifest; returns null when intact, else what is wrong.</summary>
    public static string? Verify(string checkpointDirectory)
    {
        var path = Path.Combine(checkpointDirectory, ManifestFileName);
        if (!File.Exists(path)) return $"it has no {ManifestFileName}";
        Manifest? manifest;
        try { manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(path), JsonOptions); }
        catch (JsonException ex) { return $"its {ManifestFileName} is unreadable ({ex.Message})"; }
        if (manifest?.Files is null || manifest.Format != ManifestFormat) return $"its {ManifestFileName} is not a checkpoint manifest";
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in manifest.Files)
        {
            listed.Add(entry.Path);
            var file = Path.Combine(checkpointDirectory, entry.Path.Replace('/', Path.DirectorySeparatorChar));
            if (!File.Exists(file)) return $"'{entry.Path}' is missing";
            var actual = Describe(checkpointDirectory, file);
            if (actual.Size != entry.Size) return $"'{entry.Path}' has {actual.Size} bytes, the manifest says {entry.Size}";
            if (!string.Equals(actual.Sha256, entry.Sha256, StringComparison.OrdinalIgnoreCase)) return $"'{entry.Path}' fails its SHA-256 check";
        }
        return null;
    }

    /// <summary>
    /// The newest checkpoint that passes <see cref="Verify"/>, or null. Newer ones that fail are skipped with a warning
    /// naming them and the reason; leftover temporary directories of interrupted checkpoints are deleted (with a warning).
    /// </summary>
    public static (long EnvStep, string Directory)? FindLatestIntact(string runDirectory, ILogger? logger = null)
    {
        var found = Inspect(runDirectory);
        foreach (var warning in found.Warnings) logger?.LogWarning("{Warning}", warning);
        DeleteIncomplete(found);
        return found.Latest;
    }

    /// <summary>What <see cref="Inspect"/> found: the newest intact checkpoint, the interrupted temporary directories and the warnings to log.</summary>
    internal sealed record Inspection((long EnvStep, string Directory)? Latest, IReadOnlyList<string> Incomplete, IReadOnlyList<string> Warnings);

    /// <summary>Finds the newest intact checkpoint without changing anything (the warnings are returned, not logged).</summary>
    internal static Inspection Inspect(string runDirectory)
    {
        var root = Path.Combine(runDirectory, DirectoryName);
        if (!Directory.Exists(root)) return new Inspection(null, [], []);
        var warnings = new List<string>();
        var incomplete = Directory.EnumerateDirectories(root, TempPrefix + "*").ToList();
        foreach (var tmp in incomplete)
            warnings.Add($"Ignoring the incomplete checkpoint {tmp} (interrupted while being written); deleting it.");
        foreach (var (step, dir) in List(runDirectory))
        {
            var problem = Verify(dir);
            if (problem is null) return new Inspection((step, dir), incomplete, warnings);
            warnings.Add($"Skipping the checkpoint {dir} (env step {step}): {problem}; trying an older one.");
        }
        return new Inspection(null, incomplete, warnings);
    }

    /// <summary>Deletes the interrupted temporary directories an <see cref="Inspect"/> found (best effort).</summary>
    internal static void DeleteIncomplete(Inspection inspection)
    {
        foreach (var tmp in inspection.Incomplete)
        {
            try { Directory.Delete(tmp, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    private static ManifestEntry Describe(string root, string file)
    {
        using var stream = File.OpenRead(file);
        var hash = SHA256.HashData(stream);
        return new ManifestEntry(Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/'), stream.Length, Convert.ToHexStringLower(hash));
    }

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        IncludeFields = false,
    };

    // What a run checkpoint holds and how a run resumes from it: the agent's own checkpoint (through ICheckpointable),
    // both vector environments' state, the trainer's counters and the best policy so far (run.json), and the experiment
    // as it was (experiment.json).

    private const string RunFormat = "rlexperiments.run-checkpoint/1";
    private const string StateFile = "run.json";
    private const string EnvsFile = "envs.bin";
    private const string AgentDirectory = "agent";

    /// <summary>What a resumed run starts from.</summary>
    internal sealed record ResumePoint(string Directory, TrainerState Trainer, double BestReturn, PolicySnapshot? Best);

    /// <summary>The run-level part of a checkpoint (run.json).</summary>
    private sealed record RunState(string Format, string Algorithm, TrainerState Trainer, double BestReturn,
        Dictionary<string, float[]>? BestWeights, RunningMeanStdState? BestObservationStatistics);

    /// <summary>Writes a checkpoint of <paramref name="world"/> at the end of an epoch (its trainer's current state).</summary>
    /// <exception cref="IOException">Writing failed (e.g. a full disk); the previous checkpoints are intact.</exception>
    internal static void WriteRun(Experiment experiment, string directory, string name, World world, double bestReturn, PolicySnapshot? best, ILogger logger)
    {
        var state = world.Trainer!.GetState();
        try
        {
            var path = RunCheckpoints.Write(directory, state.EnvSteps, tmp =>
            {
                SaveAgent(world.Agent, Path.Combine(tmp, AgentDirectory));
                using (var stream = new FileStream(Path.Combine(tmp, EnvsFile), FileMode.CreateNew, FileAccess.Write))
                using (var writer = new BinaryWriter(stream))
                {
                    world.Envs.Train.WriteCheckpointState(writer);
                    writer.Write(world.Envs.Test is not null);
                    world.Envs.Test?.WriteCheckpointState(writer);
                }
                var run = new RunState(RunFormat, experiment.Definition.Algorithm.AlgorithmName, state, bestReturn, best?.Weights, best?.ObservationStatistics);
                File.WriteAllText(Path.Combine(tmp, StateFile), JsonSerializer.Serialize(run, RunCheckpoints.JsonOptions));
                File.WriteAllText(Path.Combine(tmp, Experiment.FileName), experiment.Services.Json.Serialize(experiment.Persistable(drop: true) with { Name = name }));
            }, experiment.Config.KeepCheckpoints);
            logger.LogInformation("Checkpoint at epoch {Epoch}, env step {Step}: {Path}", state.Epoch, state.EnvSteps, path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException(
                $"Writing the checkpoint at env step {state.EnvSteps} (epoch {state.Epoch}) into '{Path.Combine(directory, RunCheckpoints.DirectoryName)}' failed: {ex.Message} " +
                "Training stopped; the previous checkpoints are intact (resume with Experiment.FromDirectory(dir).Resume()).", ex);
        }
    }

    /// <summary>
    /// Finds the newest intact checkpoint of <paramref name="directory"/> and checks that <paramref name="experiment"/>
    /// trains exactly as the checkpointed one. Changes nothing: a refused resume writes nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">There is no intact checkpoint, or the experiment differs (the message names each difference).</exception>
    internal static Inspection CheckResume(Experiment experiment, string directory, string name)
    {
        var inspection = Inspect(directory);
        var found = inspection.Latest
            ?? throw new InvalidOperationException(
                $"Cannot resume '{directory}': it holds no intact checkpoint under {RunCheckpoints.DirectoryName}/ (set ExperimentConfig.CheckpointEveryEpochs to write them)." +
                (inspection.Warnings.Count > 0 ? " " + string.Join(" ", inspection.Warnings) : "") + " Nothing was written.");
        var dir = found.Directory;
        var json = experiment.Services.Json;
        var saved = json.Deserialize<ExperimentDefinition>(File.ReadAllText(Path.Combine(dir, Experiment.FileName)), source: Path.Combine(dir, Experiment.FileName));
        ReadRunState(dir);
        var current = experiment.Persistable(drop: true) with { Name = name };
        var differences = CheckpointCompatibility.Differences(json.Serialize(saved), json.Serialize(current));
        if (differences.Count > 0)
            throw new InvalidOperationException(
                $"Cannot resume '{directory}' from {dir}: the experiment differs from the checkpointed one in what training depends on: " +
                string.Join("; ", differences) + ". Nothing was written. Resume with the original experiment.json, or start a new run.");
        return inspection;
    }

    /// <summary>Reads a checkpoint's run.json; a damaged one (truncated, wrong types, another format) is an <see cref="InvalidDataException"/> naming the file.</summary>
    private static RunState ReadRunState(string checkpointDirectory)
    {
        var path = Path.Combine(checkpointDirectory, StateFile);
        RunState? run;
        try
        {
            run = JsonSerializer.Deserialize<RunState>(File.ReadAllText(path), RunCheckpoints.JsonOptions);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException($"'{path}' is damaged and cannot be read ({ex.Message}); nothing was written. Delete this checkpoint directory to resume from the previous one.", ex);
        }
        if (run is null)
            throw new InvalidDataException($"'{path}' is empty (null); nothing was written.");
        if (run.Format != RunFormat)
            throw new InvalidDataException($"'{path}' has format '{run.Format}'; expected '{RunFormat}'.");
        return run;
    }

    /// <summary>
    /// Loads the checkpoint <paramref name="inspection"/> found (checked by <see cref="CheckResume"/>) into
    /// <paramref name="agent"/> and <paramref name="envs"/>; logs the inspection's warnings and deletes the interrupted
    /// temporary directories.
    /// </summary>
    internal static ResumePoint LoadRun(Inspection inspection, IAgent agent, EnvironmentSet envs, ILogger logger)
    {
        foreach (var warning in inspection.Warnings) logger.LogWarning("{Warning}", warning);
        DeleteIncomplete(inspection);
        var dir = inspection.Latest!.Value.Directory;
        var run = ReadRunState(dir);
        LoadAgent(agent, Path.Combine(dir, AgentDirectory));
        using (var stream = File.OpenRead(Path.Combine(dir, EnvsFile)))
        using (var reader = new BinaryReader(stream))
        {
            envs.Train.ReadCheckpointState(reader);
            if (reader.ReadBoolean()) envs.Test?.ReadCheckpointState(reader);
        }
        var best = run.BestWeights is null ? null : new PolicySnapshot(run.BestWeights, run.BestObservationStatistics);
        return new ResumePoint(dir, run.Trainer, run.BestReturn, best);
    }

    /// <summary>Writes the agent's own checkpoint (networks, optimisers, RNG streams, buffers) into <paramref name="directory"/>.</summary>
    /// <exception cref="NotSupportedException">The agent is not <see cref="ICheckpointable"/>.</exception>
    internal static void SaveAgent(IAgent agent, string directory) => Checkpointable(agent).SaveCheckpoint(directory);

    /// <summary>Restores an agent checkpoint written by <see cref="SaveAgent"/>.</summary>
    internal static void LoadAgent(IAgent agent, string directory) => Checkpointable(agent).LoadCheckpoint(directory);

    private static ICheckpointable Checkpointable(IAgent agent) => agent as ICheckpointable
        ?? throw new NotSupportedException($"{agent.GetType().Name} cannot be checkpointed: it does not implement {nameof(ICheckpointable)}.");
}
