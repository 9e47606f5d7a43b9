namespace RlExperiments.Tuning;

/// <summary>State of a trial.</summary>
public enum TrialState
{
    /// <summary>Suggested, not finished.</summary>
    Running,
    /// <summary>Finished with an objective value.</summary>
    Complete,
    /// <summary>Stopped early by a pruner.</summary>
    Pruned,
    /// <summary>Raised an error, returned a non-finite value, or was left running by a crashed process.</summary>
    Failed,
    /// <summary>Queued (enqueued by the user or re-queued after a crash), not started yet.</summary>
    Waiting,
}
