using System.Globalization;
using System.Text;
using RlExperiments.Factories.Logging;

namespace RlExperiments.Experiments.Collections;

/// <summary>One scalar of a run, as rlberry's writer data (one row of the long table).</summary>
/// <param name="Run">The run's name (its directory name, e.g. <c>seed_123</c>).</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Tag">The metric, e.g. <c>test/return_mean</c>.</param>
/// <param name="Value">The value.</param>
/// <param name="EnvStep">Environment steps when it was written.</param>
/// <param name="WallTime">Seconds since the run's first logged scalar (from the TensorBoard events); NaN when only progress.csv was available.</param>
public readonly record struct WriterDataRow(string Run, int Seed, string Tag, double Value, long EnvStep, double WallTime);

/// <summary>Reads the scalars a run wrote into its directory: TensorBoard events (with wall times) or, failing that, progress.csv.</summary>
public static class RunData
{
    /// <summary>The tag of the learning curve: the mean test return of each evaluation.</summary>
    public const string TestReturnTag = "test/return_mean";

    /// <summary>The header of the CSV written by <see cref="WriteCsv"/>.</summary>
    public const string CsvHeader = "run,seed,tag,value,env_step,wall_time";

    /// <summary>
    /// Every scalar of the run in <paramref name="directory"/>: from its <c>events.out.tfevents.*</c> files when there are
    /// any (wall time relative to the first event), otherwise from <c>progress.csv</c> (wall time NaN); empty when neither exists.
    /// </summary>
    /// <param name="directory">The run directory.</param>
    /// <param name="run">The run's name in the rows.</param>
    /// <param name="seed">The run's seed in the rows.</param>
    public static IReadOnlyList<WriterDataRow> Read(string directory, string run, int seed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory)) return [];
        if (Directory.EnumerateFiles(directory, TensorBoardWriter.FilePrefix + "*").Any())
        {
            var scalars = TensorBoardEventReader.ReadDirectory(directory, allowTruncatedTail: true);
            var start = scalars.Count == 0 ? 0 : scalars.Min(s => s.WallTime);
            return scalars.Select(s => new WriterDataRow(run, seed, s.Tag, s.Value, s.Step, s.WallTime - start)).ToArray();
        }
        var csv = Path.Combine(directory, CsvWriter.DefaultFileName);
        return File.Exists(csv) ? ReadProgressCsv(csv, run, seed) : [];
    }

    /// <summary>The learning curve (mean test return by environment step, ascending) of the run in <paramref name="directory"/>; empty when none was logged.</summary>
    public static IReadOnlyList<RlExperiments.Evaluation.Reporting.LearningCurvePoint> LearningCurve(string directory, string tag = TestReturnTag)
    {
        var csv = Path.Combine(directory, CsvWriter.DefaultFileName);
        var rows = File.Exists(csv) ? ReadProgressCsv(csv, "", 0) : Read(directory, "", 0);
        return rows.Where(r => r.Tag == tag && double.IsFinite(r.Value))
            .GroupBy(r => r.EnvStep)
            .Select(g => new RlExperiments.Evaluation.Reporting.LearningCurvePoint(g.Key, g.Last().Value))
            .OrderBy(p => p.EnvStep)
            .ToArray();
    }

    /// <summary>Reads a wide <c>progress.csv</c> (first column <c>env_step</c>, one column per tag) into long rows; empty cells are skipped.</summary>
    /// <exception cref="InvalidDataException">The file's header or a number is invalid (the message names the file and line).</exception>
    public static IReadOnlyList<WriterDataRow> ReadProgressCsv(string path, string run, int seed)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) return [];
        var header = SplitCsvLine(lines[0]);
        if (header.Count == 0 || header[0] != CsvWriter.StepColumn)
            throw new InvalidDataException($"{path}: line 1 must start with the column '{CsvWriter.StepColumn}'.");
        var rows = new List<WriterDataRow>();
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var cells = SplitCsvLine(lines[i]);
            if (!long.TryParse(cells[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var step))
                throw new InvalidDataException($"{path}: line {i + 1}: '{cells[0]}' is not an environment step.");
            for (var c = 1; c < cells.Count && c < header.Count; c++)
            {
                if (cells[c].Length == 0) continue;
                rows.Add(new WriterDataRow(run, seed, header[c], ParseNumber(cells[c], path, i + 1), step, double.NaN));
            }
        }
        return rows;
    }

    /// <summary>Writes <paramref name="rows"/> as a long CSV table (<see cref="CsvHeader"/>), atomically.</summary>
    public static void WriteCsv(string path, IEnumerable<WriterDataRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder(CsvHeader).Append('\n');
        foreach (var r in rows)
        {
            text.Append(Quote(r.Run)).Append(',').Append(r.Seed.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Quote(r.Tag)).Append(',').Append(Number(r.Value)).Append(',')
                .Append(r.EnvStep.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Number(r.WallTime)).Append('\n');
        }
        Core.AtomicFile.WriteAllText(path, text.ToString());
    }

    private static string Number(double v) =>
        double.IsNaN(v) ? "nan" : double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf" : v.ToString("R", CultureInfo.InvariantCulture);

    private static double ParseNumber(string cell, string path, int line) => cell switch
    {
        "nan" or "NaN" => double.NaN,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new InvalidDataException($"{path}: line {line}: '{cell}' is not a number."),
    };

    private static string Quote(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Splits one RFC 4180 line (quoted fields may hold commas and doubled quotes).</summary>
    internal static List<string> SplitCsvLine(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"')
                {
                    if (i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                    else quoted = false;
                }
                else cell.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(ch);
        }
        cells.Add(cell.ToString());
        return cells;
    }
}
