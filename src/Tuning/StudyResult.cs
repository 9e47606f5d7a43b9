namespace RlExperiments.Tuning;

/// <summary>The trials of a study and its best one (returned by <see cref="HyperparameterOptimizer"/>, read back by <see cref="Study.Load"/>).</summary>
public sealed class StudyResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="directory">The study directory.</param>
    /// <param name="study">The study record.</param>
    /// <param name="trials">All trials, ordered by number.</param>
    public StudyResult(string directory, StudyInfo study, IReadOnlyList<StudyTrial> trials)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trials);
        Directory = directory; Study = study; Trials = trials;
        BestTrial = Best(study.Direction, trials);
    }

    /// <summary>The study directory.</summary>
    public string Directory { get; }

    /// <summary>Name, direction, space name and creation time of the study.</summary>
    public StudyInfo Study { get; }

    /// <summary>The study direction.</summary>
    public StudyDirection Direction => Study.Direction;

    /// <summary>All trials (any state), ordered by number.</summary>
    public IReadOnlyList<StudyTrial> Trials { get; }

    /// <summary>The complete trial with the best value (lowest number among ties); null when no trial completed.</summary>
    public StudyTrial? BestTrial { get; }

    /// <summary>Configuration of <see cref="BestTrial"/>; null when no trial completed.</summary>
    public Configuration? BestConfiguration => BestTrial?.Configuration;

    /// <summary>Value of <see cref="BestTrial"/>; null when no trial completed.</summary>
    public double? BestValue => BestTrial?.Value;

    /// <summary>Number of trials in a state.</summary>
    /// <param name="state">The state.</param>
    public int Count(TrialState state) => Trials.Count(t => t.State == state);

    /// <summary>The best complete trial of <paramref name="trials"/> for <paramref name="direction"/> (lowest number among ties); null when none completed.</summary>
    /// <param name="direction">Study direction.</param>
    /// <param name="trials">Trials.</param>
    public static StudyTrial? Best(StudyDirection direction, IEnumerable<StudyTrial> trials)
    {
        StudyTrial? best = null;
        foreach (var t in trials)
        {
            if (t.State != TrialState.Complete || t.Value is not double v || !double.IsFinite(v)) continue;
            if (best is null || (direction == StudyDirection.Maximize ? v > best.Value!.Value : v < best.Value!.Value)) best = t;
        }
        return best;
    }
}
