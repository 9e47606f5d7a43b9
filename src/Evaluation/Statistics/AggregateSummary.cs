namespace RlExperiments.Evaluation.Statistics;

/// <summary>
/// The aggregate metrics of one group with stratified-bootstrap confidence intervals, all from the same resamples.
/// </summary>
/// <param name="Group">The group's name.</param>
/// <param name="Runs">The number of runs (seeds).</param>
/// <param name="Tasks">The number of tasks.</param>
/// <param name="InterquartileMean">IQM of all run × task scores.</param>
/// <param name="Mean">Mean of the per-task means.</param>
/// <param name="Median">Median of the per-task means.</param>
/// <param name="OptimalityGap">Optimality gap at <paramref name="OptimalityThreshold"/>; null without a threshold.</param>
/// <param name="OptimalityThreshold">The threshold γ of the optimality gap (e.g. the environment's reward threshold), if any.</param>
/// <param name="Bootstrap">The bootstrap settings used.</param>
public sealed record AggregateSummary(
    string Group,
    int Runs,
    int Tasks,
    Estimate InterquartileMean,
    Estimate Mean,
    Estimate Median,
    Estimate? OptimalityGap,
    double? OptimalityThreshold,
    BootstrapOptions Bootstrap)
{
    /// <summary>
    /// Computes IQM, mean, median and (with a threshold) the optimality gap of <paramref name="scores"/>, each with a
    /// stratified-bootstrap percentile interval.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When the threshold is not finite or the options are invalid.</exception>
    public static AggregateSummary Compute(ScoreMatrix scores, double? optimalityThreshold = null, BootstrapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        options ??= BootstrapOptions.Default;
        if (optimalityThreshold is { } gamma && !double.IsFinite(gamma))
            throw new ArgumentOutOfRangeException(nameof(optimalityThreshold), gamma, "The optimality-gap threshold γ must be finite.");
        var estimates = StratifiedBootstrap.ConfidenceIntervals(scores, m => optimalityThreshold is { } g
            ? [Aggregates.InterquartileMean(m), Aggregates.Mean(m), Aggregates.Median(m), Aggregates.OptimalityGap(m, g)]
            : [Aggregates.InterquartileMean(m), Aggregates.Mean(m), Aggregates.Median(m)], options);
        return new AggregateSummary(scores.Name, scores.Runs, scores.Tasks, estimates[0], estimates[1], estimates[2],
            optimalityThreshold is null ? null : estimates[3], optimalityThreshold, options);
    }
}
