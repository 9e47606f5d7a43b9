using RlExperiments.Evaluation.Statistics;

namespace RlExperiments.Evaluation.Reporting;

/// <summary>
/// Everything a report shows, as plain data: one or more named groups (e.g. "PPO" and "DQN", or one collection of seeds),
/// each with its runs. A seeded collection fills this from its runs' progress and results; <see cref="ReportWriter"/>
/// computes the statistics and draws the page.
/// </summary>
public sealed record ReportData
{
    /// <summary>The report's title, e.g. "PPO vs DQN on CartPole-v1".</summary>
    public required string Title { get; init; }

    /// <summary>An optional paragraph under the title.</summary>
    public string? Description { get; init; }

    /// <summary>The groups to show and compare, in display order; names must be distinct.</summary>
    public required IReadOnlyList<ReportGroup> Groups { get; init; }

    /// <summary>
    /// The environment's reward threshold (e.g. 475 for CartPole-v1), if any: drawn as a reference line and used as the
    /// optimality-gap threshold γ. Without it the optimality gap is not reported.
    /// </summary>
    public double? RewardThreshold { get; init; }

    /// <summary>
    /// Comparison tables to show. When null, the writer computes them for 2 or more groups with at least 2 runs each
    /// (two groups: Welch's t-test and a permutation test; three or more: Tukey's HSD and Holm-adjusted Welch tests).
    /// An empty list shows no tests.
    /// </summary>
    public IReadOnlyList<ComparisonTable>? Comparisons { get; init; }

    /// <summary>Key–value facts shown under the title (environment id, budget, algorithm settings...), in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; init; } = [];

    /// <summary>The x-axis label of learning curves.</summary>
    public string StepAxisLabel { get; init; } = "environment steps";

    /// <summary>The y-axis label of learning curves and the name of the score.</summary>
    public string ReturnAxisLabel { get; init; } = "test return";

    /// <summary>When the report was made; shown in the header when set.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>
    /// Animated GIFs of the trained agents (a run's <c>watch.gif</c>), shown in a "Watch" section; the writer embeds each file
    /// in the page, which stays a single file. Empty: no section.
    /// </summary>
    public IReadOnlyList<ReportVideo> Videos { get; init; } = [];

    /// <summary>Checks the data, naming the group and seed of anything wrong.</summary>
    /// <exception cref="ArgumentException">For no groups, duplicate or empty names, a group without runs, or a non-finite value.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Title))
            throw new ArgumentException("The report needs a title.", nameof(Title));
        if (Groups is null || Groups.Count == 0)
            throw new ArgumentException("The report needs at least one group of runs.", nameof(Groups));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in Groups)
        {
            if (group is null || string.IsNullOrWhiteSpace(group.Name))
                throw new ArgumentException("Every group needs a non-empty name.", nameof(Groups));
            if (!names.Add(group.Name))
                throw new ArgumentException($"Group names must be distinct; '{group.Name}' appears more than once.", nameof(Groups));
            if (group.Runs is null || group.Runs.Count == 0)
                throw new ArgumentException($"Group '{group.Name}' has no runs.", nameof(Groups));
            foreach (var run in group.Runs)
            {
                if (!double.IsFinite(run.FinalReturn))
                    throw new ArgumentException($"Group '{group.Name}', seed {run.Seed}: the final return is {run.FinalReturn}; it must be a finite number.", nameof(Groups));
                foreach (var point in run.LearningCurve ?? [])
                {
                    if (!double.IsFinite(point.TestReturn))
                        throw new ArgumentException($"Group '{group.Name}', seed {run.Seed}: the test return at step {point.EnvStep} is {point.TestReturn}; it must be a finite number.", nameof(Groups));
                }
            }
        }
        if (RewardThreshold is { } threshold && !double.IsFinite(threshold))
            throw new ArgumentException($"The reward threshold must be finite; got {threshold}.", nameof(RewardThreshold));
    }
}

/// <summary>A video shown in the report's "Watch" section.</summary>
/// <param name="Caption">What it shows, e.g. "PPO, seed 42: the first watch episode".</param>
/// <param name="Path">The animated GIF file; the writer embeds it (a missing file is reported in its place).</param>
public sealed record ReportVideo(string Caption, string Path);

/// <summary>One group of runs (e.g. one algorithm or configuration over several seeds).</summary>
/// <param name="Name">The group's name, e.g. "PPO".</param>
/// <param name="Runs">Its runs, one per seed.</param>
public sealed record ReportGroup(string Name, IReadOnlyList<ReportRun> Runs);

/// <summary>One training run.</summary>
/// <param name="Seed">The run's seed.</param>
/// <param name="LearningCurve">The test return after each evaluation, by environment step (may be empty).</param>
/// <param name="FinalReturn">The score that enters the statistics: the final (or best, as the collection decides) test return.</param>
public sealed record ReportRun(long Seed, IReadOnlyList<LearningCurvePoint> LearningCurve, double FinalReturn);

/// <summary>One evaluation of a run.</summary>
/// <param name="EnvStep">Environment steps taken so far.</param>
/// <param name="TestReturn">The mean test return of the evaluation.</param>
public readonly record struct LearningCurvePoint(long EnvStep, double TestReturn);

/// <summary>How the writer computes statistics.</summary>
public sealed record ReportOptions
{
    /// <summary>The default options.</summary>
    public static ReportOptions Default { get; } = new();

    /// <summary>The bootstrap for every interval (2000 resamples, 95%, seed 0 by default).</summary>
    public BootstrapOptions Bootstrap { get; init; } = BootstrapOptions.Default;

    /// <summary>The significance level of computed comparisons.</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>The number of thresholds of the performance profile.</summary>
    public int ProfilePoints { get; init; } = 101;

    /// <summary>The most points a group's IQM curve gets when its runs were evaluated at different steps.</summary>
    public int MaxCurvePoints { get; init; } = 200;
}
