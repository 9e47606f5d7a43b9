namespace RlExperiments.Tuning;

/// <summary>One evaluated (or running) configuration.</summary>
/// <param name="Configuration">The configuration.</param>
/// <param name="Value">Objective value; null unless complete.</param>
/// <param name="State">Trial state.</param>
public sealed record Trial(Configuration Configuration, double? Value, TrialState State)
{
    /// <summary>
    /// When the trial was claimed (its configuration suggested); null when unknown (a hand-made history). Lets a
    /// sampler that replays its state from the history (<see cref="CmaEsSampler"/>) see what was finished at that time.
    /// </summary>
    public DateTime? StartedUtc { get; init; }

    /// <summary>When the trial finished; null while running or when unknown.</summary>
    public DateTime? CompletedUtc { get; init; }
}
