namespace RlExperiments.Tuning;

/// <summary>Never prunes (Optuna's <c>NopPruner</c>, rlberry's <c>"none"</c>).</summary>
public sealed class NopPruner : IPruner
{
    /// <inheritdoc />
    public bool ShouldPrune(StudyDirection direction, StudyTrial trial, IReadOnlyList<StudyTrial> trials) => false;
}
