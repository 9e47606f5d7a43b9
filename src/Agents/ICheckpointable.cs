namespace RlExperiments.Agents;

/// <summary>
/// An agent whose complete training state can be written to a directory and read back, so a run can be resumed
/// exactly (checkpoints, AutoRL steps). Callers test for this capability instead of for agent types.
/// </summary>
public interface ICheckpointable
{
    /// <summary>
    /// Writes into <paramref name="directory"/> everything needed to continue training exactly as if uninterrupted:
    /// networks (targets included) and optimiser states as <c>.safetensors</c>, random streams, counters and statistics
    /// as <c>agent.json</c>, and a replay buffer (when there is one) under <c>replay/</c>. Each file is written atomically.
    /// </summary>
    void SaveCheckpoint(string directory);

    /// <summary>
    /// Restores a checkpoint written by <see cref="SaveCheckpoint"/> of an agent built with the same spaces, parameters
    /// and environment count. Damaged, mismatched or outdated files raise <see cref="InvalidDataException"/> naming the
    /// file and the problem; after a failed load the agent should be discarded.
    /// </summary>
    void LoadCheckpoint(string directory);
}
