namespace RlExperiments.Agents.Training;

/// <summary>
/// Hooks a training loop calls, as Tianshou's trainer callbacks: at the start of each epoch's training
/// (e.g. to set DQN's exploration), before each test phase (e.g. a fixed test epsilon), and after each
/// test phase to decide whether to stop (e.g. the reward threshold is reached).
/// </summary>
public sealed class TrainerCallbacks
{
    /// <summary>Called before an epoch's training steps with the epoch about to run (1-based) and the env steps so far.</summary>
    public Action<int, long>? OnEpochTrain { get; init; }

    /// <summary>Called before each test phase with the epoch (0 for the test at start) and the env steps so far.</summary>
    public Action<int, long>? OnEpochTest { get; init; }

    /// <summary>Called after each epoch's test phase; returning true stops training early.</summary>
    public Func<EpochInfo, bool>? ShouldStop { get; init; }

    /// <summary>Called after every epoch (after the stop decision), e.g. to checkpoint.</summary>
    public Action<EpochInfo>? OnEpochEnd { get; init; }

    /// <summary>Called on every vector step of the training environments and after every update; false stops training (see <see cref="IStepCallback"/>). Null: none.</summary>
    public IStepCallback? Step { get; init; }
}
