using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using RlExperiments.Core;
using RlExperiments.Tuning;

using RlExperiments.Evaluation.Reporting;

namespace RlExperiments.Tuning.Reporting;

/// <summary>
/// Writes a self-contained HTML report of a hyperparameter study (inline CSS and SVG; no scripts, fonts or other files): a
/// summary with the best configuration, the optimisation history (each complete trial's value, pruned trials at their last
/// intermediate value, the best value so far as a step line), one scatter plot of value against each hyperparameter (log
/// axes for log-scaled numerics, evenly spaced positions for categoricals and booleans), the intermediate values reported
/// by each trial, and a table of all trials, best first. Every user-supplied string is HTML-escaped and non-finite values
/// never reach a chart.
/// </summary>
public static class StudyReportWriter
{
    /// <summary>The report's default title.</summary>
    public const string DefaultTitle = "Hyperparameter study";

    private const string Grey = "#8c959f";

    /// <summary>Returns the report's HTML.</summary>
    /// <param name="study">The study (any number of trials, in any states).</param>
    /// <param name="space">
    /// The searched space, when known: it orders the hyperparameters, puts log-scaled ones on log axes and gives categoricals
    /// their choices in order. Without it, numbers get linear axes and other values categorical ones.
    /// </param>
    /// <param name="title">The page title.</param>
    /// <param name="objective">What the objective value is, e.g. "mean test return of the last evaluation (CartPole-v1, 20 episodes)";
    /// shown in the summary and on the value axes. Default: the value each trial's objective function returned.</param>
    public static string Render(StudyResult study, ConfigurationSpace? space = null, string title = DefaultTitle, string? objective = null) =>
        Build(study, space, title, objective).Html;

    /// <summary>
    /// Writes the report to <paramref name="htmlPath"/> atomically (UTF-8) and, when <paramref name="writeSvgFiles"/>, each
    /// chart as a standalone SVG next to it, named after the HTML file: <c>report-history.svg</c>,
    /// <c>report-param-1-lr.svg</c>, ..., <c>report-intermediate.svg</c>.
    /// </summary>
    /// <param name="study">The study.</param>
    /// <param name="htmlPath">Where the HTML goes.</param>
    /// <param name="space">The searched space, when known (see <see cref="Render"/>).</param>
    /// <param name="writeSvgFiles">Whether each chart is also written as a standalone SVG.</param>
    /// <param name="title">The page title.</param>
    /// <param name="logger">Where to say which files were written; optional.</param>
    /// <param name="objective">What the objective value is (see <see cref="Render"/>).</param>
    /// <returns>The paths of the SVG files written (empty when none).</returns>
    public static IReadOnlyList<string> Write(StudyResult study, string htmlPath, ConfigurationSpace? space = null, bool writeSvgFiles = true,
        string title = DefaultTitle, ILogger? logger = null, string? objective = null)
    {
        ArgumentNullException.ThrowIfNull(htmlPath);
        var report = Build(study, space, title, objective);
        var full = Path.GetFullPath(htmlPath);
        AtomicFile.WriteAllText(full, report.Html);
        var written = new List<string>();
        if (!writeSvgFiles)
        {
            logger?.LogInformation("Study {Study}: wrote the report {Path}", study.Study.Name, full);
            return written;
        }
        var stem = Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full));
        foreach (var chart in report.Charts)
        {
            var path = $"{stem}-{chart.FileKey}.svg";
            AtomicFile.WriteAllText(path, Standalone(chart.Svg));
            written.Add(path);
        }
        logger?.LogInformation("Study {Study}: wrote the report {Path} and {Count} SVG charts beside it", study.Study.Name, full, written.Count);
        return written;
    }

    /// <summary>A chart of the report: the SVG and the key its file is named by.</summary>
    internal sealed record Chart(string FileKey, string Svg);

    /// <summary>The HTML and the charts in it.</summary>
    internal sealed record Report(string Html, IReadOnlyList<Chart> Charts);

    /// <summary>How a hyperparameter's values are placed on a scatter plot's x axis.</summary>
    internal enum AxisKind
    {
        Linear,
        Log,
        Categorical,
    }

    /// <summary>A hyperparameter's x axis: its kind and, for categoricals, the values in position order.</summary>
    internal sealed record ParameterAxis(string Name, AxisKind Kind, IReadOnlyList<object> Categories)
    {
        /// <summary>The x coordinate of <paramref name="value"/> (the category index for categoricals); NaN when it cannot be placed.</summary>
        public double X(object value)
        {
            if (Kind == AxisKind.Categorical)
            {
                for (var i = 0; i < Categories.Count; i++)
                    if (ConfigValues.AreEqual(Categories[i], value))
                        return i;
                return double.NaN;
            }
            var x = value switch { double d => d, long l => l, _ => double.NaN };
            return Kind == AxisKind.Log && !(x > 0) ? double.NaN : x;
        }
    }

    internal static Report Build(StudyResult study, ConfigurationSpace? space, string title, string? objective = null)
    {
        ArgumentNullException.ThrowIfNull(study);
        title ??= DefaultTitle;
        var valueLabel = string.IsNullOrWhiteSpace(objective) ? "objective value" : objective;
        var charts = new List<Chart>();
        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<title>").Append(E(title)).Append("</title>\n<style>").Append(Css).Append("</style>\n</head>\n<body>\n<main>\n");
        AppendSummary(html, study, title, objective);

        var complete = CompleteTrials(study);
        if (complete.Count == 0)
        {
            html.Append("<section id=\"no-complete-trials\" class=\"warnings\">\n<h2>No trial completed</h2>\n<p>")
                .Append(study.Trials.Count == 0
                    ? "The study has no trials yet, so there is nothing to plot."
                    : $"None of the study's {study.Trials.Count} trial{(study.Trials.Count == 1 ? "" : "s")} completed with a finite value, so there is no history, no best configuration and nothing to plot.")
                .Append(" See the trial table for their states and errors.</p>\n</section>\n");
        }
        else
        {
            AppendHistory(html, charts, study, complete, valueLabel);
            AppendImportance(html, study, space, complete);
            AppendParallel(html, charts, study, space, complete, valueLabel);
            AppendParameters(html, charts, study, space, complete, valueLabel);
            AppendIntermediate(html, charts, study);
        }
        AppendTrialTable(html, study, space);
        html.Append("</main>\n</body>\n</html>\n");
        return new Report(html.ToString(), charts);
    }

    /// <summary>The complete trials with a finite value, by number.</summary>
    internal static List<StudyTrial> CompleteTrials(StudyResult study) =>
        study.Trials.Where(t => t.State == TrialState.Complete && t.Value is { } v && double.IsFinite(v)).OrderBy(t => t.Number).ToList();

    /// <summary>The value a pruned trial is plotted at: its last finite intermediate value, else its value; null when neither is finite.</summary>
    internal static double? PrunedValue(StudyTrial trial)
    {
        for (var i = trial.IntermediateValues.Count - 1; i >= 0; i--)
            if (double.IsFinite(trial.IntermediateValues[i].Value))
                return trial.IntermediateValues[i].Value;
        return trial.Value is { } v && double.IsFinite(v) ? v : null;
    }

    /// <summary>
    /// The best value so far as a step line over trial numbers: from each complete trial on, the best value among it and the
    /// complete trials before it, held until the next improvement and up to <paramref name="lastNumber"/>.
    /// </summary>
    internal static List<(double X, double Y)> BestSoFar(StudyDirection direction, IReadOnlyList<StudyTrial> complete, int lastNumber)
    {
        var points = new List<(double X, double Y)>();
        double? best = null;
        foreach (var t in complete.OrderBy(t => t.Number))
        {
            var v = t.Value!.Value;
            if (best is { } b && !(direction == StudyDirection.Maximize ? v > b : v < b))
                continue;
            if (best is { } previous)
                points.Add((t.Number, previous));
            points.Add((t.Number, v));
            best = v;
        }
        if (best is { } last && points.Count > 0 && lastNumber > points[^1].X)
            points.Add((lastNumber, last));
        return points;
    }

    /// <summary>The hyperparameter names of the study: the space's order first, then any others in order of appearance.</summary>
    internal static List<string> ParameterNames(StudyResult study, ConfigurationSpace? space)
    {
        var seen = study.Trials.SelectMany(t => t.Configuration.Keys).Distinct(StringComparer.Ordinal).ToList();
        if (space is null)
            return seen;
        var ordered = space.Hyperparameters.Select(h => h.Name).Where(seen.Contains).ToList();
        ordered.AddRange(seen.Where(n => !ordered.Contains(n)));
        return ordered;
    }

    /// <summary>How a hyperparameter's observed <paramref name="values"/> are laid out on an x axis.</summary>
    internal static ParameterAxis Axis(string name, IReadOnlyCollection<object> values, ConfigurationSpace? space)
    {
        Hyperparameter? hp = null;
        space?.TryGet(name, out hp);
        var numeric = values.Count > 0 && values.All(v => v is double or long);
        switch (hp)
        {
            case CategoricalHyperparameter c:
                {
                    var categories = c.Choices.ToList();
                    categories.AddRange(values.Where(v => !categories.Any(k => ConfigValues.AreEqual(k, v))).Distinct());
                    return new ParameterAxis(name, AxisKind.Categorical, categories);
                }
            case FloatHyperparameter { Log: true } when numeric && values.All(v => Convert.ToDouble(v, CultureInfo.InvariantCulture) > 0):
            case IntegerHyperparameter { Log: true } when numeric && values.All(v => Convert.ToDouble(v, CultureInfo.InvariantCulture) > 0):
                return new ParameterAxis(name, AxisKind.Log, []);
        }
        if (numeric)
            return new ParameterAxis(name, AxisKind.Linear, []);
        if (values.All(v => v is bool))
            return new ParameterAxis(name, AxisKind.Categorical, [false, true]);
        // Strings (or a mix of types): one position per distinct value, ordered by their text.
        var distinct = new List<object>();
        foreach (var v in values)
            if (!distinct.Any(d => ConfigValues.AreEqual(d, v)))
                distinct.Add(v);
        distinct.Sort((a, b) => string.CompareOrdinal(Text(a), Text(b)));
        return new ParameterAxis(name, AxisKind.Categorical, distinct);
    }

    private static void AppendSummary(StringBuilder html, StudyResult study, string title, string? objective)
    {
        var info = study.Study;
        html.Append("<header id=\"summary\">\n<h1>").Append(E(title)).Append("</h1>\n");
        html.Append("<p class=\"objective\"><strong>Objective</strong> (").Append(info.Direction == StudyDirection.Maximize ? "maximized" : "minimized").Append("): ")
            .Append(string.IsNullOrWhiteSpace(objective)
                ? "the value each trial's objective function returned (the study did not say what it measures; pass <code>objective:</code> to the report writer to name it)"
                : E(objective))
            .Append(".</p>\n");
        html.Append("<p class=\"meta\">Study <strong>").Append(E(info.Name)).Append("</strong> · ")
            .Append(info.Direction == StudyDirection.Maximize ? "maximize" : "minimize").Append(" the objective");
        if (!string.IsNullOrEmpty(info.SpaceName))
            html.Append(" · space ").Append(E(info.SpaceName));
        html.Append(" · created ").Append(E(info.CreatedUtc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))).Append("</p>\n");
        html.Append("<dl class=\"facts\">");
        html.Append("<div><dt>trials</dt><dd>").Append(study.Trials.Count).Append("</dd></div>");
        foreach (var state in Enum.GetValues<TrialState>())
            html.Append("<div class=\"state-count\"><dt>").Append(StateName(state)).Append("</dt><dd>").Append(study.Count(state)).Append("</dd></div>");
        if (study.BestTrial is { } best)
        {
            html.Append("<div><dt>best trial</dt><dd>#").Append(best.Number.ToString(CultureInfo.InvariantCulture)).Append("</dd></div>");
            html.Append("<div><dt>best value</dt><dd>").Append(E(ValueText(best.Value!.Value))).Append("</dd></div>");
        }
        html.Append("</dl>\n");
        if (study.BestTrial is { } b)
        {
            html.Append("<h2>Best configuration (trial #").Append(b.Number.ToString(CultureInfo.InvariantCulture)).Append(")</h2>\n");
            if (b.Configuration.Count == 0)
                html.Append("<p class=\"note\">The configuration is empty.</p>\n");
            else
            {
                html.Append("<table class=\"numbers compact best\">\n<thead><tr><th>Hyperparameter</th><th>Value</th></tr></thead>\n<tbody>\n");
                foreach (var (name, value) in b.Configuration)
                    html.Append("<tr><td class=\"group\">").Append(E(name)).Append("</td><td>").Append(E(Text(value))).Append("</td></tr>\n");
                html.Append("</tbody>\n</table>\n");
            }
        }
        html.Append("</header>\n");
    }

    private static void AppendHistory(StringBuilder html, List<Chart> charts, StudyResult study, List<StudyTrial> complete, string valueLabel)
    {
        var pruned = study.Trials.Where(t => t.State == TrialState.Pruned).Select(t => (t.Number, Value: PrunedValue(t))).ToList();
        var prunedPoints = pruned.Where(p => p.Value is not null).Select(p => ((double)p.Number, p.Value!.Value)).ToArray();
        var failed = study.Count(TrialState.Failed);
        var nonFinite = study.Trials.Count(t => t.State == TrialState.Complete && !(t.Value is { } v && double.IsFinite(v)));
        var lastNumber = complete.Concat(study.Trials.Where(t => t.State == TrialState.Pruned)).Max(t => t.Number);
        var bestLine = BestSoFar(study.Direction, complete, lastNumber);

        html.Append("<section id=\"history\">\n<h2>Optimisation history</h2>\n<p class=\"note\">One dot per complete trial");
        if (prunedPoints.Length > 0)
            html.Append("; hollow grey dots: pruned trials at their last intermediate value");
        html.Append("; line: best value so far (").Append(study.Direction == StudyDirection.Maximize ? "higher" : "lower").Append(" is better).");
        var left = new List<string>();
        if (failed > 0)
            left.Add($"{failed} failed trial{(failed == 1 ? "" : "s")}");
        if (nonFinite > 0)
            left.Add($"{nonFinite} complete trial{(nonFinite == 1 ? "" : "s")} without a finite value");
        if (pruned.Count > prunedPoints.Length)
            left.Add($"{pruned.Count - prunedPoints.Length} pruned trial{(pruned.Count - prunedPoints.Length == 1 ? "" : "s")} without a finite intermediate value");
        if (left.Count > 0)
            html.Append(" Not plotted: ").Append(E(string.Join(", ", left))).Append('.');
        html.Append("</p>\n");

        var chart = new LineChart
        {
            Title = "Objective value per trial",
            XLabel = "trial number",
            YLabel = valueLabel,
            Width = 1100,
            Height = 440,
            XPadding = 0.02,
            XIntegerTicks = true,
            IdPrefix = "history",
            Description = $"Optimisation history of study {study.Study.Name}: objective value against trial number, with the best value so far.",
        };
        chart.AddLine(bestLine, Palette.Color(1), 2.25, 1, cssClass: "best-so-far");
        if (prunedPoints.Length > 0)
            chart.AddPoints(prunedPoints, Grey, 4, hollow: true, cssClass: "pruned");
        chart.AddPoints(complete.Select(t => ((double)t.Number, t.Value!.Value)).ToArray(), Palette.Color(0), 4, cssClass: "complete");
        chart.AddMarkerLegend("complete trial", Palette.Color(0));
        if (prunedPoints.Length > 0)
            chart.AddMarkerLegend("pruned trial (last intermediate value)", Grey, hollow: true);
        chart.AddLegend("best so far", Palette.Color(1));
        var svg = chart.ToSvg();
        charts.Add(new Chart("history", svg));
        html.Append("<figure>").Append(svg).Append("</figure>\n</section>\n");
    }

    private static void AppendParameters(StringBuilder html, List<Chart> charts, StudyResult study, ConfigurationSpace? space, List<StudyTrial> complete, string valueLabel)
    {
        var names = ParameterNames(study, space);
        if (names.Count == 0)
            return;
        html.Append("<section id=\"parameters\">\n<h2>Objective value against each hyperparameter</h2>\n<p class=\"note\">One dot per complete trial in which the hyperparameter was active, hollow grey dots for pruned trials at their last intermediate value; the best trial (#")
            .Append(study.BestTrial!.Number.ToString(CultureInfo.InvariantCulture)).Append(") is the larger outlined dot.")
            .Append(space is null ? " Without the configuration space all numeric axes are linear." : " Log-scaled hyperparameters have log axes.")
            .Append("</p>\n<div class=\"grid-2\">\n");
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            var active = complete.Where(t => t.Configuration.ContainsKey(name)).ToList();
            var pruned = study.Trials.Where(t => t.State == TrialState.Pruned && t.Configuration.ContainsKey(name) && PrunedValue(t) is not null).ToList();
            var axis = Axis(name, active.Concat(pruned).Select(t => t.Configuration[name]).ToList(), space);
            var prunedPoints = new List<(double X, double Y)>();
            foreach (var t in pruned)
            {
                var x = axis.X(t.Configuration[name]);
                if (!double.IsFinite(x))
                    continue;
                prunedPoints.Add((axis.Kind == AxisKind.Categorical ? x + Jitter(t.Number) : x, PrunedValue(t)!.Value));
            }
            var points = new List<(double X, double Y)>();
            (double X, double Y)? best = null;
            foreach (var t in active)
            {
                var x = axis.X(t.Configuration[name]);
                if (!double.IsFinite(x))
                    continue;
                if (axis.Kind == AxisKind.Categorical)
                    x += Jitter(t.Number);
                if (t.Number == study.BestTrial.Number)
                    best = (x, t.Value!.Value);
                else
                    points.Add((x, t.Value!.Value));
            }
            var chart = new LineChart
            {
                Title = name,
                XLabel = name + axis.Kind switch { AxisKind.Log => " (log scale)", _ => "" },
                YLabel = valueLabel,
                Width = 540,
                Height = 360,
                XLog = axis.Kind == AxisKind.Log,
                XCategories = axis.Kind == AxisKind.Categorical ? axis.Categories.Select(Text).ToArray() : null,
                XPadding = axis.Kind == AxisKind.Categorical ? 0 : 0.05,
                IdPrefix = $"param-{i + 1}",
                Description = $"Objective value against hyperparameter {name} ({active.Count} complete and {prunedPoints.Count} pruned trials).",
            };
            if (prunedPoints.Count > 0)
                chart.AddPoints(prunedPoints, Grey, 4, hollow: true, cssClass: "pruned");
            chart.AddPoints(points, Palette.Color(0), 4, opacity: 0.75, cssClass: "trial");
            if (best is { } b)
                chart.AddPoints([b], Palette.Color(1), 6.5, stroke: "#000000", cssClass: "best");
            var svg = chart.ToSvg();
            charts.Add(new Chart($"param-{i + 1}-{FileSafe(name)}", svg));
            html.Append("<figure class=\"parameter\">").Append(svg);
            if (active.Count < complete.Count)
                html.Append("<figcaption>").Append(E($"Active in {active.Count} of {complete.Count} complete trials.")).Append("</figcaption>");
            html.Append("</figure>\n");
        }
        html.Append("</div>\n</section>\n");
    }

    private static void AppendImportance(StringBuilder html, StudyResult study, ConfigurationSpace? space, List<StudyTrial> complete)
    {
        var importances = ParameterImportance.Compute(study, space);
        if (importances.Count == 0)
            return;
        html.Append("<section id=\"importance\">\n<h2>Hyperparameter importance</h2>\n<p class=\"note\">The share of the objective's variance over the ")
            .Append(complete.Count).Append(" complete trials that each hyperparameter explains on its own (one-way ANOVA, ε², normalised to sum to 1; numbers in up to ")
            .Append(ParameterImportance.MaxBins).Append(" equal-count bins, log-scaled ones on a log scale). A simpler stand-in for Optuna's fANOVA: main effects only, so a hyperparameter that matters only together with another scores low; noisy with few trials.</p>\n");
        if (importances.All(i => i.Importance == 0))
        {
            html.Append("<p class=\"note\">No hyperparameter explains any of the variance (too few complete trials, or equal values).</p>\n</section>\n");
            return;
        }
        html.Append("<table class=\"numbers compact importance\">\n<thead><tr><th>Hyperparameter</th><th>Importance</th><th class=\"bar\"></th></tr></thead>\n<tbody>\n");
        foreach (var (name, importance) in importances)
            html.Append("<tr><td class=\"group\">").Append(E(name)).Append("</td><td>").Append(ParameterImportance.Format(importance))
                .Append("</td><td class=\"bar\"><span class=\"bar\" style=\"width:").Append((importance * 100).ToString("0.#", CultureInfo.InvariantCulture)).Append("%\"></span></td></tr>\n");
        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void AppendParallel(StringBuilder html, List<Chart> charts, StudyResult study, ConfigurationSpace? space, List<StudyTrial> complete, string valueLabel)
    {
        if (ParameterNames(study, space).Count == 0)
            return;
        html.Append("<section id=\"parallel\">\n<h2>Parallel coordinates</h2>\n<p class=\"note\">One line per complete trial through its hyperparameter values (log-scaled ones on log axes, categoricals at one position per choice) to its objective value on the last axis; darker blue is better, the best trial (#")
            .Append(study.BestTrial!.Number.ToString(CultureInfo.InvariantCulture)).Append(") is orange.</p>\n");
        var svg = ParallelCoordinates.ToSvg(study, space, complete, valueLabel);
        charts.Add(new Chart("parallel", svg));
        html.Append("<figure>").Append(svg).Append("</figure>\n</section>\n");
    }

    private static void AppendIntermediate(StringBuilder html, List<Chart> charts, StudyResult study)
    {
        var reporting = study.Trials
            .Where(t => t.State is TrialState.Complete or TrialState.Pruned && t.IntermediateValues.Any(v => double.IsFinite(v.Value)))
            .ToList();
        if (reporting.Count == 0)
            return;
        if (reporting.All(t => t.IntermediateValues.Count(v => double.IsFinite(v.Value)) <= 1))
        {
            // One value per trial (e.g. without a pruner, only the final one): no curves to draw; the history shows the values.
            var steps = reporting.SelectMany(t => t.IntermediateValues).Select(v => v.Step).Distinct().Order().ToList();
            html.Append("<section id=\"intermediate\">\n<h2>Intermediate values</h2>\n<p class=\"note\">Each trial reported a single intermediate value (at step ")
                .Append(E(string.Join(", ", steps.Take(5).Select(v => v.ToString("N0", CultureInfo.InvariantCulture))) + (steps.Count > 5 ? ", …" : "")))
                .Append("), so there are no learning curves to draw; see the optimisation history for the values.</p>\n</section>\n");
            return;
        }
        html.Append("<section id=\"intermediate\">\n<h2>Intermediate values</h2>\n<p class=\"note\">The values each complete (blue) and pruned (grey, dashed) trial reported while it ran; the best trial's line is bold.</p>\n");
        var chart = new LineChart
        {
            Title = "Reported intermediate values",
            XLabel = "step",
            YLabel = "intermediate value",
            Width = 1100,
            Height = 420,
            IdPrefix = "intermediate",
            Description = $"Intermediate values reported by {reporting.Count} trials of study {study.Study.Name}.",
        };
        foreach (var t in reporting.OrderBy(t => t.State == TrialState.Complete ? 1 : 0).ThenBy(t => t.Number))
        {
            var points = t.IntermediateValues.OrderBy(v => v.Step).Select(v => ((double)v.Step, v.Value)).ToArray();
            if (t.Number == study.BestTrial?.Number)
                continue;
            if (t.State == TrialState.Pruned)
                chart.AddLine(points, Grey, 1.25, 0.9, "4 3", "pruned");
            else
                chart.AddLine(points, Palette.Color(0), 1.25, 0.45, cssClass: "complete");
        }
        if (study.BestTrial is { } best && reporting.Any(t => t.Number == best.Number))
            chart.AddLine(best.IntermediateValues.OrderBy(v => v.Step).Select(v => ((double)v.Step, v.Value)).ToArray(), Palette.Color(1), 2.5, 1, cssClass: "best");
        chart.AddLegend("complete trial", Palette.Color(0), width: 1.5);
        if (reporting.Any(t => t.State == TrialState.Pruned))
            chart.AddLegend("pruned trial", Grey, dash: "4 3", width: 1.5);
        if (study.BestTrial is { } bt && reporting.Any(t => t.Number == bt.Number))
            chart.AddLegend($"best trial (#{bt.Number})", Palette.Color(1));
        var svg = chart.ToSvg();
        charts.Add(new Chart("intermediate", svg));
        html.Append("<figure>").Append(svg).Append("</figure>\n</section>\n");
    }

    private static void AppendTrialTable(StringBuilder html, StudyResult study, ConfigurationSpace? space)
    {
        html.Append("<section id=\"trials\">\n<h2>All trials</h2>\n");
        if (study.Trials.Count == 0)
        {
            html.Append("<p class=\"note\">The study has no trials.</p>\n</section>\n");
            return;
        }
        html.Append("<p class=\"note\">Complete trials by value, best first; then pruned trials by their last value; then the others by number.</p>\n");
        var names = ParameterNames(study, space);
        html.Append("<div class=\"scroll\">\n<table class=\"numbers compact trials\">\n<thead><tr><th>#</th><th>State</th><th>Value</th><th>Duration</th>");
        foreach (var n in names)
            html.Append("<th>").Append(E(n)).Append("</th>");
        html.Append("<th class=\"error\">Error</th></tr></thead>\n<tbody>\n");
        foreach (var t in SortedTrials(study))
        {
            var isBest = t.Number == study.BestTrial?.Number;
            html.Append(isBest ? "<tr class=\"best-row\">" : "<tr>").Append("<td class=\"group\">").Append(t.Number.ToString(CultureInfo.InvariantCulture))
                .Append("</td><td class=\"state-").Append(StateName(t.State)).Append("\">").Append(StateName(t.State)).Append("</td><td>")
                .Append(t.Value is { } v ? E(ValueText(v)) : "—").Append("</td><td>").Append(E(DurationText(t.Duration))).Append("</td>");
            foreach (var n in names)
                html.Append("<td>").Append(t.Configuration.TryGetValue(n, out var value) ? E(Text(value)) : "—").Append("</td>");
            html.Append("<td class=\"error\">").Append(t.Error is null ? "" : E(t.Error)).Append("</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n</div>\n</section>\n");
    }

    /// <summary>The trials in table order: complete by value (best first), pruned by value, then the rest by number.</summary>
    internal static List<StudyTrial> SortedTrials(StudyResult study)
    {
        var sign = study.Direction == StudyDirection.Maximize ? -1.0 : 1.0;
        double Key(StudyTrial t) => t.Value is { } v && double.IsFinite(v) ? sign * v : double.PositiveInfinity;
        int Group(StudyTrial t) => t.State switch { TrialState.Complete => 0, TrialState.Pruned => 1, _ => 2 };
        return study.Trials.OrderBy(Group).ThenBy(t => Group(t) < 2 ? Key(t) : 0).ThenBy(t => t.Number).ToList();
    }

    /// <summary>A small deterministic horizontal offset that separates trials sharing a categorical value.</summary>
    private static double Jitter(int number) => ((number * 0.6180339887498949) % 1.0 - 0.5) * 0.3;

    /// <summary>A hyperparameter value for display: strings as they are, booleans as true/false, numbers compactly.</summary>
    internal static string Text(object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d when !double.IsFinite(d) => ReportWriter.Number(d),
        double d when d != 0 && (Math.Abs(d) < 1e-3 || Math.Abs(d) >= 1e7) => d.ToString("0.####e+0", CultureInfo.InvariantCulture),
        double d => d.ToString("0.######", CultureInfo.InvariantCulture),
        _ => ConfigValues.Format(value),
    };

    /// <summary>An objective value for display: like the seed report's numbers, in scientific notation when tiny.</summary>
    internal static string ValueText(double v) =>
        double.IsFinite(v) && v != 0 && Math.Abs(v) < 1e-3 ? v.ToString("0.###e+0", CultureInfo.InvariantCulture) : ReportWriter.Number(v);

    private static string DurationText(TimeSpan? duration)
    {
        if (duration is not { } d)
            return "—";
        if (d.TotalSeconds < 60)
            return d.TotalSeconds.ToString(d.TotalSeconds < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " s";
        if (d.TotalMinutes < 60)
            return $"{(int)d.TotalMinutes} min {d.Seconds} s";
        return $"{(int)d.TotalHours} h {d.Minutes} min";
    }

    private static string StateName(TrialState state) => state.ToString().ToLowerInvariant();

    private static string FileSafe(string name)
    {
        var s = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_').ToArray());
        return s.Length > 40 ? s[..40] : s;
    }

    /// <summary>A chart as a standalone SVG file: the page's chart styles embedded, so it looks the same outside the report.</summary>
    internal static string Standalone(string svg)
    {
        var end = svg.IndexOf('>', StringComparison.Ordinal);
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg[..(end + 1)] + "<style>" + SvgCss + "</style>" + svg[(end + 1)..] + "\n";
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private const string SvgCss = """
        svg { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", "DejaVu Sans", Arial, sans-serif; }
        .chart-title { font-size: 16px; font-weight: 600; fill: #1f2328; }
        .axis-label { font-size: 14px; fill: #1f2328; }
        .tick { font-size: 12.5px; fill: #57606a; font-variant-numeric: tabular-nums; }
        .legend { font-size: 13.5px; fill: #1f2328; }
        .ref-label { font-size: 12.5px; fill: #333333; }
        .grid { stroke: #e6e8eb; stroke-width: 1; }
        .frame { fill: none; stroke: #9aa1a9; stroke-width: 1; }
        """;

    // The seed-comparison report's look (ReportWriter.Css), plus the study report's grid of scatter plots and trial table.
    private const string Css = ReportWriter.Css + """
        header h2 { font-size: 16px; margin: 14px 0 4px; }
        .facts dd { font-variant-numeric: tabular-nums; }
        figcaption { color: #57606a; font-size: 13px; margin: 2px 0 0 78px; }
        .grid-2 { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 14px 18px; }
        .scroll { overflow-x: auto; }
        /* The trial table fits the page at 1280 px: headers wrap, long errors wrap, numbers stay on one line. */
        table.trials { font-size: 12px; }
        table.trials th { white-space: normal; overflow-wrap: anywhere; vertical-align: bottom; }
        table.trials th, table.trials td { padding-left: 4px; padding-right: 4px; }
        table.trials th.error, table.trials td.error { min-width: 8ch; max-width: 24ch; overflow-wrap: anywhere; }
        p.objective { margin: 4px 0 6px; }
        table.importance { width: auto; min-width: 560px; }
        table.importance td.bar { width: 320px; text-align: left; }
        span.bar { display: inline-block; height: 12px; background: #0072b2; border-radius: 2px; vertical-align: middle; }
        table.best { width: auto; min-width: 320px; }
        tr.best-row td { background: #fff4e5; font-weight: 600; }
        td.state-pruned, td.state-waiting, td.state-running { color: #57606a; }
        td.state-failed { color: #a0410d; }
        th.error, td.error { text-align: left; white-space: normal; min-width: 16ch; }
        td.error { color: #a0410d; }
        @media (max-width: 1000px) { .grid-2 { grid-template-columns: 1fr; } }

        """;
}
