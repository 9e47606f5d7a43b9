using System.Text.Json;
using Microsoft.Extensions.Logging;
using RlExperiments.Agents;
using RlExperiments.Agents.Training;
using RlExperiments.Environments.Wrappers;
using RlExperiments.Factories;

namespace RlExperiments.Experiments;

/// <summary>
/// What a run checkpoint holds and how a run resumes from it: the agent's own checkpoint (through
/// <see cref="ICheckpointable"/>), both vector environments' state, the trainer's counters and the best policy so far
/// (<c>run.json</c>), and the experiment as it was (<c>experiment.json</c>). The directory handling (temp directory,
/// manifest, rename, pruning) is <see cref="RunCheckpoints"/>'.
/// </summary>
internal static class RunCheckpoint
{
    private const string Format = "rlexperiments.run-checkpoint/1";
    private const string StateFile = "run.json";
    private const string EnvsFile = "envs.bin";
    private const string AgentDirectory = "agent";

    /// <summary>What a resumed run starts from.</summary>
    public sealed record ResumePoint(string Directory, TrainerState Trainer, double BestReturn, PolicySnapshot? Best);

    /// <summary>The run-level part of a checkpoint (run.json).</summary>
    private sealed record RunState(string Format, string Algorithm, TrainerState Trainer, double BestReturn,
        Dictionary<string, float[]>? BestWeights, RunningMeanStdState? BestObservationStatistics);

    /// <summary>Writes a checkpoint of <paramref name="world"/> at the end of an epoch (its trainer's current state).</summary>
    /// <exception cref="IOException">Writing failed (e.g. a full disk); the previous checkpoints are intact.</exception>
    public static void Write(Experiment experiment, string directory, string name, World world, double bestReturn, PolicySnapshot? best, ILogger logger)
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
                var run = new RunState(Format, experiment.Definition.Algorithm.AlgorithmName, state, bestReturn, best?.Weights, best?.ObservationStatistics);
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
    /// Loads the newest intact checkpoint of <paramref name="directory"/> into <paramref name="agent"/> and
    /// <paramref name="envs"/>, after checking that <paramref name="experiment"/> trains exactly as the checkpointed one.
    /// </summary>
    public static ResumePoint Load(Experiment experiment, string directory, string name, IAgent agent, EnvironmentSet envs, ILogger logger)
    {
        var found = RunCheckpoints.FindLatestIntact(directory, logger)
            ?? throw new InvalidOperationException(
                $"Cannot resume '{directory}': it holds no intact checkpoint under {RunCheckpoints.DirectoryName}/ (set ExperimentConfig.CheckpointEveryEpochs to write them).");
        var dir = found.Directory;
        var json = experiment.Services.Json;
        var saved = json.Deserialize<ExperimentDefinition>(File.ReadAllText(Path.Combine(dir, Experiment.FileName)), source: Path.Combine(dir, Experiment.FileName));
        var current = experiment.Persistable(drop: true) with { Name = name };
        var differences = CheckpointCompatibility.Differences(json.Serialize(saved), json.Serialize(current));
        if (differences.Count > 0)
            throw new InvalidOperationException(
                $"Cannot resume '{directory}' from {dir}: the experiment differs from the checkpointed one in what training depends on: " +
                string.Join("; ", differences) + ". Resume with the original experiment.json, or start a new run.");
        var run = JsonSerializer.Deserialize<RunState>(File.ReadAllText(Path.Combine(dir, StateFile)), RunCheckpoints.JsonOptions)
            ?? throw new InvalidDataException($"'{dir}': {StateFile} is empty.");
        if (run.Format != Format)
            throw new InvalidDataException($"'{dir}': {StateFile} has format '{run.Format}'; expected '{Format}'.");
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
    public static void SaveAgent(IAgent agent, string directory) => Checkpointable(agent).SaveCheckpoint(directory);

    /// <summary>Restores an agent checkpoint written by <see cref="SaveAgent"/>.</summary>
    public static void LoadAgent(IAgent agent, string directory) => Checkpointable(agent).LoadCheckpoint(directory);

    private static ICheckpointable Checkpointable(IAgent agent) => agent as ICheckpointable
        ?? throw new NotSupportedException($"{agent.GetType().Name} cannot be checkpointed: it does not implement {nameof(ICheckpointable)}.");
}
