namespace RlExperiments.Tuning;

/// <summary>
/// Asynchronous successive halving (Optuna's <c>SuccessiveHalvingPruner</c>, rlberry's <c>"halving"</c>).
/// Rung k is reached at step <c>minResource · reductionFactor^(minEarlyStoppingRate + k)</c>. A trial's value at rung k
/// is its intermediate value at the first reported step at or after that step. When a report reaches a rung (the
/// latest report is that first step), the trial's rung value is compared with the rung values of every trial that
/// reached the rung (any state, itself included): it continues only if it is among the best
/// <c>max(1, ⌊n / reductionFactor⌋)</c> of those n values for the study direction; otherwise it is pruned. A NaN value at
/// a rung is pruned. Before the first rung, or between rungs, it never prunes.
/// </summary>
/// <remarks>
/// Like Optuna, call <see cref="TrialContext.ShouldPrune"/> after every <see cref="TrialContext.Report"/>: the rung
/// check happens at the report that reaches the rung, so a rung passed while nobody asked is not checked later (and a
/// trial already promoted at a rung is never pruned at it afterwards, however later trials do).
/// </remarks>
public sealed class SuccessiveHalvingPruner : IPruner
{
    /// <summary>Creates the pruner (defaults are Optuna's and rlberry's).</summary>
    /// <param name="minResource">Steps before the first rung (≥ 1).</param>
    /// <param name="reductionFactor">η: the top 1/η of a rung continue (≥ 2).</param>
    /// <param name="minEarlyStoppingRate">s: the first rung is at minResource · η^s (≥ 0).</param>
    public SuccessiveHalvingPruner(long minResource = 1, int reductionFactor = 4, int minEarlyStoppingRate = 0)
    {
        if (minResource < 1)
            throw new ArgumentOutOfRangeException(nameof(minResource), minResource, $"minResource = {minResource} is invalid; allowed: an integer ≥ 1.");
        if (reductionFactor < 2)
            throw new ArgumentOutOfRangeException(nameof(reductionFactor), reductionFactor, $"reductionFactor = {reductionFactor} is invalid; allowed: an integer ≥ 2.");
        if (minEarlyStoppingRate < 0)
            throw new ArgumentOutOfRangeException(nameof(minEarlyStoppingRate), minEarlyStoppingRate, $"minEarlyStoppingRate = {minEarlyStoppingRate} is invalid; allowed: an integer ≥ 0.");
        MinResource = minResource; ReductionFactor = reductionFactor; MinEarlyStoppingRate = minEarlyStoppingRate;
    }

    /// <summary>Steps before the first rung.</summary>
    public long MinResource { get; }
    /// <summary>η: the top 1/η of a rung continue.</summary>
    public int ReductionFactor { get; }
    /// <summary>s: the first rung is at MinResource · η^s.</summary>
    public int MinEarlyStoppingRate { get; }

    /// <summary>The step at which rung <paramref name="rung"/> is reached (saturates at <see cref="long.MaxValue"/>).</summary>
    /// <param name="rung">Rung index, 0-based.</param>
    public long RungStep(int rung)
    {
        long step = MinResource;
        for (int i = 0; i < MinEarlyStoppingRate + rung; i++)
        {
            if (step > long.MaxValue / ReductionFactor) return long.MaxValue;
            step *= ReductionFactor;
        }
        return step;
    }

    /// <inheritdoc />
    public bool ShouldPrune(StudyDirection direction, StudyTrial trial, IReadOnlyList<StudyTrial> trials)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(trials);
        if (trial.LastIntermediateValue is not { } last) return false;
        for (int rung = 0; ; rung++)
        {
            long rungStep = RungStep(rung);
            if (last.Step < rungStep) return false;
            var own = RungValue(trial, rungStep)!;
            if (own.Step != last.Step) continue; // this rung was reached (and checked) at an earlier report
            if (double.IsNaN(own.Value)) return true;
            var competing = new List<double> { own.Value };
            foreach (var t in trials)
                if (t.Number != trial.Number && RungValue(t, rungStep) is { } v && !double.IsNaN(v.Value)) competing.Add(v.Value);
            if (!IsPromotable(own.Value, competing, direction)) return true;
            if (rungStep == long.MaxValue) return false;
        }
    }

    private bool IsPromotable(double value, List<double> competing, StudyDirection direction)
    {
        int keep = Math.Max(1, competing.Count / ReductionFactor);
        competing.Sort();
        return direction == StudyDirection.Maximize
            ? value >= competing[competing.Count - keep]
            : value <= competing[keep - 1];
    }

    /// <summary>The intermediate value at the first reported step at or after <paramref name="rungStep"/>; null when none.</summary>
    private static IntermediateValue? RungValue(StudyTrial trial, long rungStep)
    {
        foreach (var v in trial.IntermediateValues)
            if (v.Step >= rungStep) return v;
        return null;
    }
}
