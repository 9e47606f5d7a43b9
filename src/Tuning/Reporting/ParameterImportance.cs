using System.Globalization;

namespace RlExperiments.Tuning.Reporting;

/// <summary>
/// How much of the spread of the objective each hyperparameter explains on its own: a per-parameter variance decomposition
/// (one-way ANOVA, epsilon squared), a simpler stand-in for Optuna's fANOVA. For each hyperparameter, the complete trials in
/// which it was active are grouped by its value (categoricals and booleans by value; numbers, on a log scale when the space
/// says so, into at most five bins of equal count), and
/// <c>ε² = (SS_between − (k − 1)·MS_within) / (SS_total + MS_within)</c>, clamped at 0, is the share of the objective's
/// variance the grouping explains, corrected for the share k groups explain by chance. The importances shown are these
/// shares normalised to sum to 1, as Optuna normalises its.
/// </summary>
/// <remarks>
/// Main effects only: a hyperparameter that matters only together with another (an interaction) scores low, and with few
/// trials the estimates are noisy. Use it to see where to look, not as a measurement.
/// </remarks>
public static class ParameterImportance
{
    /// <summary>The most groups a numeric hyperparameter's values are binned into.</summary>
    public const int MaxBins = 5;

    /// <summary>
    /// The importance of every hyperparameter of the study's complete trials (finite values), most important first; all 0
    /// when nothing is explained (e.g. fewer than three complete trials).
    /// </summary>
    /// <param name="study">The study.</param>
    /// <param name="space">The searched space, when known (log-scaled numbers are binned on a log scale).</param>
    public static IReadOnlyList<(string Name, double Importance)> Compute(StudyResult study, ConfigurationSpace? space = null)
    {
        ArgumentNullException.ThrowIfNull(study);
        var complete = StudyReportWriter.CompleteTrials(study);
        var names = StudyReportWriter.ParameterNames(study, space);
        var raw = names.Select(n => (Name: n, Share: ExplainedShare(n, complete, space))).ToList();
        var total = raw.Sum(r => r.Share);
        return raw.Select(r => (r.Name, total > 0 ? r.Share / total : 0.0)).OrderByDescending(r => r.Item2).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>ε² of the objective grouped by <paramref name="name"/>'s value, over the complete trials in which it was active.</summary>
    internal static double ExplainedShare(string name, IReadOnlyList<StudyTrial> complete, ConfigurationSpace? space)
    {
        var active = complete.Where(t => t.Configuration.ContainsKey(name)).ToList();
        if (active.Count < 3)
            return 0;
        var axis = StudyReportWriter.Axis(name, active.Select(t => t.Configuration[name]).ToList(), space);
        var placed = active.Select(t => (X: axis.X(t.Configuration[name]), Y: t.Value!.Value)).Where(p => double.IsFinite(p.X)).ToList();
        if (placed.Count < 3)
            return 0;
        int[] groups;
        if (axis.Kind == StudyReportWriter.AxisKind.Categorical)
        {
            groups = placed.Select(p => (int)p.X).ToArray();
        }
        else
        {
            // Equal-count bins of the (log-)value; equal values always share a bin.
            var xs = placed.Select(p => axis.Kind == StudyReportWriter.AxisKind.Log ? Math.Log(p.X) : p.X).ToArray();
            var distinct = xs.Distinct().Count();
            var bins = Math.Min(MaxBins, distinct);
            var order = xs.Select((x, i) => (x, i)).OrderBy(p => p.x).ToArray();
            groups = new int[xs.Length];
            for (var r = 0; r < order.Length; r++)
            {
                var bin = r * bins / order.Length;
                if (r > 0 && order[r].x == order[r - 1].x) bin = groups[order[r - 1].i];
                groups[order[r].i] = bin;
            }
        }
        var n = placed.Count;
        var mean = placed.Average(p => p.Y);
        var ssTotal = placed.Sum(p => (p.Y - mean) * (p.Y - mean));
        if (!(ssTotal > 0))
            return 0;
        var byGroup = placed.Select((p, i) => (Group: groups[i], p.Y)).GroupBy(g => g.Group).ToList();
        var k = byGroup.Count;
        if (k < 2 || n <= k)
            return 0;
        var ssBetween = byGroup.Sum(g => g.Count() * Math.Pow(g.Average(v => v.Y) - mean, 2));
        var msWithin = (ssTotal - ssBetween) / (n - k);
        var epsilon2 = (ssBetween - (k - 1) * msWithin) / (ssTotal + msWithin);
        return Math.Max(0, epsilon2);
    }

    /// <summary>An importance for display, e.g. "0.62".</summary>
    internal static string Format(double importance) => importance.ToString("0.00", CultureInfo.InvariantCulture);
}
