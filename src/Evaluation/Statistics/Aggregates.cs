namespace RlExperiments.Evaluation.Statistics;

/// <summary>
/// Aggregate performance metrics over a runs × tasks score matrix, defined as in rliable's <c>metrics.py</c>:
/// the interquartile mean over all run × task scores, the mean and median of the per-task mean scores, and the
/// optimality gap at a threshold γ.
/// </summary>
public static class Aggregates
{
    /// <summary>
    /// The trimmed mean that cuts ⌊<paramref name="proportionToCut"/> · n⌋ values from each end of the sorted scores
    /// (scipy's <c>trim_mean</c>).
    /// </summary>
    /// <exception cref="ArgumentException">When there are no values, a value is NaN or ±∞, or the proportion is outside [0, 0.5).</exception>
    public static double TrimmedMean(ReadOnlySpan<double> values, double proportionToCut)
    {
        if (!(proportionToCut >= 0 && proportionToCut < 0.5))
            throw new ArgumentOutOfRangeException(nameof(proportionToCut), proportionToCut, "The proportion to cut must lie in [0, 0.5).");
        if (values.IsEmpty)
            throw new ArgumentException("A trimmed mean needs at least one value.", nameof(values));
        var sorted = values.ToArray();
        foreach (var v in sorted)
        {
            if (!double.IsFinite(v))
                throw new ArgumentException($"Scores must be finite; got {v}.", nameof(values));
        }
        Array.Sort(sorted);
        return TrimmedMeanOfSorted(sorted, proportionToCut);
    }

    internal static double TrimmedMeanOfSorted(ReadOnlySpan<double> sorted, double proportionToCut)
    {
        var n = sorted.Length;
        var cut = (int)(proportionToCut * n);
        var sum = 0.0;
        for (var i = cut; i < n - cut; i++)
            sum += sorted[i];
        return sum / (n - 2 * cut);
    }

    /// <summary>The interquartile mean (IQM): the mean of the middle 50% of the values, a 25% trimmed mean.</summary>
    /// <exception cref="ArgumentException">When there are no values or a value is NaN or ±∞.</exception>
    public static double InterquartileMean(ReadOnlySpan<double> values) => TrimmedMean(values, 0.25);

    /// <summary>The interquartile mean of all run × task scores pooled together (rliable's <c>aggregate_iqm</c>).</summary>
    public static double InterquartileMean(ScoreMatrix scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var all = scores.Flatten();
        Array.Sort(all);
        return TrimmedMeanOfSorted(all, 0.25);
    }

    /// <summary>The mean over tasks of the per-task mean score (rliable's <c>aggregate_mean</c>).</summary>
    public static double Mean(ScoreMatrix scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var total = 0.0;
        for (var t = 0; t < scores.Tasks; t++)
            total += TaskMean(scores, t);
        return total / scores.Tasks;
    }

    /// <summary>The median over tasks of the per-task mean score (rliable's <c>aggregate_median</c>); with one task, its mean.</summary>
    public static double Median(ScoreMatrix scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var means = new double[scores.Tasks];
        for (var t = 0; t < scores.Tasks; t++)
            means[t] = TaskMean(scores, t);
        return MedianInPlace(means);
    }

    /// <summary>The median of the values (the mean of the two middle values for an even count).</summary>
    /// <exception cref="ArgumentException">When there are no values.</exception>
    public static double Median(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
            throw new ArgumentException("A median needs at least one value.", nameof(values));
        return MedianInPlace(values.ToArray());
    }

    /// <summary>
    /// The optimality gap at threshold γ: γ − mean(min(score, γ)) = mean(max(γ − score, 0)) over all run × task scores
    /// (rliable's <c>aggregate_optimality_gap</c>); how far, on average, runs fall short of γ. Lower is better.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When γ is not finite.</exception>
    public static double OptimalityGap(ScoreMatrix scores, double threshold)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (!double.IsFinite(threshold))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The optimality-gap threshold γ must be finite.");
        var gap = 0.0;
        for (var r = 0; r < scores.Runs; r++)
        for (var t = 0; t < scores.Tasks; t++)
            gap += Math.Max(threshold - scores[r, t], 0);
        return gap / (scores.Runs * scores.Tasks);
    }

    /// <summary>The fraction of run × task scores strictly above τ (rliable's score distribution at τ).</summary>
    public static double FractionAbove(ScoreMatrix scores, double tau)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var count = 0;
        for (var r = 0; r < scores.Runs; r++)
        for (var t = 0; t < scores.Tasks; t++)
            if (scores[r, t] > tau)
                count++;
        return (double)count / (scores.Runs * scores.Tasks);
    }

    /// <summary>The value of the metric on the scores.</summary>
    /// <exception cref="ArgumentException">For <see cref="AggregateMetric.OptimalityGap"/> without a threshold.</exception>
    public static double Compute(AggregateMetric metric, ScoreMatrix scores, double? optimalityThreshold = null) => metric switch
    {
        AggregateMetric.InterquartileMean => InterquartileMean(scores),
        AggregateMetric.Mean => Mean(scores),
        AggregateMetric.Median => Median(scores),
        AggregateMetric.OptimalityGap => OptimalityGap(scores, optimalityThreshold
            ?? throw new ArgumentException("The optimality gap needs a threshold γ (e.g. the environment's reward threshold).", nameof(optimalityThreshold))),
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
    };

    private static double TaskMean(ScoreMatrix scores, int task)
    {
        var sum = 0.0;
        for (var r = 0; r < scores.Runs; r++)
            sum += scores[r, task];
        return sum / scores.Runs;
    }

    private static double MedianInPlace(double[] values)
    {
        Array.Sort(values);
        var n = values.Length;
        return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
    }
}

/// <summary>An aggregate performance metric (see <see cref="Aggregates"/>).</summary>
public enum AggregateMetric
{
    /// <summary>Interquartile mean of all run × task scores.</summary>
    InterquartileMean,
    /// <summary>Mean of the per-task mean scores.</summary>
    Mean,
    /// <summary>Median of the per-task mean scores.</summary>
    Median,
    /// <summary>Optimality gap γ − mean(min(score, γ)); lower is better.</summary>
    OptimalityGap,
}
