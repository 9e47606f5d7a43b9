using System.Globalization;
using Microsoft.Extensions.Logging;

namespace RlExperiments.Factories.Logging;

/// <summary>
/// A minimal <see cref="ILogger"/> writing one line per entry to a <see cref="TextWriter"/>
/// (<c>&lt;UTC time&gt; &lt;level&gt; &lt;category&gt;: &lt;message&gt;</c>), used by
/// <see cref="ConsoleLoggerFactory"/> when the application provides no logging. Thread-safe.
/// </summary>
internal sealed class PlainConsoleLogger(string category, TextWriter writer) : ILogger
{
    private readonly Lock _lock = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
            return;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} {Level(logLevel)} {category}: {formatter(state, exception)}");
        lock (_lock)
        {
            writer.WriteLine(line);
            if (exception is not null)
                writer.WriteLine(exception);
            writer.Flush();
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
}
