namespace RlExperiments.Tuning;

/// <summary>Decides whether a running trial should stop early, from its intermediate values and those of the other trials.</summary>
public interface IPruner
{
    /// <summary>Whether <paramref name="trial"/> should be pruned now (after its latest <see cref="TrialContext.Report"/>).</summary>
    /// <param name="direction">The study direction (which values are better).</param>
    /// <param name="trial">The running trial, with its intermediate values so far.</param>
    /// <param name="trials">All trials of the study (any state, <paramref name="trial"/> included).</param>
    bool ShouldPrune(StudyDirection direction, StudyTrial trial, IReadOnlyList<StudyTrial> trials);

    /// <summary>
    /// A pruner by its rlberry name: "none" (<see cref="NopPruner"/>) or "halving" (<see cref="SuccessiveHalvingPruner"/>
    /// with min resource 1, reduction factor 4, min early-stopping rate 0). Case-insensitive.
    /// </summary>
    /// <param name="name">"none" or "halving".</param>
    static IPruner FromName(string name) => name?.Trim().ToLowerInvariant() switch
    {
        "none" => new NopPruner(),
        "halving" => new SuccessiveHalvingPruner(),
        _ => throw new ArgumentException($"Pruner = '{name}' is unknown; allowed: 'none', 'halving'.", nameof(name)),
    };
}
