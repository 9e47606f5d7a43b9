using System.Globalization;
using System.Text;
using RlExperiments.Evaluation.Reporting;
using RlExperiments.Evaluation.Statistics;

namespace RlExperiments.Experiments.Collections;

/// <summary>Plain-text tables of a report's statistics, for the console.</summary>
public static class ComparisonText
{
    /// <summary>
    /// The aggregate metrics of each group (runs, IQM and mean with their intervals) and every comparison (difference,
    /// statistic, p-value, decision) as aligned text.
    /// </summary>
    public static string Format(ReportStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        var text = new StringBuilder();
        var nameWidth = Math.Max(5, statistics.Summaries.Max(s => s.Group.Length));
        text.Append("group".PadRight(nameWidth)).Append("  runs  ").Append("IQM [95% CI]".PadRight(28)).Append("mean [95% CI]").Append('\n');
        foreach (var s in statistics.Summaries)
        {
            text.Append(s.Group.PadRight(nameWidth)).Append("  ").Append(s.Runs.ToString(CultureInfo.InvariantCulture).PadLeft(4)).Append("  ")
                .Append(Interval(s.InterquartileMean).PadRight(28)).Append(Interval(s.Mean)).Append('\n');
        }
        foreach (var table in statistics.Comparisons)
        {
            text.Append('\n').Append(table.MethodName).Append(" (α = ").Append(N(table.Alpha)).Append(", ").Append(table.FamilyWiseControl).Append(")\n");
            foreach (var c in table.Comparisons)
            {
                text.Append("  ").Append(c.GroupA).Append(" − ").Append(c.GroupB).Append(": Δ = ").Append(N(c.Difference))
                    .Append(c.Statistic == c.Difference ? "" : $", {c.StatisticName} = {N(c.Statistic)}")
                    .Append(c.DegreesOfFreedom is { } df ? $" (df {N(df)})" : "")
                    .Append(", p = ").Append(P(c.PValue));
                if (c.ConfidenceLower is { } lo && c.ConfidenceUpper is { } hi)
                    text.Append(", CI [").Append(N(lo)).Append(", ").Append(N(hi)).Append(']');
                text.Append(" → ").Append(c.Decision).Append('\n');
            }
        }
        foreach (var w in statistics.Warnings)
            text.Append("warning: ").Append(w).Append('\n');
        return text.ToString();
    }

    private static string Interval(Estimate e) =>
        e.HasInterval ? $"{N(e.Value)} [{N(e.Lower)}, {N(e.Upper)}]" : N(e.Value);

    private static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string P(double p) => p < 1e-4 ? p.ToString("0.0e+0", CultureInfo.InvariantCulture) : p.ToString("0.####", CultureInfo.InvariantCulture);
}
