using System.Globalization;
using System.Net;
using System.Text;

namespace RlExperiments.Evaluation.Reporting;

/// <summary>
/// A small SVG line chart: lines, shaded bands (e.g. confidence intervals), horizontal reference lines, nice ticks,
/// axis labels, a title and a legend. Renders a self-contained <c>&lt;svg&gt;</c> element; every text is HTML-escaped.
/// </summary>
public sealed class LineChart
{
    private readonly List<Line> _lines = [];
    private readonly List<Band> _bands = [];
    private readonly List<Reference> _references = [];
    private readonly List<LegendEntry> _legend = [];
    private readonly List<Markers> _markers = [];

    /// <summary>The chart's title, drawn above the plot.</summary>
    public string Title { get; init; } = "";

    /// <summary>The x-axis label, with its unit (e.g. "environment steps").</summary>
    public string XLabel { get; init; } = "";

    /// <summary>The y-axis label, with its unit (e.g. "test return").</summary>
    public string YLabel { get; init; } = "";

    /// <summary>The width in CSS pixels (the SVG scales to its container).</summary>
    public int Width { get; init; } = 900;

    /// <summary>The height in CSS pixels.</summary>
    public int Height { get; init; } = 420;

    /// <summary>Fixes the lower end of the y axis (otherwise from the data, widened to a tick).</summary>
    public double? YMin { get; init; }

    /// <summary>Fixes the upper end of the y axis (otherwise from the data, widened to a tick).</summary>
    public double? YMax { get; init; }

    /// <summary>Fixes the lower end of the x axis (otherwise the smallest x in the data).</summary>
    public double? XMin { get; init; }

    /// <summary>Fixes the upper end of the x axis (otherwise the largest x in the data).</summary>
    public double? XMax { get; init; }

    /// <summary>
    /// Extra room above and below the y range, as a fraction of it (0.04 by default), so that lines at the range's ends
    /// do not sit on the frame; ticks stay within the data range.
    /// </summary>
    public double YPadding { get; init; } = 0.04;

    /// <summary>
    /// A logarithmic (base-10) x axis: ticks at powers of ten (and 2 and 5 times them over few decades). Points with x &lt;= 0
    /// cannot be placed on it and are dropped.
    /// </summary>
    public bool XLog { get; init; }

    /// <summary>
    /// A categorical x axis: category <c>i</c> sits at x = i, labelled with <c>XCategories[i]</c>, evenly spaced over
    /// [-0.5, n - 0.5]. Null (the default) for a numeric axis.
    /// </summary>
    public IReadOnlyList<string>? XCategories { get; init; }

    /// <summary>Extra room left and right of the numeric x range, as a fraction of it (0 by default; in log units on a log axis).</summary>
    public double XPadding { get; init; }

    /// <summary>Only integer x ticks (e.g. trial numbers), at least one apart.</summary>
    public bool XIntegerTicks { get; init; }

    /// <summary>A prefix for element ids (clip paths), unique within the page.</summary>
    public string IdPrefix { get; init; } = "chart";

    /// <summary>An accessible description of the chart.</summary>
    public string Description { get; init; } = "";

    /// <summary>Adds a polyline through <paramref name="points"/> (sorted by x is expected).</summary>
    /// <param name="points">The points; non-finite ones are dropped.</param>
    /// <param name="color">The stroke colour.</param>
    /// <param name="width">The stroke width.</param>
    /// <param name="opacity">The stroke opacity.</param>
    /// <param name="dash">An SVG dash pattern, or null for a solid line.</param>
    /// <param name="cssClass">A class attribute for the polyline (lets tests and stylesheets find it), or null.</param>
    public LineChart AddLine(IReadOnlyList<(double X, double Y)> points, string color, double width = 2, double opacity = 1, string? dash = null, string? cssClass = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        _lines.Add(new Line(points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToArray(), color, width, opacity, dash, cssClass));
        return this;
    }

    /// <summary>Adds markers (circles) at <paramref name="points"/>: a scatter series. Drawn above lines and bands.</summary>
    /// <param name="points">The points; non-finite ones are dropped.</param>
    /// <param name="color">The fill colour (the stroke colour when hollow).</param>
    /// <param name="radius">The circle radius in pixels.</param>
    /// <param name="hollow">White fill with a coloured ring instead of a filled dot.</param>
    /// <param name="opacity">The fill opacity of filled dots.</param>
    /// <param name="cssClass">A class attribute for the circles, or null.</param>
    /// <param name="stroke">An outline colour for filled dots (e.g. to highlight one), or null for none.</param>
    public LineChart AddPoints(IReadOnlyList<(double X, double Y)> points, string color, double radius = 4, bool hollow = false, double opacity = 1, string? cssClass = null, string? stroke = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        _markers.Add(new Markers(points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToArray(), color, radius, hollow, opacity, cssClass, stroke));
        return this;
    }

    /// <summary>Adds a legend entry with a marker sample (filled, hollow or outlined dot) and its label.</summary>
    public LineChart AddMarkerLegend(string label, string color, bool hollow = false, double radius = 4, string? stroke = null)
    {
        _legend.Add(new LegendEntry(label, color, false, null, 0, new Markers([], color, radius, hollow, 1, null, stroke)));
        return this;
    }

    /// <summary>Adds a shaded band between <paramref name="lower"/> and <paramref name="upper"/> at <paramref name="xs"/>.</summary>
    public LineChart AddBand(IReadOnlyList<double> xs, IReadOnlyList<double> lower, IReadOnlyList<double> upper, string color, double opacity = 0.2)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(lower);
        ArgumentNullException.ThrowIfNull(upper);
        if (xs.Count != lower.Count || xs.Count != upper.Count)
            throw new ArgumentException($"A band needs as many lower ({lower.Count}) and upper ({upper.Count}) values as x values ({xs.Count}).");
        var points = new List<(double X, double Lo, double Hi)>();
        for (var i = 0; i < xs.Count; i++)
        {
            if (double.IsFinite(xs[i]) && double.IsFinite(lower[i]) && double.IsFinite(upper[i]))
                points.Add((xs[i], lower[i], upper[i]));
        }
        _bands.Add(new Band(points.ToArray(), color, opacity));
        return this;
    }

    /// <summary>Adds a horizontal reference line at <paramref name="y"/>, labelled at its left end (where learning curves start low).</summary>
    public LineChart AddHorizontalLine(double y, string label, string color = "#555555", string dash = "6 4")
    {
        _references.Add(new Reference(y, label, color, dash));
        return this;
    }

    /// <summary>Adds a legend entry: a line sample (optionally on a band swatch) and its label.</summary>
    public LineChart AddLegend(string label, string color, bool withBand = false, string? dash = null, double width = 2.5)
    {
        _legend.Add(new LegendEntry(label, color, withBand, dash, width, null));
        return this;
    }

    /// <summary>Renders the chart as an <c>&lt;svg&gt;</c> element.</summary>
    public string ToSvg()
    {
        // On a log axis, x is handled in log10 units from here on; points that cannot be placed (x <= 0) are left out.
        double Tx(double x) => XLog ? (x > 0 ? Math.Log10(x) : double.NaN) : x;
        bool Placeable(double x) => !XLog || x > 0;
        var xs = _lines.SelectMany(l => l.Points.Select(p => p.X)).Concat(_bands.SelectMany(b => b.Points.Select(p => p.X)))
            .Concat(_markers.SelectMany(m => m.Points.Select(p => p.X))).Where(Placeable).Select(Tx).ToList();
        var ys = _lines.SelectMany(l => l.Points.Where(p => Placeable(p.X)).Select(p => p.Y))
            .Concat(_bands.SelectMany(b => b.Points.Where(p => Placeable(p.X)).SelectMany(p => new[] { p.Lo, p.Hi })))
            .Concat(_markers.SelectMany(m => m.Points.Where(p => Placeable(p.X)).Select(p => p.Y)))
            .Concat(_references.Select(r => r.Y)).ToList();
        double xMin, xMax;
        if (XCategories is { } categories)
        {
            xMin = -0.5;
            xMax = Math.Max(1, categories.Count) - 0.5;
        }
        else
        {
            xMin = XMin is { } fixedMin ? Tx(fixedMin) : xs.Count > 0 ? xs.Min() : 0;
            xMax = XMax is { } fixedMax ? Tx(fixedMax) : xs.Count > 0 ? xs.Max() : 1;
            if (!double.IsFinite(xMin) || !double.IsFinite(xMax))
                (xMin, xMax) = (0, 1);
            if (xMax <= xMin)
                // One x value (e.g. a single evaluation): centre it in a range of ±10% of it (±1 at 0), not at the left border.
                (xMin, xMax) = XLog ? (xMin - 0.5, xMin + 0.5) : XIntegerTicks ? (xMin - 1, xMin + 1)
                    : (xMin - (xMin == 0 ? 1 : Math.Abs(xMin) * 0.1), xMin + (xMin == 0 ? 1 : Math.Abs(xMin) * 0.1));
            var xPad = XPadding * (xMax - xMin);
            xMin -= xPad;
            xMax += xPad;
        }
        double yLo = ys.Count > 0 ? ys.Min() : 0, yHi = ys.Count > 0 ? ys.Max() : 1;
        var (niceLo, niceHi) = AxisTicks.NiceRange(YMin ?? yLo, YMax ?? yHi, 6);
        double yMin = YMin ?? niceLo, yMax = YMax ?? niceHi;
        if (yMax <= yMin)
            yMax = yMin + 1;
        var tickLo = yMin;
        var tickHi = yMax;
        var pad = YPadding * (yMax - yMin);
        yMin -= pad;
        yMax += pad;

        var legendRows = LayoutLegend(out var legendHeight);
        const double left = 78, right = 24;
        var top = (string.IsNullOrEmpty(Title) ? 14 : 40) + legendHeight;
        const double bottom = 58;
        double plotW = Width - left - right, plotH = Height - top - bottom;
        double Px(double x) => left + (Tx(x) - xMin) / (xMax - xMin) * plotW;
        double Py(double y) => top + (1 - (y - yMin) / (yMax - yMin)) * plotH;

        var svg = new StringBuilder();
        var id = Escape(IdPrefix);
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-labelledby=\"{id}-title\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-title\">{Escape(string.IsNullOrEmpty(Description) ? Title : Description)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<defs><clipPath id=\"{id}-clip\"><rect x=\"{F(left)}\" y=\"{F(top)}\" width=\"{F(plotW)}\" height=\"{F(plotH)}\"/></clipPath></defs>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>");
        if (!string.IsNullOrEmpty(Title))
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(left)}\" y=\"24\" class=\"chart-title\">{Escape(Title)}</text>");

        // Grid and ticks.
        var yStep = AxisTicks.Step(tickLo, tickHi, 6);
        foreach (var t in AxisTicks.Ticks(tickLo, tickHi, 6))
        {
            var y = Py(t);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(left)}\" x2=\"{F(left + plotW)}\" y1=\"{F(y)}\" y2=\"{F(y)}\" class=\"grid\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(left - 8)}\" y=\"{F(y + 4)}\" class=\"tick\" text-anchor=\"end\">{Escape(AxisTicks.Format(t, yStep))}</text>");
        }
        foreach (var (t, label) in XTicks(xMin, xMax, plotW))
        {
            var x = Px(t);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(x)}\" x2=\"{F(x)}\" y1=\"{F(top)}\" y2=\"{F(top + plotH)}\" class=\"grid\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x)}\" y=\"{F(top + plotH + 20)}\" class=\"tick\" text-anchor=\"middle\">{Escape(label)}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(left)}\" y=\"{F(top)}\" width=\"{F(plotW)}\" height=\"{F(plotH)}\" class=\"frame\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(left + plotW / 2)}\" y=\"{F(Height - 12)}\" class=\"axis-label\" text-anchor=\"middle\">{Escape(XLabel)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate(18 {F(top + plotH / 2)}) rotate(-90)\" class=\"axis-label\" text-anchor=\"middle\">{Escape(YLabel)}</text>");

        // Data, clipped to the plot area.
        svg.Append(CultureInfo.InvariantCulture, $"<g clip-path=\"url(#{id}-clip)\">");
        foreach (var band in _bands)
        {
            if (band.Points.Length < 2)
                continue;
            var path = new StringBuilder();
            for (var i = 0; i < band.Points.Length; i++)
                path.Append(i == 0 ? 'M' : 'L').Append(F(Px(band.Points[i].X))).Append(',').Append(F(Py(band.Points[i].Hi)));
            for (var i = band.Points.Length - 1; i >= 0; i--)
                path.Append('L').Append(F(Px(band.Points[i].X))).Append(',').Append(F(Py(band.Points[i].Lo)));
            path.Append('Z');
            svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{path}\" fill=\"{Escape(band.Color)}\" fill-opacity=\"{F(band.Opacity)}\" stroke=\"none\"/>");
        }
        foreach (var r in _references)
        {
            var y = Py(r.Y);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(left)}\" x2=\"{F(left + plotW)}\" y1=\"{F(y)}\" y2=\"{F(y)}\" stroke=\"{Escape(r.Color)}\" stroke-width=\"1.5\" stroke-dasharray=\"{Escape(r.Dash)}\"/>");
        }
        foreach (var line in _lines)
        {
            var linePoints = line.Points.Where(p => Placeable(p.X)).ToArray();
            if (linePoints.Length == 0)
                continue;
            var dash = line.Dash is null ? "" : $" stroke-dasharray=\"{Escape(line.Dash)}\"";
            var cls = line.CssClass is null ? "" : $" class=\"{Escape(line.CssClass)}\"";
            if (linePoints.Length == 1)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<circle{cls} cx=\"{F(Px(linePoints[0].X))}\" cy=\"{F(Py(linePoints[0].Y))}\" r=\"{F(line.Width + 1)}\" fill=\"{Escape(line.Color)}\" fill-opacity=\"{F(line.Opacity)}\"/>");
                continue;
            }
            var points = string.Join(" ", linePoints.Select(p => F(Px(p.X)) + "," + F(Py(p.Y))));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline{cls} points=\"{points}\" fill=\"none\" stroke=\"{Escape(line.Color)}\" stroke-width=\"{F(line.Width)}\" stroke-opacity=\"{F(line.Opacity)}\" stroke-linejoin=\"round\" stroke-linecap=\"round\"{dash}/>");
        }
        foreach (var m in _markers)
        {
            foreach (var p in m.Points.Where(p => Placeable(p.X)))
                svg.Append(Marker(m, Px(p.X), Py(p.Y)));
        }
        svg.Append("</g>");
        foreach (var r in _references)
        {
            var y = Py(r.Y);
            if (y >= top && y <= top + plotH && !string.IsNullOrEmpty(r.Label))
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(left + 8)}\" y=\"{F(y - 6)}\" class=\"ref-label\">{Escape(r.Label)}</text>");
        }

        // Legend rows under the title.
        var legendTop = string.IsNullOrEmpty(Title) ? 8.0 : 36.0;
        foreach (var (entry, row, x) in legendRows)
        {
            var cy = legendTop + row * LegendRowHeight + 10;
            var lx = left + x;
            if (entry.Marker is { } marker)
            {
                svg.Append(Marker(marker, lx + 14, cy));
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(lx + 36)}\" y=\"{F(cy + 4.5)}\" class=\"legend\">{Escape(entry.Label)}</text>");
                continue;
            }
            if (entry.WithBand)
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(lx)}\" y=\"{F(cy - 7)}\" width=\"28\" height=\"14\" fill=\"{Escape(entry.Color)}\" fill-opacity=\"0.2\"/>");
            var dash = entry.Dash is null ? "" : $" stroke-dasharray=\"{Escape(entry.Dash)}\"";
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(lx)}\" x2=\"{F(lx + 28)}\" y1=\"{F(cy)}\" y2=\"{F(cy)}\" stroke=\"{Escape(entry.Color)}\" stroke-width=\"{F(entry.Width)}\"{dash}/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(lx + 36)}\" y=\"{F(cy + 4.5)}\" class=\"legend\">{Escape(entry.Label)}</text>");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    private const double LegendRowHeight = 22;

    private static string Marker(Markers m, double cx, double cy)
    {
        var cls = m.CssClass is null ? "" : $" class=\"{Escape(m.CssClass)}\"";
        return m.Hollow
            ? string.Create(CultureInfo.InvariantCulture, $"<circle{cls} cx=\"{F(cx)}\" cy=\"{F(cy)}\" r=\"{F(m.Radius)}\" fill=\"#ffffff\" stroke=\"{Escape(m.Color)}\" stroke-width=\"1.5\"/>")
            : string.Create(CultureInfo.InvariantCulture, $"<circle{cls} cx=\"{F(cx)}\" cy=\"{F(cy)}\" r=\"{F(m.Radius)}\" fill=\"{Escape(m.Color)}\" fill-opacity=\"{F(m.Opacity)}\"{(m.Stroke is null ? "" : $" stroke=\"{Escape(m.Stroke)}\" stroke-width=\"1.5\"")}/>");
    }

    /// <summary>The x ticks (in axis units: log10 of x on a log axis) and their labels.</summary>
    private List<(double At, string Label)> XTicks(double xMin, double xMax, double plotW)
    {
        var ticks = new List<(double, string)>();
        if (XCategories is { } categories)
        {
            for (var i = 0; i < categories.Count; i++)
                ticks.Add((i, categories[i].Length > 18 ? categories[i][..17] + "…" : categories[i]));
            return ticks;
        }
        var xTarget = Math.Max(3, (int)(plotW / 110));
        if (XLog)
        {
            // Ticks are placed by value (Px takes values), so return values here.
            foreach (var v in AxisTicks.LogTicks(Math.Pow(10, xMin), Math.Pow(10, xMax), xTarget))
                ticks.Add((v, AxisTicks.FormatLog(v)));
            return ticks;
        }
        var xStep = AxisTicks.Step(xMin, xMax, xTarget);
        if (XIntegerTicks && xStep < 1)
            xStep = 1;
        foreach (var t in XIntegerTicks ? AxisTicks.Ticks(xMin, xMax, xTarget).Where(t => t == Math.Floor(t)).Where(t => t % xStep == 0) : AxisTicks.Ticks(xMin, xMax, xTarget))
            ticks.Add((t, AxisTicks.Format(t, xStep)));
        return ticks;
    }

    private List<(LegendEntry Entry, int Row, double X)> LayoutLegend(out double height)
    {
        var result = new List<(LegendEntry, int, double)>();
        var available = Width - 78 - 24;
        double x = 0;
        var row = 0;
        foreach (var entry in _legend)
        {
            // Approximate text width: 7.2 px per character at the legend's 13px font.
            var w = 36 + entry.Label.Length * 7.2 + 22;
            if (x > 0 && x + w > available)
            {
                row++;
                x = 0;
            }
            result.Add((entry, row, x));
            x += w;
        }
        height = _legend.Count == 0 ? 0 : (row + 1) * LegendRowHeight + 6;
        return result;
    }

    internal static string F(double v) => Math.Round(v, 2).ToString("0.##", CultureInfo.InvariantCulture);

    internal static string Escape(string text) => WebUtility.HtmlEncode(text);

    private sealed record Line((double X, double Y)[] Points, string Color, double Width, double Opacity, string? Dash, string? CssClass);

    private sealed record Markers((double X, double Y)[] Points, string Color, double Radius, bool Hollow, double Opacity, string? CssClass, string? Stroke);

    private sealed record Band((double X, double Lo, double Hi)[] Points, string Color, double Opacity);

    private sealed record Reference(double Y, string Label, string Color, string Dash);

    private sealed record LegendEntry(string Label, string Color, bool WithBand, string? Dash, double Width, Markers? Marker);
}
