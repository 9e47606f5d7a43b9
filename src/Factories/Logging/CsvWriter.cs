using System.Diagnostics;
using System.Globalization;
using System.Text;
using RlExperiments.Agents.Training;
using RlExperiments.Core;

namespace RlExperiments.Factories.Logging;

/// <summary>
/// Writes scalars to a wide CSV file (default <c>progress.csv</c>), the layout Stable-Baselines3 users load
/// with <c>pd.read_csv</c>: the first column is <c>env_step</c>, then one column per tag in first-seen order,
/// and one row per environment step at which anything was written.
/// </summary>
/// <remarks>
/// <para><b>Rows</b> are collected in memory and written (in ascending step order) by <see cref="Flush"/>, which the
/// trainer calls at the end of every epoch, and, so that <c>tail -f</c> shows a run as it goes, by <see cref="Write"/>
/// itself once <see cref="FlushInterval"/> (2 s by default) has passed since the last write to the file: then every
/// pending row of a step below the newest one is appended (the newest step's row stays open, since more values for it
/// may follow). A row therefore appears at most <see cref="FlushInterval"/> after the next step's first value, and at
/// the latest at the end of its epoch. A cell
/// holds the mean of the values written for that tag at that step since the last flush (so two episodes ending
/// at the same step both count); a tag not written at a step leaves its cell empty (NaN in pandas). A step equal
/// to the last written row's step is merged into that row.</para>
/// <para><b>New tags</b> that appear after rows were written are appended as new columns: the file is rewritten
/// atomically with the wider header and empty cells in the earlier rows. Otherwise flushes only append.</para>
/// <para><b>Numbers</b> use the invariant culture and the shortest round-trip form; non-finite values are written
/// as <c>nan</c>, <c>inf</c>, <c>-inf</c> (which pandas and Python's <c>float()</c> read). Tags containing commas,
/// quotes or line breaks are quoted per RFC 4180.</para>
/// <para>An existing file of the same name is replaced when the writer is created (a resumed run continues it with the
/// <c>resumeAfterStep</c> constructor). If the file is deleted while the writer is open, the next flush starts a new one
/// with the header. Thread-safe.</para>
/// </remarks>
public sealed class CsvWriter : IMetricsSink, IDisposable
{
    /// <summary>The default file name.</summary>
    public const string DefaultFileName = "progress.csv";

    /// <summary>The name of the first column.</summary>
    public const string StepColumn = "env_step";

    private static readonly UTF8Encoding Utf8NoBom = new(false);

    private readonly Lock _lock = new();
    private readonly List<string> _tags = [];
    private readonly Dictionary<string, int> _columns = new(StringComparer.Ordinal);
    private readonly SortedDictionary<long, Row> _pending = [];
    private readonly Stack<Row> _freeRows = new();
    private readonly StringBuilder _line = new();
    private string? _writtenHeader;
    private int _writtenColumns;
    private Row? _lastWritten;
    private bool _disposed;
    private long _lastFileWrite = Stopwatch.GetTimestamp();

    /// <summary>
    /// How long rows may wait in memory while later steps are being written: <see cref="Write"/> appends the finished rows
    /// once this much time has passed since the last write to the file. Default: 2 s. <see cref="TimeSpan.Zero"/> appends
    /// each row as soon as a later step starts; <see cref="Timeout.InfiniteTimeSpan"/> only at <see cref="Flush"/>.
    /// </summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Creates <paramref name="directory"/> if needed and starts an empty <paramref name="fileName"/> in it.</summary>
    public CsvWriter(string directory, string fileName = DefaultFileName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        FieldCheck.FileName(nameof(CsvWriter), nameof(fileName), fileName);
        Directory.CreateDirectory(directory);
        FilePath = Path.GetFullPath(Path.Combine(directory, fileName));
        File.WriteAllBytes(FilePath, []);
    }

    /// <summary>
    /// Continues an existing <paramref name="fileName"/> for a resumed run: rows with <c>env_step</c> &gt; <paramref name="resumeAfterStep"/>
    /// (written after the checkpoint by the run that died) are dropped, atomically, and new rows are appended under the
    /// same header (new tags widen it as usual). A missing or empty file starts a new one.
    /// </summary>
    public CsvWriter(string directory, string fileName, long resumeAfterStep)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        FieldCheck.FileName(nameof(CsvWriter), nameof(fileName), fileName);
        Directory.CreateDirectory(directory);
        FilePath = Path.GetFullPath(Path.Combine(directory, fileName));
        var text = File.Exists(FilePath) ? File.ReadAllText(FilePath, Utf8NoBom) : "";
        var newline = text.IndexOf('\n');
        if (newline < 0)
        {
            File.WriteAllBytes(FilePath, []);
            return;
        }
        var header = text[..(newline + 1)];
        var fields = SplitHeader(header.TrimEnd('\n', '\r'));
        if (fields.Count == 0 || fields[0] != StepColumn)
            throw new InvalidDataException($"'{FilePath}' does not start with the '{StepColumn}' column; cannot continue it.");
        for (var c = 1; c < fields.Count; c++)
        {
            _columns.Add(fields[c], _tags.Count);
            _tags.Add(fields[c]);
        }
        var kept = new StringBuilder(header);
        var body = text[(newline + 1)..];
        // A row cut short by a kill (no line break yet) is dropped.
        if (!body.EndsWith('\n')) body = body[..(body.LastIndexOf('\n') + 1)];
        foreach (var raw in body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var line = raw.TrimEnd('\r');
            var comma = line.IndexOf(',');
            var stepText = comma < 0 ? line : line[..comma];
            if (!long.TryParse(stepText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var step)) continue;
            if (step <= resumeAfterStep) kept.Append(line).Append('\n');
        }
        var content = kept.ToString();
        AtomicFile.Write(FilePath, stream =>
        {
            using var writer = new StreamWriter(stream, Utf8NoBom, 1 << 14, leaveOpen: true);
            writer.Write(content);
        });
        _writtenHeader = BuildHeader();
        _writtenColumns = _tags.Count;
        if (_writtenHeader != header)
            throw new InvalidDataException($"'{FilePath}': its header could not be read back exactly; cannot continue it.");
    }

    private static List<string> SplitHeader(string line)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else sb.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { fields.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(ch);
        }
        fields.Add(sb.ToString());
        return fields;
    }

    /// <summary>The full path of the CSV file.</summary>
    public string FilePath { get; }

    /// <summary>The tags, in column order (after <c>env_step</c>).</summary>
    public IReadOnlyList<string> Tags
    {
        get
        {
            lock (_lock)
                return _tags.ToArray();
        }
    }

    /// <inheritdoc />
    public void Write(string tag, double value, long envStep)
    {
        ArgumentNullException.ThrowIfNull(tag);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_columns.TryGetValue(tag, out var column))
            {
                column = _tags.Count;
                _tags.Add(tag);
                _columns.Add(tag, column);
            }
            if (!_pending.TryGetValue(envStep, out var row))
            {
                row = _freeRows.Count > 0 ? _freeRows.Pop() : new Row();
                row.Reset(envStep);
                _pending.Add(envStep, row);
            }
            row.Add(column, value);
            if (FlushInterval != Timeout.InfiniteTimeSpan && _pending.Count > 1 && Stopwatch.GetElapsedTime(_lastFileWrite) >= FlushInterval)
                FlushLocked(keepNewestRow: true);
        }
    }

    /// <summary>Writes the pending rows to the file (rewriting it when new tags widened the header) and flushes it to disk.</summary>
    public void Flush()
    {
        lock (_lock)
            FlushLocked(keepNewestRow: false);
    }

    /// <summary>Writes the pending rows; with <paramref name="keepNewestRow"/>, all but the newest step's, which stays pending.</summary>
    private void FlushLocked(bool keepNewestRow)
    {
        Row? newest = null;
        if (keepNewestRow)
        {
            newest = _pending.Values.Last();
            _pending.Remove(newest.Step);
        }
        try
        {
            FlushPending();
        }
        finally
        {
            if (newest is not null) _pending.Add(newest.Step, newest);
            _lastFileWrite = Stopwatch.GetTimestamp();
        }
    }

    private void FlushPending()
    {
        {
            if (_disposed || _pending.Count == 0)
                return;
            if (_writtenHeader is not null && !File.Exists(FilePath))
            {
                // Deleted from outside: start a new file rather than appending rows without a header.
                _writtenHeader = null;
                _writtenColumns = 0;
                _lastWritten = null;
            }
            var header = BuildHeader();
            var merge = _lastWritten is not null && _pending.ContainsKey(_lastWritten.Step);
            if (merge)
            {
                var incoming = _pending[_lastWritten!.Step];
                _pending.Remove(_lastWritten.Step);
                _lastWritten.Merge(incoming);
                Recycle(incoming);
            }

            if (_writtenHeader is null || header != _writtenHeader || merge)
                Rewrite(header, merge);
            else
                Append();

            _writtenHeader = header;
            _writtenColumns = _tags.Count;
        }
    }

    /// <summary>Flushes pending rows; further writes throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
                return;
            Flush();
            _disposed = true;
        }
    }

    private void Append()
    {
        using var stream = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.Read);
        using (var writer = new StreamWriter(stream, Utf8NoBom, 1 << 14, leaveOpen: true))
            WritePendingRows(writer);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Rewrites the file atomically: the new header, the earlier rows padded to the new width (without the last row when it is being merged), then the pending rows.</summary>
    private void Rewrite(string header, bool dropLastRow)
    {
        var oldLines = new List<string>();
        if (_writtenHeader is not null)
        {
            var text = File.ReadAllText(FilePath, Utf8NoBom);
            if (!text.StartsWith(_writtenHeader, StringComparison.Ordinal))
                throw new InvalidDataException($"'{FilePath}' was modified by someone else: its header is no longer the one this writer wrote.");
            foreach (var line in text[_writtenHeader.Length..].Split('\n', StringSplitOptions.RemoveEmptyEntries))
                oldLines.Add(line.TrimEnd('\r'));
            if (dropLastRow && oldLines.Count > 0)
                oldLines.RemoveAt(oldLines.Count - 1);
        }
        var padding = new string(',', _tags.Count - _writtenColumns);
        AtomicFile.Write(FilePath, stream =>
        {
            using var writer = new StreamWriter(stream, Utf8NoBom, 1 << 14, leaveOpen: true);
            writer.Write(header);
            foreach (var line in oldLines)
            {
                writer.Write(line);
                writer.Write(padding);
                writer.Write('\n');
            }
            if (dropLastRow)
                WriteRow(writer, _lastWritten!);
            WritePendingRows(writer);
        });
    }

    private void WritePendingRows(StreamWriter writer)
    {
        foreach (var row in _pending.Values)
        {
            WriteRow(writer, row);
            if (_lastWritten is not null && !ReferenceEquals(_lastWritten, row))
                Recycle(_lastWritten);
            _lastWritten = row;
        }
        _pending.Clear();
    }

    private void WriteRow(StreamWriter writer, Row row)
    {
        _line.Clear();
        _line.Append(row.Step.ToString(CultureInfo.InvariantCulture));
        for (var c = 0; c < _tags.Count; c++)
        {
            _line.Append(',');
            if (row.TryGetMean(c, out var mean))
                AppendNumber(_line, mean);
        }
        _line.Append('\n');
        foreach (var chunk in _line.GetChunks())
            writer.Write(chunk.Span);
    }

    private void Recycle(Row row)
    {
        if (_freeRows.Count < 64)
            _freeRows.Push(row);
    }

    private string BuildHeader()
    {
        var sb = new StringBuilder(StepColumn);
        foreach (var tag in _tags)
            sb.Append(',').Append(Quote(tag));
        return sb.Append('\n').ToString();
    }

    private static void AppendNumber(StringBuilder sb, double value)
    {
        if (double.IsNaN(value)) sb.Append("nan");
        else if (double.IsPositiveInfinity(value)) sb.Append("inf");
        else if (double.IsNegativeInfinity(value)) sb.Append("-inf");
        else sb.Append(value.ToString("R", CultureInfo.InvariantCulture));
    }

    /// <summary>Quotes a field per RFC 4180 when it contains a comma, a quote or a line break.</summary>
    internal static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The values written for one step: per-column sums and counts.</summary>
    private sealed class Row
    {
        private double[] _sums = new double[8];
        private int[] _counts = new int[8];

        public long Step { get; private set; }

        public void Reset(long step)
        {
            Step = step;
            Array.Clear(_counts);
            Array.Clear(_sums);
        }

        public void Add(int column, double value)
        {
            if (column >= _sums.Length)
            {
                var size = Math.Max(column + 1, _sums.Length * 2);
                Array.Resize(ref _sums, size);
                Array.Resize(ref _counts, size);
            }
            _sums[column] += value;
            _counts[column]++;
        }

        public void Merge(Row other)
        {
            for (var c = 0; c < other._counts.Length; c++)
                if (other._counts[c] > 0)
                {
                    if (c >= _sums.Length)
                    {
                        Array.Resize(ref _sums, other._sums.Length);
                        Array.Resize(ref _counts, other._counts.Length);
                    }
                    _sums[c] += other._sums[c];
                    _counts[c] += other._counts[c];
                }
        }

        public bool TryGetMean(int column, out double mean)
        {
            if (column < _counts.Length && _counts[column] > 0)
            {
                mean = _sums[column] / _counts[column];
                return true;
            }
            mean = 0;
            return false;
        }
    }
}
