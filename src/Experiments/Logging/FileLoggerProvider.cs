using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace RlExperiments.Experiments.Logging;

/// <summary>
/// A Microsoft.Extensions.Logging provider that appends one line per entry to a file (a run's <c>log.txt</c>):
/// <c>2026-01-02T03:04:05.678Z info Category: message</c>, exceptions on the following lines. Lines are flushed as they
/// are written, so the file is complete up to the last entry if the process dies. Thread-safe; entries written after
/// <see cref="Dispose"/> are dropped.
/// </summary>
public sealed class FileLoggerProvider : ILoggerProvider
{
    private readonly Lock _lock = new();
    private readonly LogLevel _minLevel;
    private StreamWriter? _writer;

    /// <summary>Opens (appending to) <paramref name="path"/>; its directory must exist.</summary>
    /// <param name="path">The log file.</param>
    /// <param name="minLevel">Entries below this level are skipped. Default: Information.</param>
    public FileLoggerProvider(string path, LogLevel minLevel = LogLevel.Information)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
        _minLevel = minLevel;
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false)) { AutoFlush = true };
    }

    /// <summary>The log file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            var writer = _writer;
            _writer = null; // closed even when the final flush fails (e.g. a full disk); the run reports that error, not a later one
            writer?.Dispose();
        }
    }

    private void Write(LogLevel level, string category, string message, Exception? exception)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {Level(level)} {category}: {message}");
        lock (_lock)
        {
            if (_writer is null) return;
            _writer.WriteLine(line);
            if (exception is not null) _writer.WriteLine(exception);
        }
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };

    private sealed class FileLogger(FileLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider._minLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            provider.Write(logLevel, category, formatter(state, exception), exception);
        }
    }
}

/// <summary>Logs to several logger factories at once (the application's and a run's log file).</summary>
internal sealed class TeeLogger(IReadOnlyList<ILogger> loggers) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => loggers.Any(l => l.IsEnabled(logLevel));

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        foreach (var logger in loggers)
            if (logger.IsEnabled(logLevel))
                logger.Log(logLevel, eventId, state, exception, formatter);
    }
}

/// <summary>Prefixes every message, e.g. with the run it belongs to, so that lines of parallel runs can be told apart.</summary>
internal sealed class PrefixedLogger(ILogger inner, string prefix) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        inner.Log(logLevel, eventId, state, exception, (s, e) => prefix + formatter(s, e));
}

/// <summary>
/// An ILoggerFactory that hands out loggers writing to the application's factory, each line prefixed with the run
/// (<paramref name="prefix"/>, e.g. <c>[films/seed_123 seed 123] </c>: parallel runs of a collection or study share the
/// console), and to a run's file provider (its own log.txt, unprefixed).
/// </summary>
internal sealed class RunLoggerFactory(ILoggerFactory application, FileLoggerProvider? file, string prefix = "") : ILoggerFactory
{
    public void AddProvider(ILoggerProvider provider) => application.AddProvider(provider);

    public ILogger CreateLogger(string categoryName)
    {
        var console = prefix.Length == 0 ? application.CreateLogger(categoryName) : new PrefixedLogger(application.CreateLogger(categoryName), prefix);
        return file is null ? console : new TeeLogger([console, file.CreateLogger(categoryName)]);
    }

    /// <summary>Closes the run's file; the application's factory is not ours to dispose.</summary>
    public void Dispose() => file?.Dispose();
}
