using System.Globalization;
using System.Text;
using static RlExperiments.Evaluation.Reporting.LineChart;

namespace RlExperiments.Evaluation.Reporting;

/// <summary>
/// An SVG chart of point estimates with confidence intervals (rliable's aggregate-metric plot): one panel per metric,
/// one row per group, a dot at the estimate and a bar across its interval.
/// </summary>
public sealed class IntervalChart
{
    private readonly List<(string Title, IReadOnlyList<IntervalRow> Rows)> _panels = [];

    /// <summary>The chart's title.</summary>
    public string Title { get; init; } = "";

    /// <summary>The width in CSS pixels.</summary>
    public int Width { get; init; } = 900;

    /// <summary>An accessible description.</summary>
    public string Description { get; init; } = "";

    /// <summary>Adds a panel (one metric) with a row per group.</summary>
    public IntervalChart AddPanel(string title, IReadOnlyList<IntervalRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        _panels.Add((title, rows));
        return this;
    }

    /// <summary>Renders the chart as an <c>&lt;svg&gt;</c> element.</summary>
    public string ToSvg()
    {
        var groups = _panels.SelectMany(p => p.Rows.Select(r => r.Label)).Distinct().ToList();
        var labelWidth = Math.Clamp(groups.Count == 0 ? 60 : groups.Max(g => g.Length) * 7.5 + 16, 60, 220);
        const double rowHeight = 34, panelGap = 40, right = 24;
        var top = string.IsNullOrEmpty(Title) ? 16.0 : 44.0;
        var panelTitleHeight = 22.0;
        var plotHeight = Math.Max(1, groups.Count) * rowHeight;
        var height = (int)Math.Ceiling(top + panelTitleHeight + plotHeight + 34);
        var panelCount = Math.Max(1, _panels.Count);
        var panelWidth = (Width - labelWidth - right - panelGap * (panelCount - 1)) / panelCount;

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\" role=\"img\"><title>{Escape(string.IsNullOrEmpty(Description) ? Title : Description)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{height}\" fill=\"#ffffff\"/>");
        if (!string.IsNullOrEmpty(Title))
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"8\" y=\"24\" class=\"chart-title\">{Escape(Title)}</text>");
        var plotTop = top + panelTitleHeight;
        for (var g = 0; g < groups.Count; g++)
        {
            var cy = plotTop + (g + 0.5) * rowHeight;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(labelWidth - 10)}\" y=\"{F(cy + 4.5)}\" class=\"row-label\" text-anchor=\"end\">{Escape(groups[g])}</text>");
        }
        for (var p = 0; p < _panels.Count; p++)
        {
            var (title, rows) = _panels[p];
            var x0 = labelWidth + p * (panelWidth + panelGap);
            var values = rows.SelectMany(r => new[] { r.Value, r.Lower, r.Upper }).Where(double.IsFinite).ToList();
            double lo = values.Count > 0 ? values.Min() : 0, hi = values.Count > 0 ? values.Max() : 1;
            var (tickMin, tickMax) = AxisTicks.NiceRange(lo, hi, 3);
            var pad = 0.04 * (tickMax - tickMin);
            double min = tickMin - pad, max = tickMax + pad;
            double Px(double v) => x0 + (v - min) / (max - min) * panelWidth;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x0 + panelWidth / 2)}\" y=\"{F(top + 14)}\" class=\"panel-title\" text-anchor=\"middle\">{Escape(title)}</text>");
            var step = AxisTicks.Step(tickMin, tickMax, 3);
            foreach (var t in AxisTicks.Ticks(tickMin, tickMax, 3))
            {
                var x = Px(t);
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(x)}\" x2=\"{F(x)}\" y1=\"{F(plotTop)}\" y2=\"{F(plotTop + plotHeight)}\" class=\"grid\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x)}\" y=\"{F(plotTop + plotHeight + 18)}\" class=\"tick\" text-anchor=\"middle\">{Escape(AxisTicks.Format(t, step))}</text>");
            }
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(x0)}\" y=\"{F(plotTop)}\" width=\"{F(panelWidth)}\" height=\"{F(plotHeight)}\" class=\"frame\"/>");
            foreach (var row in rows)
            {
                var g = groups.IndexOf(row.Label);
                var cy = plotTop + (g + 0.5) * rowHeight;
                if (double.IsFinite(row.Lower) && double.IsFinite(row.Upper))
                    svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(Px(row.Lower))}\" y=\"{F(cy - 8)}\" width=\"{F(Math.Max(1.5, Px(row.Upper) - Px(row.Lower)))}\" height=\"16\" rx=\"2\" fill=\"{Escape(row.Color)}\" fill-opacity=\"0.55\"/>");
                if (double.IsFinite(row.Value))
                    svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(Px(row.Value))}\" x2=\"{F(Px(row.Value))}\" y1=\"{F(cy - 10)}\" y2=\"{F(cy + 10)}\" stroke=\"#000000\" stroke-width=\"2\"/>");
            }
        }
        svg.Append("</svg>");
        return svg.ToString();
    }
}

/// <summary>One group's estimate and interval in an <see cref="IntervalChart"/> panel.</summary>
/// <param name="Label">The group's name (the row).</param>
/// <param name="Color">The bar colour.</param>
/// <param name="Value">The point estimate.</param>
/// <param name="Lower">The interval's lower end (NaN for none).</param>
/// <param name="Upper">The interval's upper end (NaN for none).</param>
public readonly record struct IntervalRow(string Label, string Color, double Value, double Lower, double Upper);
