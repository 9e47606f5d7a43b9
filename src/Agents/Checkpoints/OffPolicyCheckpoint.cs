using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Training;
using RlExperiments.Tensors.Nn;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Agents.Checkpoints;

/// <summary>
/// The checkpoint layout off-policy agents share: the replay buffer under <c>replay/</c>, every network (targets
/// included) in <c>networks.safetensors</c>, one <c>.safetensors</c> file per optimiser, and the agent's own scalar
/// state (random streams, counters, metric sums) in <c>agent.json</c>.
/// </summary>
internal static class OffPolicyCheckpoint
{
    /// <summary>The file of the agent's scalar state.</summary>
    public const string AgentFile = "agent.json";

    /// <summary>Writes the checkpoint into <paramref name="directory"/> (created when missing), each file atomically.</summary>
    /// <param name="directory">The checkpoint directory.</param>
    /// <param name="buffer">The replay buffer.</param>
    /// <param name="networks">Every network by name (online and target).</param>
    /// <param name="optimizers">Each optimiser with its file name.</param>
    /// <param name="agentState">The agent's scalar state, written as <see cref="AgentFile"/>.</param>
    public static void Save<TState>(string directory, ReplayBuffer buffer, IReadOnlyDictionary<string, Module> networks,
        IReadOnlyList<(string File, Optimizer Optimizer)> optimizers, TState agentState)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        buffer.Save(Path.Combine(directory, "replay"));
        CheckpointFiles.SaveModules(Path.Combine(directory, "networks.safetensors"), networks);
        foreach (var (file, optimizer) in optimizers) CheckpointFiles.SaveOptimizer(Path.Combine(directory, file), optimizer);
        CheckpointFiles.SaveJson(Path.Combine(directory, AgentFile), agentState);
    }

    /// <summary>
    /// Reads a checkpoint written by <see cref="Save"/>: the agent's state (format-checked, then passed to
    /// <paramref name="check"/>, which throws when it does not fit), the optimiser files (read and checked before any
    /// weight changes), the networks, the replay buffer, then the optimiser states. Returns the agent's state for the
    /// caller to apply (random streams, counters).
    /// </summary>
    public static TState Load<TState>(string directory, string format, ReplayBuffer buffer, IReadOnlyDictionary<string, Module> networks,
        IReadOnlyList<(string File, Optimizer Optimizer)> optimizers, Action<TState>? check = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var state = CheckpointFiles.LoadJson<TState>(Path.Combine(directory, AgentFile), format);
        check?.Invoke(state);
        var restores = new List<Action>(optimizers.Count);
        foreach (var (file, optimizer) in optimizers) restores.Add(CheckpointFiles.PrepareOptimizer(Path.Combine(directory, file), optimizer));
        CheckpointFiles.LoadModules(Path.Combine(directory, "networks.safetensors"), networks);
        buffer.Load(Path.Combine(directory, "replay"));
        foreach (var restore in restores) restore();
        return state;
    }

    /// <summary>Restores <paramref name="metrics"/> from a checkpoint's state, reporting a missing or mismatched state as damaged data naming the file.</summary>
    public static void RestoreMetrics(string directory, MetricAccumulator metrics, MetricAccumulatorState? state)
    {
        var path = Path.Combine(directory, AgentFile);
        if (state is null) throw new InvalidDataException($"'{path}' holds no update-metric sums (Metrics).");
        try { metrics.SetState(state); }
        catch (ArgumentException e) { throw new InvalidDataException($"'{path}': update-metric sums: {e.Message}", e); }
    }
}
