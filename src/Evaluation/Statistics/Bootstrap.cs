using RlExperiments.Core;

namespace RlExperiments.Evaluation.Statistics;

/// <summary>Settings of a bootstrap: how many resamples, the interval's coverage and the seed of its random stream.</summary>
public sealed record BootstrapOptions
{
    /// <summary>The default: 2000 resamples, 95% intervals, seed 0.</summary>
    public static BootstrapOptions Default { get; } = new();

    /// <summary>The number of bootstrap resamples (at least 100).</summary>
    public int Repetitions { get; init; } = 2000;

    /// <summary>The coverage of the percentile interval, in (0, 1); 0.95 by default.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>The seed of the resampling stream: the same seed and data give the same interval.</summary>
    public ulong Seed { get; init; }

    internal void Validate()
    {
        if (Repetitions < 100)
            throw new ArgumentOutOfRangeException(nameof(Repetitions), Repetitions, "A bootstrap needs at least 100 repetitions (2000 is the default).");
        if (!(ConfidenceLevel > 0 && ConfidenceLevel < 1))
            throw new ArgumentOutOfRangeException(nameof(ConfidenceLevel), ConfidenceLevel, "The confidence level must lie strictly between 0 and 1 (e.g. 0.95).");
    }
}

/// <summary>A point estimate with a confidence interval [<see cref="Lower"/>, <see cref="Upper"/>].</summary>
/// <param name="Value">The statistic on the observed data.</param>
/// <param name="Lower">The lower end of the interval; NaN when no interval can be estimated (fewer than 2 runs).</param>
/// <param name="Upper">The upper end of the interval; NaN when no interval can be estimated.</param>
/// <param name="ConfidenceLevel">The interval's nominal coverage, e.g. 0.95.</param>
public readonly record struct Estimate(double Value, double Lower, double Upper, double ConfidenceLevel)
{
    /// <summary>Whether an interval is available (both ends are numbers).</summary>
    public bool HasInterval => !double.IsNaN(Lower) && !double.IsNaN(Upper);

    /// <summary>Whether <paramref name="x"/> lies in the closed interval.</summary>
    public bool Contains(double x) => HasInterval && x >= Lower && x <= Upper;

    /// <summary>"value [lower, upper]" with the given numeric format.</summary>
    public string ToString(string format) =>
        HasInterval
            ? $"{Value.ToString(format, System.Globalization.CultureInfo.InvariantCulture)} [{Lower.ToString(format, System.Globalization.CultureInfo.InvariantCulture)}, {Upper.ToString(format, System.Globalization.CultureInfo.InvariantCulture)}]"
            : Value.ToString(format, System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public override string ToString() => ToString("G6");
}

/// <summary>
/// Stratified bootstrap confidence intervals as in rliable's <c>StratifiedBootstrap</c>: each resample draws, for every
/// task separately, as many runs as there are with replacement; intervals are percentile intervals of the statistic over
/// the resamples (linear interpolation between order statistics, NumPy's default).
/// </summary>
public static class StratifiedBootstrap
{
    /// <summary>A confidence interval for a scalar statistic of the score matrix.</summary>
    /// <exception cref="ArgumentException">When the statistic returns NaN or ±∞ on the data.</exception>
    public static Estimate ConfidenceInterval(ScoreMatrix scores, Func<ScoreMatrix, double> statistic, BootstrapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        return ConfidenceIntervals(scores, m => [statistic(m)], options)[0];
    }

    /// <summary>A confidence interval for one of the <see cref="AggregateMetric"/>s.</summary>
    public static Estimate ConfidenceInterval(ScoreMatrix scores, AggregateMetric metric, double? optimalityThreshold = null, BootstrapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        _ = Aggregates.Compute(metric, scores, optimalityThreshold); // validates the threshold up front
        return ConfidenceInterval(scores, m => Aggregates.Compute(metric, m, optimalityThreshold), options);
    }

    /// <summary>
    /// Confidence intervals for a vector-valued statistic (e.g. several metrics, or a profile over thresholds), all computed
    /// from the same resamples. With a single run no interval can be estimated and the bounds are NaN.
    /// </summary>
    /// <exception cref="ArgumentException">When the statistic returns an empty vector, vectors of varying length, or non-finite values on the data.</exception>
    public static Estimate[] ConfidenceIntervals(ScoreMatrix scores, Func<ScoreMatrix, double[]> statistic, BootstrapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(statistic);
        options ??= BootstrapOptions.Default;
        options.Validate();
        var point = statistic(scores);
        if (point.Length == 0)
            throw new ArgumentException("The statistic returned an empty vector.", nameof(statistic));
        foreach (var v in point)
        {
            if (!double.IsFinite(v))
                throw new ArgumentException($"The statistic is not finite ({v}) on the scores of group '{scores.Name}'.", nameof(statistic));
        }
        if (scores.Runs < 2)
            return point.Select(v => new Estimate(v, double.NaN, double.NaN, options.ConfidenceLevel)).ToArray();

        var reps = options.Repetitions;
        var replicates = new double[point.Length][];
        for (var j = 0; j < point.Length; j++)
            replicates[j] = new double[reps];
        var rng = new Rng(options.Seed);
        int runs = scores.Runs, tasks = scores.Tasks;
        for (var r = 0; r < reps; r++)
        {
            var sample = new double[runs, tasks];
            for (var t = 0; t < tasks; t++)
            for (var i = 0; i < runs; i++)
                sample[i, t] = scores[rng.NextInt(runs), t];
            var value = statistic(ScoreMatrix.Wrap(scores.Name, sample));
            if (value.Length != point.Length)
                throw new ArgumentException($"The statistic returned {value.Length} values on a resample but {point.Length} on the data.", nameof(statistic));
            for (var j = 0; j < point.Length; j++)
                replicates[j][r] = value[j];
        }
        return IntervalsFromReplicates(point, replicates, options.ConfidenceLevel);
    }

    internal static Estimate[] IntervalsFromReplicates(double[] point, double[][] replicates, double level)
    {
        var result = new Estimate[point.Length];
        var lowerP = (1 - level) / 2;
        var upperP = 1 - lowerP;
        for (var j = 0; j < point.Length; j++)
        {
            var values = replicates[j];
            Array.Sort(values);
            result[j] = new Estimate(point[j], Percentile(values, lowerP), Percentile(values, upperP), level);
        }
        return result;
    }

    /// <summary>
    /// The <paramref name="p"/>-quantile (p in [0, 1]) of ascending <paramref name="sorted"/> values, interpolating linearly
    /// between order statistics at position p · (n − 1) (NumPy's default <c>percentile</c>).
    /// </summary>
    public static double Percentile(ReadOnlySpan<double> sorted, double p)
    {
        if (sorted.IsEmpty)
            throw new ArgumentException("A percentile needs at least one value.", nameof(sorted));
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, "p must lie in [0, 1].");
        var position = p * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        var fraction = position - below;
        return sorted[below] + fraction * (sorted[above] - sorted[below]);
    }
}
