using System.Globalization;
using System.Net;
using System.Text;
using RlExperiments.Evaluation.Reporting;

namespace RlExperiments.Tuning.Reporting;

/// <summary>
/// The study report's parallel-coordinates plot (Optuna's <c>plot_parallel_coordinate</c>): one vertical axis per
/// hyperparameter and a last one for the objective; each complete trial is a line through its values, coloured from light
/// (worst) to dark (best) blue, the best trial in orange on top. Log-scaled hyperparameters get log axes, categoricals one
/// position per choice; a trial in which a hyperparameter was inactive skips that axis.
/// </summary>
internal static class ParallelCoordinates
{
    public const int Width = 1100;
    public const int Height = 400;

    public static string ToSvg(StudyResult study, ConfigurationSpace? space, IReadOnlyList<StudyTrial> complete, string objective)
    {
        var names = StudyReportWriter.ParameterNames(study, space);
        var axes = new List<AxisLayout>();
        foreach (var name in names)
        {
            var values = complete.Where(t => t.Configuration.ContainsKey(name)).Select(t => t.Configuration[name]).ToList();
            var axis = StudyReportWriter.Axis(name, values, space);
            axes.Add(AxisLayout.Of(name, axis, values.Select(axis.X).Where(double.IsFinite).ToList()));
        }
        var objectiveValues = complete.Select(t => t.Value!.Value).ToList();
        axes.Add(AxisLayout.Of(objective, new StudyReportWriter.ParameterAxis(objective, StudyReportWriter.AxisKind.Linear, []), objectiveValues));

        const double left = 70, right = 90, top = 58, bottom = 44;
        var plotH = Height - top - bottom;
        double AxisX(int i) => axes.Count == 1 ? Width / 2.0 : left + i * (Width - left - right) / (axes.Count - 1);
        double Y(AxisLayout a, double fraction) => top + (1 - fraction) * plotH;

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-labelledby=\"parallel-title\">");
        svg.Append("<title id=\"parallel-title\">").Append(E($"Parallel coordinates of study {study.Study.Name}: {complete.Count} complete trials through {names.Count} hyperparameters and the objective.")).Append("</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>");
        svg.Append("<text x=\"").Append(F(left)).Append("\" y=\"24\" class=\"chart-title\">Each complete trial through its hyperparameters to its objective value</text>");

        // Lines: worst first, so better trials are drawn on top; the best last, in orange.
        var sign = study.Direction == StudyDirection.Maximize ? 1.0 : -1.0;
        var ordered = complete.OrderBy(t => sign * t.Value!.Value).ToList();
        var best = study.BestTrial?.Number;
        for (var r = 0; r < ordered.Count; r++)
        {
            var t = ordered[r];
            var isBest = t.Number == best;
            var quality = ordered.Count == 1 ? 1 : (double)r / (ordered.Count - 1);
            var colour = isBest ? Palette.Color(1) : Blend(quality);
            var points = new StringBuilder();
            for (var i = 0; i < axes.Count; i++)
            {
                double fraction;
                if (i == axes.Count - 1)
                    fraction = axes[i].Fraction(t.Value!.Value);
                else if (t.Configuration.TryGetValue(axes[i].Name, out var value))
                    fraction = axes[i].Fraction(axes[i].Axis.X(value));
                else
                    continue;
                if (!double.IsFinite(fraction))
                    continue;
                points.Append(F(AxisX(i))).Append(',').Append(F(Y(axes[i], fraction))).Append(' ');
            }
            svg.Append("<polyline class=\"").Append(isBest ? "best" : "trial").Append("\" points=\"").Append(points.ToString().TrimEnd())
                .Append("\" fill=\"none\" stroke=\"").Append(colour).Append("\" stroke-width=\"").Append(isBest ? "3" : "1.5")
                .Append("\" stroke-opacity=\"").Append(isBest ? "1" : "0.8").Append("\"><title>")
                .Append(E($"trial #{t.Number}: {StudyReportWriter.ValueText(t.Value!.Value)}")).Append("</title></polyline>");
        }

        // Axes on top of the lines: a line, the name above, tick labels beside.
        for (var i = 0; i < axes.Count; i++)
        {
            var a = axes[i];
            var x = AxisX(i);
            svg.Append("<line class=\"frame\" x1=\"").Append(F(x)).Append("\" y1=\"").Append(F(top)).Append("\" x2=\"").Append(F(x)).Append("\" y2=\"").Append(F(top + plotH)).Append("\" stroke=\"#57606a\" stroke-width=\"1.25\"/>");
            // Names longer than the space between axes keep their end, which tells similar names apart ("…layer_3_width").
            var maxChars = Math.Max(6, (int)((axes.Count == 1 ? Width : (Width - left - right) / (axes.Count - 1)) / 7.5));
            var label = a.Name.Length > maxChars ? "…" + a.Name[^(maxChars - 1)..] : a.Name;
            svg.Append("<text class=\"axis-label\" x=\"").Append(F(x)).Append("\" y=\"").Append(F(top - 12)).Append("\" text-anchor=\"middle\"")
                .Append(i == axes.Count - 1 ? " font-weight=\"600\"" : "").Append('>').Append(E(label)).Append("</text>");
            foreach (var (fraction, text) in a.Ticks)
                svg.Append("<text class=\"tick\" x=\"").Append(F(x + 6)).Append("\" y=\"").Append(F(Y(a, fraction) + 4)).Append("\">").Append(E(text)).Append("</text>");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>A light-to-dark blue for a trial's quality in [0, 1] (1 = best).</summary>
    private static string Blend(double quality)
    {
        (double R, double G, double B) light = (198, 219, 239), dark = (8, 48, 107);
        int C(double a, double b) => (int)Math.Round(a + (b - a) * quality);
        return $"#{C(light.R, dark.R):x2}{C(light.G, dark.G):x2}{C(light.B, dark.B):x2}";
    }

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string E(string s) => WebUtility.HtmlEncode(s);

    /// <summary>An axis's placement of values: its range (log for log axes) or its categories, and its tick labels.</summary>
    private sealed record AxisLayout(string Name, StudyReportWriter.ParameterAxis Axis, double Lo, double Hi, IReadOnlyList<(double Fraction, string Text)> Ticks)
    {
        public static AxisLayout Of(string name, StudyReportWriter.ParameterAxis axis, IReadOnlyList<double> xs)
        {
            if (axis.Kind == StudyReportWriter.AxisKind.Categorical)
            {
                var n = Math.Max(1, axis.Categories.Count);
                var ticks = axis.Categories.Select((c, i) => (n == 1 ? 0.5 : (double)i / (n - 1), StudyReportWriter.Text(c))).ToList();
                return new AxisLayout(name, axis, 0, n - 1, ticks);
            }
            var log = axis.Kind == StudyReportWriter.AxisKind.Log;
            var ts = xs.Select(x => log ? Math.Log10(x) : x).Where(double.IsFinite).ToList();
            double lo = ts.Count > 0 ? ts.Min() : 0, hi = ts.Count > 0 ? ts.Max() : 1;
            string Label(double t) => StudyReportWriter.ValueText(log ? Math.Pow(10, t) : t);
            var tickList = lo == hi ? new List<(double, string)> { (0.5, Label(lo)) } : [(0.0, Label(lo)), (0.5, Label((lo + hi) / 2)), (1.0, Label(hi))];
            return new AxisLayout(name, axis, lo, hi, tickList);
        }

        /// <summary>Where <paramref name="x"/> sits on the axis, 0 (bottom) to 1 (top); NaN when it cannot be placed.</summary>
        public double Fraction(double x)
        {
            if (!double.IsFinite(x)) return double.NaN;
            if (Axis.Kind == StudyReportWriter.AxisKind.Categorical)
                return Hi <= 0 ? 0.5 : x / Hi;
            var t = Axis.Kind == StudyReportWriter.AxisKind.Log ? Math.Log10(x) : x;
            return Hi <= Lo ? 0.5 : (t - Lo) / (Hi - Lo);
        }
    }
}
