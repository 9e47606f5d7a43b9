namespace RlExperiments.AutoRL;

/// <summary>
/// When an <see cref="AutoRLEnv"/> writes a checkpoint. A checkpoint always holds everything needed to continue exactly:
/// networks (targets included), optimiser states, the replay buffer, random streams, counters and the environments'
/// state (ARLBench's "all" in spirit, where its buffer branch never runs).
/// </summary>
public enum AutoRLCheckpointMode
{
    /// <summary>No checkpoints.</summary>
    None,
    /// <summary>After every step.</summary>
    EveryStep,
    /// <summary>After the last step of an episode only.</summary>
    Final,
}
