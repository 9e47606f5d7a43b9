using System.Globalization;
using System.Net;
using System.Text;
using RlExperiments.Core;
using RlExperiments.Evaluation.Statistics;

namespace RlExperiments.Evaluation.Reporting;

/// <summary>
/// Writes a self-contained HTML report (inline CSS and SVG; no scripts, fonts or other files): learning curves per run
/// with each group's IQM curve and 95% band, the aggregate metrics of the final returns with bootstrap intervals, a
/// performance profile, the final return of every seed, and the hypothesis tests. Every user-supplied string is HTML-escaped.
/// </summary>
public sealed class ReportWriter
{
    private readonly ReportOptions _options;

    /// <summary>Creates a writer with the given options (the defaults when null).</summary>
    public ReportWriter(ReportOptions? options = null) => _options = options ?? ReportOptions.Default;

    /// <summary>Computes the statistics and writes the report to <paramref name="path"/> atomically (UTF-8).</summary>
    /// <returns>The statistics shown in the report.</returns>
    /// <exception cref="ArgumentException">When the data are invalid (see <see cref="ReportData.Validate"/>).</exception>
    public ReportStatistics Write(ReportData data, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var statistics = ReportStatistics.Compute(data, _options);
        AtomicFile.WriteAllText(path, Render(data, statistics));
        return statistics;
    }

    /// <summary>Computes the statistics and returns the report's HTML.</summary>
    /// <exception cref="ArgumentException">When the data are invalid.</exception>
    public string Render(ReportData data) => Render(data, ReportStatistics.Compute(data, _options));

    /// <summary>Returns the report's HTML for already computed statistics.</summary>
    public string Render(ReportData data, ReportStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(statistics);
        var level = Percent(_options.Bootstrap.ConfidenceLevel);
        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<title>").Append(E(data.Title)).Append("</title>\n<style>").Append(Css).Append("</style>\n</head>\n<body>\n<main>\n");

        // Header.
        html.Append("<header>\n<h1>").Append(E(data.Title)).Append("</h1>\n");
        if (!string.IsNullOrWhiteSpace(data.Description))
            html.Append("<p class=\"description\">").Append(E(data.Description)).Append("</p>\n");
        var runs = data.Groups.Sum(g => g.Runs.Count);
        html.Append("<p class=\"meta\">").Append(data.Groups.Count).Append(data.Groups.Count == 1 ? " group" : " groups").Append(", ")
            .Append(runs).Append(runs == 1 ? " run" : " runs");
        if (data.RewardThreshold is { } threshold)
            html.Append(" · reward threshold ").Append(E(Number(threshold)));
        if (data.CreatedAt is { } created)
            html.Append(" · generated ").Append(E(created.ToString("yyyy-MM-dd HH:mm 'UTC'zzz", CultureInfo.InvariantCulture)));
        html.Append("</p>\n");
        if (data.Metadata.Count > 0)
        {
            html.Append("<dl class=\"facts\">");
            foreach (var (key, value) in data.Metadata)
                html.Append("<div><dt>").Append(E(key)).Append("</dt><dd>").Append(E(value)).Append("</dd></div>");
            html.Append("</dl>\n");
        }
        html.Append("</header>\n");

        AppendLearningCurves(html, data, statistics, level);
        AppendAggregates(html, data, statistics, level);
        html.Append("<div class=\"columns\">\n");
        AppendProfile(html, data, statistics, level);
        AppendFinalReturns(html, data);
        html.Append("</div>\n");
        AppendTests(html, statistics);
        if (statistics.Warnings.Count > 0)
        {
            html.Append("<section id=\"warnings\" class=\"warnings\">\n<h2>Warnings</h2>\n<ul>");
            foreach (var w in statistics.Warnings)
                html.Append("<li>").Append(E(w)).Append("</li>");
            html.Append("</ul>\n</section>\n");
        }
        AppendMethods(html, data, level);
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private void AppendLearningCurves(StringBuilder html, ReportData data, ReportStatistics statistics, string level)
    {
        html.Append("<section id=\"learning-curves\">\n<h2>Learning curves</h2>\n");
        html.Append("<p class=\"note\">Thin lines: single runs (one per seed). Thick lines: interquartile mean (IQM) across runs, with its ")
            .Append(level).Append(" stratified-bootstrap confidence band shaded.</p>\n");
        var chart = new LineChart
        {
            Title = $"{Capitalize(data.ReturnAxisLabel)} during training",
            XLabel = data.StepAxisLabel,
            YLabel = data.ReturnAxisLabel,
            Width = 1100,
            Height = 470,
            IdPrefix = "curves",
            Description = $"Learning curves of {string.Join(", ", data.Groups.Select(g => g.Name))}: {data.ReturnAxisLabel} against {data.StepAxisLabel}.",
        };
        for (var i = 0; i < data.Groups.Count; i++)
        {
            var color = Palette.Color(i);
            foreach (var run in data.Groups[i].Runs)
            {
                if (run.LearningCurve is { Count: > 0 })
                    chart.AddLine(run.LearningCurve.OrderBy(p => p.EnvStep).Select(p => ((double)p.EnvStep, p.TestReturn)).ToArray(), color, 1, 0.35, Palette.Dash(i));
            }
        }
        for (var i = 0; i < data.Groups.Count; i++)
        {
            var color = Palette.Color(i);
            var curve = statistics.IqmCurves[i];
            var group = data.Groups[i];
            if (curve is null)
            {
                chart.AddLegend($"{group.Name} ({group.Runs.Count} runs; no IQM curve)", color, dash: Palette.Dash(i), width: 1);
                continue;
            }
            var xs = curve.Steps;
            if (curve.Values.Any(v => v.HasInterval))
                chart.AddBand(xs, curve.Values.Select(v => v.Lower).ToArray(), curve.Values.Select(v => v.Upper).ToArray(), color, 0.2);
            chart.AddLine(xs.Select((x, k) => (x, curve.Values[k].Value)).ToArray(), color, 2.75, 1, Palette.Dash(i));
            var n = group.Runs.Count(r => r.LearningCurve is { Count: > 0 });
            chart.AddLegend($"{group.Name}: IQM of {n} run{(n == 1 ? "" : "s")}{(n > 1 ? $", {level} CI" : "")}", color, withBand: n > 1, dash: Palette.Dash(i));
        }
        if (data.RewardThreshold is { } threshold)
            chart.AddHorizontalLine(threshold, $"reward threshold {Number(threshold)}");
        html.Append("<figure>").Append(chart.ToSvg()).Append("</figure>\n</section>\n");
    }

    private void AppendAggregates(StringBuilder html, ReportData data, ReportStatistics statistics, string level)
    {
        var score = data.ReturnAxisLabel;
        html.Append("<section id=\"aggregates\">\n<h2>Aggregate performance: final ").Append(E(score)).Append("</h2>\n");
        html.Append("<p class=\"note\">Point estimates with ").Append(level).Append(" stratified-bootstrap percentile intervals (")
            .Append(_options.Bootstrap.Repetitions.ToString("N0", CultureInfo.InvariantCulture)).Append(" resamples, seed ")
            .Append(_options.Bootstrap.Seed.ToString(CultureInfo.InvariantCulture)).Append("). IQM: mean of the middle 50% of runs. Mean and median follow rliable: the mean and the median over tasks of ")
            .Append("the mean score of each task. Every group here is one task (one environment), so its median is the mean over its runs, ")
            .Append("not the median of the scores of the runs (that is in the final-returns table below).");
        var hasGap = data.RewardThreshold is not null;
        if (hasGap)
            html.Append(" Optimality gap: mean shortfall below the reward threshold γ (lower is better).");
        html.Append("</p>\n<table class=\"numbers\">\n<thead><tr><th>Group</th><th>Runs</th><th>IQM</th><th>Mean</th><th>Median</th>");
        if (hasGap)
            html.Append("<th>Optimality gap (γ = ").Append(E(Number(data.RewardThreshold!.Value))).Append(")</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        for (var i = 0; i < statistics.Summaries.Count; i++)
        {
            var s = statistics.Summaries[i];
            html.Append("<tr><td class=\"group\">").Append(Swatch(i)).Append(E(s.Group)).Append("</td><td>").Append(s.Runs).Append("</td>")
                .Append(EstimateCells(s.InterquartileMean)).Append(EstimateCells(s.Mean)).Append(EstimateCells(s.Median));
            if (hasGap)
                html.Append(s.OptimalityGap is { } gap ? EstimateCells(gap) : "<td>—</td>");
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n");

        var chart = new IntervalChart
        {
            Title = $"Aggregate metrics with {level} confidence intervals",
            Width = 1100,
            Description = "Interval estimates of the aggregate metrics per group.",
        };
        IntervalRow Row(int i, Estimate e) => new(statistics.Summaries[i].Group, Palette.Color(i), e.Value, e.Lower, e.Upper);
        var indices = Enumerable.Range(0, statistics.Summaries.Count).ToArray();
        chart.AddPanel("IQM", indices.Select(i => Row(i, statistics.Summaries[i].InterquartileMean)).ToArray());
        chart.AddPanel("Mean", indices.Select(i => Row(i, statistics.Summaries[i].Mean)).ToArray());
        chart.AddPanel("Median", indices.Select(i => Row(i, statistics.Summaries[i].Median)).ToArray());
        if (hasGap)
            chart.AddPanel("Optimality gap (lower is better)", indices.Select(i => Row(i, statistics.Summaries[i].OptimalityGap!.Value)).ToArray());
        html.Append("<figure>").Append(chart.ToSvg()).Append("</figure>\n</section>\n");
    }

    private void AppendProfile(StringBuilder html, ReportData data, ReportStatistics statistics, string level)
    {
        html.Append("<section id=\"performance-profile\">\n<h2>Performance profile</h2>\n");
        html.Append("<p class=\"note\">Fraction of runs whose final ").Append(E(data.ReturnAxisLabel)).Append(" exceeds τ, with ")
            .Append(level).Append(" bootstrap bands. Higher and further right is better.</p>\n");
        var chart = new LineChart
        {
            Title = "Score distribution",
            XLabel = $"final {data.ReturnAxisLabel} threshold τ",
            YLabel = "fraction of runs above τ",
            Width = 520,
            Height = 400,
            YMin = 0,
            YMax = 1,
            IdPrefix = "profile",
            Description = "Performance profiles: fraction of runs with a final score above each threshold.",
        };
        for (var i = 0; i < statistics.Profiles.Count; i++)
        {
            var p = statistics.Profiles[i];
            var color = Palette.Color(i);
            if (p.FractionAbove.Any(e => e.HasInterval))
            {
                var band = StepBand(p);
                chart.AddBand(band.Select(b => b.X).ToArray(), band.Select(b => b.Lower).ToArray(), band.Select(b => b.Upper).ToArray(), color, 0.18);
            }
            chart.AddLine(StepPoints(p), color, 2.25, 1, Palette.Dash(i));
            chart.AddLegend(p.Group, color, withBand: p.FractionAbove.Any(e => e.HasInterval), dash: Palette.Dash(i));
        }
        html.Append("<figure>").Append(chart.ToSvg()).Append("</figure>\n</section>\n");
    }

    private static (double X, double Y)[] StepPoints(PerformanceProfile p)
    {
        // The profile is a step function of τ: draw it as steps between grid points.
        var points = new List<(double, double)>();
        for (var k = 0; k < p.Thresholds.Count; k++)
        {
            if (k > 0)
                points.Add((p.Thresholds[k], p.FractionAbove[k - 1].Value));
            points.Add((p.Thresholds[k], p.FractionAbove[k].Value));
        }
        return points.ToArray();
    }

    private static (double X, double Lower, double Upper)[] StepBand(PerformanceProfile p)
    {
        var points = new List<(double, double, double)>();
        for (var k = 0; k < p.Thresholds.Count; k++)
        {
            if (k > 0)
                points.Add((p.Thresholds[k], p.FractionAbove[k - 1].Lower, p.FractionAbove[k - 1].Upper));
            points.Add((p.Thresholds[k], p.FractionAbove[k].Lower, p.FractionAbove[k].Upper));
        }
        return points.ToArray();
    }

    private static void AppendFinalReturns(StringBuilder html, ReportData data)
    {
        var threshold = data.RewardThreshold;
        html.Append("<section id=\"final-returns\">\n<h2>Final ").Append(E(data.ReturnAxisLabel)).Append(" per seed</h2>\n");
        html.Append("<table class=\"numbers compact\">\n<thead><tr><th>Group</th><th>Seed</th><th>Final ").Append(E(data.ReturnAxisLabel))
            .Append("</th><th>Steps</th>");
        if (threshold is { } gamma)
            html.Append("<th>≥ ").Append(E(Number(gamma))).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        for (var i = 0; i < data.Groups.Count; i++)
        {
            var group = data.Groups[i];
            foreach (var run in group.Runs.OrderBy(r => r.Seed))
            {
                var steps = run.LearningCurve is { Count: > 0 } ? run.LearningCurve.Max(p => p.EnvStep).ToString("N0", CultureInfo.InvariantCulture) : "—";
                html.Append("<tr><td class=\"group\">").Append(Swatch(i)).Append(E(group.Name)).Append("</td><td>")
                    .Append(run.Seed.ToString(CultureInfo.InvariantCulture)).Append("</td><td>").Append(E(Number(run.FinalReturn)))
                    .Append("</td><td>").Append(steps).Append("</td>");
                if (threshold is { } t)
                    html.Append(run.FinalReturn >= t ? "<td class=\"yes\">yes</td>" : "<td class=\"no\">no</td>");
                html.Append("</tr>\n");
            }
        }
        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void AppendTests(StringBuilder html, ReportStatistics statistics)
    {
        html.Append("<section id=\"hypothesis-tests\">\n<h2>Hypothesis tests</h2>\n");
        if (statistics.Comparisons.Count == 0)
        {
            html.Append("<p class=\"note\">No tests: a comparison needs at least two groups with two or more runs each.</p>\n</section>\n");
            return;
        }
        foreach (var table in statistics.Comparisons)
        {
            html.Append("<h3>").Append(E(table.MethodName)).Append("</h3>\n<p class=\"note\">H₀: equal means; ")
                .Append(table.Alternative switch { Alternative.Less => "H₁: mean(A) &lt; mean(B)", Alternative.Greater => "H₁: mean(A) &gt; mean(B)", _ => "two-sided" })
                .Append("; α = ").Append(E(table.Alpha.ToString("0.####", CultureInfo.InvariantCulture))).Append("; ").Append(E(table.FamilyWiseControl)).Append(".</p>\n");
            var hasCi = table.Comparisons.Any(c => c.ConfidenceLower is not null);
            var adjusted = table.Comparisons.Any(c => c.PValue != c.UnadjustedPValue);
            html.Append("<table class=\"numbers\">\n<thead><tr><th>A vs B</th><th>mean A</th><th>mean B</th><th>A − B</th><th>statistic</th><th>p-value</th>");
            if (adjusted)
                html.Append("<th>adjusted p</th>");
            if (hasCi)
                html.Append("<th>").Append(E(Percent(table.Comparisons.First(c => c.ConfidenceLevel is not null).ConfidenceLevel!.Value))).Append(" CI of A − B</th>");
            html.Append("<th>decision</th></tr></thead>\n<tbody>\n");
            foreach (var c in table.Comparisons)
            {
                html.Append("<tr><td class=\"group\">").Append(E(c.GroupA)).Append(" vs ").Append(E(c.GroupB)).Append("</td><td>")
                    .Append(E(Number(c.MeanA))).Append("</td><td>").Append(E(Number(c.MeanB))).Append("</td><td>").Append(E(Number(c.Difference)))
                    .Append("</td><td>").Append(E(Statistic(c))).Append("</td><td>").Append(E(PValue(c.UnadjustedPValue))).Append("</td>");
                if (adjusted)
                    html.Append("<td>").Append(E(PValue(c.PValue))).Append("</td>");
                if (hasCi)
                    html.Append("<td>").Append(c.ConfidenceLower is { } lo && c.ConfidenceUpper is { } hi ? E($"[{Number(lo)}, {Number(hi)}]") : "—").Append("</td>");
                html.Append(c.Reject ? "<td class=\"reject\">" : "<td class=\"keep\">").Append(E(c.Decision)).Append("</td></tr>\n");
            }
            html.Append("</tbody>\n</table>\n");
            var details = table.Comparisons.Select(c => c.Details).Distinct().ToArray();
            if (details.Length == 1)
                html.Append("<p class=\"small\">").Append(E(details[0])).Append(".</p>\n");
        }
        html.Append("</section>\n");
    }

    private void AppendMethods(StringBuilder html, ReportData data, string level)
    {
        html.Append("<footer id=\"methods\">\n<h2>Methods</h2>\n<ul>\n");
        html.Append("<li>Each run's score is its final ").Append(E(data.ReturnAxisLabel)).Append("; aggregates follow rliable (Agarwal et al., 2021): IQM is the 25% trimmed mean over runs.</li>\n");
        html.Append("<li>Confidence intervals: stratified percentile bootstrap, ").Append(_options.Bootstrap.Repetitions.ToString("N0", CultureInfo.InvariantCulture))
            .Append(" resamples of runs with replacement, ").Append(level).Append(" level, seed ").Append(_options.Bootstrap.Seed.ToString(CultureInfo.InvariantCulture))
            .Append(". The IQM curve resamples whole runs, so a band's points share their resamples. Runs evaluated at different steps are interpolated onto the steps all runs cover.</li>\n");
        html.Append("<li>Welch's t-test: unequal variances, Welch–Satterthwaite degrees of freedom. Permutation test: difference of means, exact over all splits when there are few, else Monte Carlo with p = (count + 1)/(resamples + 1). Tukey's HSD: pooled variance, studentized range distribution, family-wise error ≤ α. Pairwise Welch and permutation tests over more than two groups use Holm's step-down adjustment.</li>\n");
        html.Append("<li>With few seeds, intervals are wide and tests have little power: “no significant difference” is not evidence of equal performance.</li>\n");
        html.Append("</ul>\n</footer>\n");
    }

    private static string EstimateCells(Estimate e) =>
        e.HasInterval
            ? $"<td><span class=\"value\">{E(Number(e.Value))}</span> <span class=\"ci\">[{E(Number(e.Lower))}, {E(Number(e.Upper))}]</span></td>"
            : $"<td><span class=\"value\">{E(Number(e.Value))}</span> <span class=\"ci\">(no CI)</span></td>";

    private static string Swatch(int index) =>
        $"<span class=\"swatch\" style=\"background:{Palette.Color(index)}\"></span>";

    private static string Statistic(PairwiseComparison c)
    {
        var text = $"{c.StatisticName} = {Number(c.Statistic)}";
        if (c.DegreesOfFreedom is { } df)
            text += $" (df {df.ToString(df == Math.Floor(df) ? "0" : "0.0", CultureInfo.InvariantCulture)})";
        return text;
    }

    /// <summary>A p-value for display: 3 significant decimals, "&lt; 0.0001" below that.</summary>
    internal static string PValue(double p) =>
        p < 1e-4 ? "< 0.0001" : p < 0.001 ? p.ToString("0.0000", CultureInfo.InvariantCulture) : p.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>A number for display: about 4 significant digits, thousands separated, a true minus sign.</summary>
    internal static string Number(double v)
    {
        if (double.IsPositiveInfinity(v))
            return "+∞";
        if (double.IsNegativeInfinity(v))
            return "−∞";
        if (double.IsNaN(v))
            return "—";
        var a = Math.Abs(v);
        var decimals = a == 0 ? 0 : a >= 1000 ? 0 : a >= 100 ? 1 : a >= 10 ? 2 : a >= 0.01 ? 3 : 5;
        var text = a.ToString("#,0." + new string('0', decimals), CultureInfo.InvariantCulture).TrimEnd('.');
        if (decimals > 0 && a != 0 && Math.Round(a, decimals) == Math.Round(a, 0) && a >= 1)
            text = a.ToString("#,0", CultureInfo.InvariantCulture);
        if (Math.Round(a, decimals) == 0)
            return "0";
        return (v < 0 ? "\u2212" : "") + text;
    }

    private static string Percent(double level) =>
        (level * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Capitalize(string text) =>
        string.IsNullOrEmpty(text) ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>The reports' shared style sheet (the study report adds its own rules after it).</summary>
    internal const string Css = """

        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #f4f5f7; color: #1f2328; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", "DejaVu Sans", Arial, sans-serif; }
        main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 40px; }
        header, section, footer { background: #ffffff; border: 1px solid #d8dce1; border-radius: 8px; padding: 18px 22px; margin: 0 0 18px; }
        h1 { font-size: 26px; margin: 0 0 6px; }
        h2 { font-size: 19px; margin: 0 0 6px; }
        h3 { font-size: 16px; margin: 16px 0 4px; }
        .description { margin: 4px 0 8px; max-width: 80ch; }
        .meta, .note, .small { color: #57606a; margin: 2px 0 10px; }
        .small { font-size: 13px; }
        .facts { display: flex; flex-wrap: wrap; gap: 6px 24px; margin: 8px 0 0; }
        .facts div { display: flex; gap: 6px; }
        .facts dt { color: #57606a; }
        .facts dt::after { content: ":"; }
        .facts dd { margin: 0; font-weight: 600; }
        figure { margin: 0; overflow-x: auto; }
        svg.chart { display: block; max-width: 100%; height: auto; font-family: inherit; }
        svg .chart-title { font-size: 16px; font-weight: 600; fill: #1f2328; }
        svg .panel-title { font-size: 14px; font-weight: 600; fill: #1f2328; }
        svg .axis-label { font-size: 14px; fill: #1f2328; }
        svg .tick { font-size: 12.5px; fill: #57606a; font-variant-numeric: tabular-nums; }
        svg .legend, svg .row-label { font-size: 13.5px; fill: #1f2328; }
        svg .ref-label { font-size: 12.5px; fill: #333333; paint-order: stroke; stroke: #ffffff; stroke-width: 4px; stroke-linejoin: round; }
        svg .grid { stroke: #e6e8eb; stroke-width: 1; }
        svg .frame { fill: none; stroke: #9aa1a9; stroke-width: 1; }
        table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; margin: 6px 0 12px; }
        th, td { padding: 6px 10px; border-bottom: 1px solid #e6e8eb; text-align: right; white-space: nowrap; }
        th { background: #f6f8fa; font-weight: 600; color: #1f2328; border-bottom: 2px solid #d8dce1; }
        th:first-child, td.group { text-align: left; }
        tbody tr:nth-child(even) { background: #fafbfc; }
        table.compact td, table.compact th { padding: 3px 8px; }
        .ci { color: #57606a; font-size: 13.5px; }
        .value { font-weight: 600; }
        .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 8px; vertical-align: -1px; }
        td.reject { font-weight: 700; color: #1f2328; }
        td.keep { color: #57606a; }
        td.yes { color: #0b6e4f; }
        td.no { color: #a0410d; }
        .columns { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 18px; }
        .columns > section { margin: 0 0 18px; }
        .warnings { border-color: #e3b341; background: #fffbeb; }
        footer ul { margin: 4px 0 0; padding-left: 20px; color: #3d444d; }
        footer li { margin: 3px 0; }
        @media (max-width: 1000px) { .columns { grid-template-columns: 1fr; } }

        """;
}
