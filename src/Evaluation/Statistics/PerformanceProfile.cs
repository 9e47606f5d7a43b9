namespace RlExperiments.Evaluation.Statistics;

/// <summary>
/// A performance profile (rliable's run-score distribution): for each threshold τ, the fraction of run × task scores
/// strictly above τ, with a stratified-bootstrap confidence band.
/// </summary>
/// <param name="Group">The group's name.</param>
/// <param name="Thresholds">The thresholds τ, ascending.</param>
/// <param name="FractionAbove">For each τ, the fraction of scores above it with its interval.</param>
public sealed record PerformanceProfile(string Group, IReadOnlyList<double> Thresholds, IReadOnlyList<Estimate> FractionAbove)
{
    /// <summary>Computes the profile of <paramref name="scores"/> at <paramref name="thresholds"/>.</summary>
    /// <exception cref="ArgumentException">When there are no thresholds or one is not finite.</exception>
    public static PerformanceProfile Compute(ScoreMatrix scores, IReadOnlyList<double> thresholds, BootstrapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(thresholds);
        if (thresholds.Count == 0)
            throw new ArgumentException("A performance profile needs at least one threshold.", nameof(thresholds));
        var taus = thresholds.ToArray();
        foreach (var tau in taus)
        {
            if (!double.IsFinite(tau))
                throw new ArgumentException($"Thresholds must be finite; got {tau}.", nameof(thresholds));
        }
        Array.Sort(taus);
        var estimates = StratifiedBootstrap.ConfidenceIntervals(scores, m => Fractions(m, taus), options);
        return new PerformanceProfile(scores.Name, taus, estimates);
    }

    /// <summary>
    /// <paramref name="count"/> evenly spaced thresholds spanning all groups' scores with a 5% margin on each side, so every
    /// profile starts at 1 and ends at 0.
    /// </summary>
    /// <exception cref="ArgumentException">When there are no groups or fewer than 2 points are asked for.</exception>
    public static double[] ThresholdGrid(IEnumerable<ScoreMatrix> groups, int count = 101)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (count < 2)
            throw new ArgumentOutOfRangeException(nameof(count), count, "A threshold grid needs at least 2 points.");
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var g in groups)
        {
            foreach (var v in g.Flatten())
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }
        if (double.IsPositiveInfinity(min))
            throw new ArgumentException("A threshold grid needs at least one group.", nameof(groups));
        var margin = max > min ? 0.05 * (max - min) : Math.Max(1, Math.Abs(max) * 0.05);
        min -= margin;
        max += margin;
        var grid = new double[count];
        for (var i = 0; i < count; i++)
            grid[i] = min + (max - min) * i / (count - 1);
        return grid;
    }

    private static double[] Fractions(ScoreMatrix m, double[] sortedTaus)
    {
        var all = m.Flatten();
        Array.Sort(all);
        var result = new double[sortedTaus.Length];
        for (var i = 0; i < sortedTaus.Length; i++)
        {
            // Number of scores <= tau: first index with value > tau.
            int lo = 0, hi = all.Length;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (all[mid] <= sortedTaus[i])
                    lo = mid + 1;
                else
                    hi = mid;
            }
            result[i] = (double)(all.Length - lo) / all.Length;
        }
        return result;
    }
}
