using RlExperiments.Evaluation.Statistics;

namespace RlExperiments.Evaluation.Reporting;

/// <summary>
/// The statistics a report shows, computed from <see cref="ReportData"/>: per group the aggregate metrics of the final
/// returns, the IQM learning curve and the performance profile, plus the comparison tables. Problems that only limit what
/// can be shown (a group with one run, curves that do not overlap) become <see cref="Warnings"/> instead of errors.
/// </summary>
/// <param name="Summaries">Per group, IQM / mean / median / optimality gap of the final returns with bootstrap intervals.</param>
/// <param name="IqmCurves">Per group, the IQM learning curve with its band; null where it could not be computed.</param>
/// <param name="Profiles">Per group, the performance profile of the final returns on a shared threshold grid.</param>
/// <param name="Comparisons">The comparison tables (given or computed).</param>
/// <param name="Warnings">What could not be computed, and why.</param>
public sealed record ReportStatistics(
    IReadOnlyList<AggregateSummary> Summaries,
    IReadOnlyList<SampleEfficiencyCurve?> IqmCurves,
    IReadOnlyList<PerformanceProfile> Profiles,
    IReadOnlyList<ComparisonTable> Comparisons,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Computes the statistics of <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">When the data are invalid (see <see cref="ReportData.Validate"/>).</exception>
    public static ReportStatistics Compute(ReportData data, ReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= ReportOptions.Default;
        data.Validate();
        var warnings = new List<string>();
        var finals = data.Groups.Select(g => ScoreMatrix.FromRuns(g.Name, g.Runs.Select(r => r.FinalReturn))).ToArray();
        var summaries = finals.Select(m => AggregateSummary.Compute(m, data.RewardThreshold, options.Bootstrap)).ToArray();
        foreach (var g in data.Groups.Where(g => g.Runs.Count < 2))
            warnings.Add($"Group '{g.Name}' has a single run: no confidence interval can be estimated and it takes part in no test.");

        var curves = new SampleEfficiencyCurve?[data.Groups.Count];
        for (var i = 0; i < data.Groups.Count; i++)
        {
            var group = data.Groups[i];
            var runs = group.Runs.Where(r => r.LearningCurve is { Count: > 0 }).ToArray();
            if (runs.Length == 0)
            {
                warnings.Add($"Group '{group.Name}' has no learning curves.");
                continue;
            }
            if (runs.Length < group.Runs.Count)
                warnings.Add($"Group '{group.Name}': {group.Runs.Count - runs.Length} run(s) have no learning curve; the IQM curve uses the other {runs.Length}.");
            try
            {
                var sc = ScoreCurves.FromRuns(group.Name,
                    runs.Select(r => (IReadOnlyList<(double, double)>)r.LearningCurve.Select(p => ((double)p.EnvStep, p.TestReturn)).ToArray()),
                    options.MaxCurvePoints);
                curves[i] = SampleEfficiencyCurve.Compute(sc, AggregateMetric.InterquartileMean, options.Bootstrap);
            }
            catch (ArgumentException e)
            {
                warnings.Add($"No IQM curve for group '{group.Name}': {e.Message}");
            }
        }

        var grid = PerformanceProfile.ThresholdGrid(finals, options.ProfilePoints);
        var profiles = finals.Select(m => PerformanceProfile.Compute(m, grid, options.Bootstrap)).ToArray();

        IReadOnlyList<ComparisonTable> comparisons;
        if (data.Comparisons is not null)
            comparisons = data.Comparisons;
        else if (data.Groups.Count < 2)
            comparisons = [];
        else if (data.Groups.Any(g => g.Runs.Count < 2))
        {
            comparisons = [];
            warnings.Add("Hypothesis tests need at least 2 runs in every group; none were computed.");
        }
        else
        {
            var groups = data.Groups.Select(g => new ScoreGroup(g.Name, g.Runs.Select(r => r.FinalReturn))).ToArray();
            comparisons = groups.Length == 2
                ? [HypothesisTests.Compare(groups, ComparisonMethod.WelchTTest, options.Alpha),
                   HypothesisTests.Compare(groups, ComparisonMethod.PermutationTest, options.Alpha, options.Bootstrap.Seed)]
                : [HypothesisTests.TukeyHsd(groups, options.Alpha),
                   HypothesisTests.Compare(groups, ComparisonMethod.WelchTTest, options.Alpha)];
        }
        return new ReportStatistics(summaries, curves, profiles, comparisons, warnings);
    }
}
