using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using RlExperiments.Agents.Training;

namespace RlExperiments.Factories.Logging;

/// <summary>
/// Logs one compact line per <see cref="Flush"/> through an <see cref="ILogger"/>, e.g.
/// <c>env_step 12000 | test/return_mean 200.5 | train/loss 0.01234</c>: the latest step written since the last
/// flush, then every tag written since then (in first-seen order) with the mean of its values, 4 significant digits.
/// </summary>
/// <remarks>Thread-safe. Nothing is logged for a flush with nothing written. Disposing disposes what was handed
/// over as <c>owned</c> (e.g. a logger factory created just for this sink).</remarks>
public sealed class ConsoleMetricsSink : IMetricsSink, IDisposable
{
    private static readonly Action<ILogger, string, Exception?> LogInformation =
        LoggerMessage.Define<string>(LogLevel.Information, new EventId(1, "Metrics"), "{Metrics}");

    private readonly Lock _lock = new();
    private readonly ILogger _logger;
    private readonly LogLevel _level;
    private readonly IDisposable? _owned;
    private readonly List<string> _order = [];
    private readonly Dictionary<string, (double Sum, int Count)> _values = new(StringComparer.Ordinal);
    private long _step = long.MinValue;

    /// <summary>Creates the sink.</summary>
    /// <param name="logger">Where the lines go.</param>
    /// <param name="level">The level of each line.</param>
    /// <param name="owned">Disposed with this sink (e.g. the logger factory that created <paramref name="logger"/>), or null.</param>
    public ConsoleMetricsSink(ILogger logger, LogLevel level = LogLevel.Information, IDisposable? owned = null)
    {
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _level = level;
        _owned = owned;
    }

    /// <inheritdoc />
    public void Write(string tag, double value, long envStep)
    {
        ArgumentNullException.ThrowIfNull(tag);
        lock (_lock)
        {
            if (_values.TryGetValue(tag, out var acc))
                _values[tag] = (acc.Sum + value, acc.Count + 1);
            else
            {
                _order.Add(tag);
                _values.Add(tag, (value, 1));
            }
            if (envStep > _step)
                _step = envStep;
        }
    }

    /// <summary>Formats the values written since the last flush into one line and logs it.</summary>
    public void Flush()
    {
        string line;
        lock (_lock)
        {
            if (_order.Count == 0)
                return;
            line = FormatLine();
            _order.Clear();
            _values.Clear();
            _step = long.MinValue;
        }
        if (!_logger.IsEnabled(_level))
            return;
        if (_level == LogLevel.Information)
            LogInformation(_logger, line, null);
        else
            _logger.Log(_level, new EventId(1, "Metrics"), line, null, static (s, _) => s);
    }

    /// <summary>Disposes the owned logger factory, if any.</summary>
    public void Dispose() => _owned?.Dispose();

    private string FormatLine()
    {
        var sb = new StringBuilder();
        sb.Append(CsvWriter.StepColumn).Append(' ').Append(_step.ToString(CultureInfo.InvariantCulture));
        foreach (var tag in _order)
        {
            var (sum, count) = _values[tag];
            sb.Append(" | ").Append(tag).Append(' ').Append((sum / count).ToString("G4", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
