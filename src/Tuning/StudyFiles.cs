using System.Globalization;
using System.Text;
using RlExperiments.Core;

namespace RlExperiments.Tuning;

/// <summary>The human-facing files of a study directory, rewritten atomically after every finished trial.</summary>
public static class StudyFiles
{
    /// <summary>The best complete trial's configuration as JSON (<see cref="Configuration.ToJson"/>).</summary>
    public const string BestParamsFileName = "best_params.json";

    /// <summary>One row per trial: number, state, value, duration_s, then one <c>params_&lt;name&gt;</c> column per hyperparameter.</summary>
    public const string TrialsCsvFileName = "trials.csv";

    /// <summary>Writes <see cref="BestParamsFileName"/> (when a trial completed) and <see cref="TrialsCsvFileName"/> into the result's directory.</summary>
    /// <param name="result">The study.</param>
    /// <param name="space">Orders the parameter columns as the space does; without it, in order of first appearance.</param>
    /// <returns>The full paths written.</returns>
    public static IReadOnlyList<string> Write(StudyResult result, ConfigurationSpace? space = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var written = new List<string>(2);
        if (result.BestConfiguration is { } best)
        {
            var bestPath = Path.GetFullPath(Path.Combine(result.Directory, BestParamsFileName));
            AtomicFile.WriteAllText(bestPath, best.ToJson() + "\n");
            written.Add(bestPath);
        }
        var trialsPath = Path.GetFullPath(Path.Combine(result.Directory, TrialsCsvFileName));
        AtomicFile.WriteAllText(trialsPath, TrialsCsv(result.Trials, space));
        written.Add(trialsPath);
        return written;
    }

    /// <summary>The CSV text of <see cref="TrialsCsvFileName"/> (invariant culture, round-trip doubles, empty cells for missing values).</summary>
    /// <param name="trials">Trials.</param>
    /// <param name="space">Orders the parameter columns; optional.</param>
    public static string TrialsCsv(IReadOnlyList<StudyTrial> trials, ConfigurationSpace? space = null)
    {
        var names = new List<string>();
        if (space is not null) names.AddRange(space.Hyperparameters.Select(h => h.Name));
        foreach (var t in trials)
            foreach (var k in t.Configuration.Keys)
                if (!names.Contains(k)) names.Add(k);
        var sb = new StringBuilder();
        sb.Append("number,state,value,duration_s");
        foreach (var n in names) sb.Append(",params_").Append(Escape(n));
        sb.Append('\n');
        foreach (var t in trials)
        {
            sb.Append(t.Number.ToString(CultureInfo.InvariantCulture)).Append(',').Append(t.State).Append(',');
            if (t.Value is double v) sb.Append(v.ToString("R", CultureInfo.InvariantCulture));
            sb.Append(',');
            if (t.Duration is { } d) sb.Append(d.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture));
            foreach (var n in names)
            {
                sb.Append(',');
                if (t.Configuration.TryGetValue(n, out var p)) sb.Append(Escape(Format(p)));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static string Format(object v) => v switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };

    private static string Escape(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
