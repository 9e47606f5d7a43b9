using Microsoft.Extensions.Logging;

namespace RlExperiments.Experiments.Tests.Settings;

/// <summary>An <see cref="ILoggerFactory"/> that keeps every message with its level, for asserting on logged notes and warnings.</summary>
public sealed class CapturingLogger : ILoggerFactory, ILoggerProvider
{
    private readonly List<(LogLevel Level, string Message)> _lines = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Lines
    {
        get { lock (_lines) return _lines.ToArray(); }
    }

    public IEnumerable<string> At(LogLevel level) => Lines.Where(l => l.Level == level).Select(l => l.Message);

    public ExperimentServices Services() => new(logging: this);

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }

    private sealed class Logger(CapturingLogger owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._lines) owner._lines.Add((logLevel, formatter(state, exception)));
        }
    }
}
