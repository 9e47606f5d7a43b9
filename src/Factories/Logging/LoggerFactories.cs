using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using RlExperiments.Agents.Training;

namespace RlExperiments.Factories.Logging;

/// <summary>
/// Creates the metrics sink of a run (Tianshou's <c>LoggerFactory</c>): data only, created late, once the run
/// directory exists. <see cref="TensorBoardLoggerFactory"/> is the default, as in Tianshou.
/// </summary>
/// <remarks>
/// Not to be confused with <c>Microsoft.Extensions.Logging.LoggerFactory</c> (text logs): this one creates the
/// <see cref="IMetricsSink"/> for scalars. In files that import both namespaces, alias one of them.
/// </remarks>
public abstract record LoggerFactory : IValidatable
{
    /// <summary>The framework's default: TensorBoard event files.</summary>
    public static LoggerFactory Default => new TensorBoardLoggerFactory();

    /// <summary>
    /// Creates the sink writing into <paramref name="runDirectory"/> (created when missing). The sink may own
    /// open files: dispose it (when it is <see cref="IDisposable"/>) at the end of the run.
    /// </summary>
    /// <param name="runDirectory">The run's persistence directory.</param>
    /// <param name="logging">The application's logging, used by sinks that write text logs; may be null.</param>
    public abstract IMetricsSink Create(string runDirectory, ILoggerFactory? logging);

    /// <summary>
    /// Creates the sink for a run resumed from the checkpoint at <paramref name="resumeAfterStep"/>: files that can be
    /// continued are (progress.csv keeps its rows up to that step); others start anew (TensorBoard writes a new events
    /// file, which TensorBoard merges with the earlier ones). Default: <see cref="Create"/>.
    /// </summary>
    public virtual IMetricsSink CreateResumed(string runDirectory, ILoggerFactory? logging, long resumeAfterStep) => Create(runDirectory, logging);

    /// <inheritdoc />
    public virtual void Validate() { }
}

/// <summary>TensorBoard event files (<see cref="TensorBoardWriter"/>) in the run directory. The default logger factory.</summary>
public sealed record TensorBoardLoggerFactory : LoggerFactory
{
    /// <summary>
    /// Appended to the event file's name (TensorBoard's <c>filename_suffix</c>). Default: empty.
    /// Allowed: any characters valid in a file name.
    /// </summary>
    public string FileNameSuffix { get; init; } = "";

    /// <inheritdoc />
    public override void Validate()
    {
        if (FileNameSuffix is null || FileNameSuffix.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || FileNameSuffix.Contains('/') || FileNameSuffix.Contains('\\'))
            throw new ArgumentException(
                $"{nameof(TensorBoardLoggerFactory)}.{nameof(FileNameSuffix)} = {(FileNameSuffix is null ? "null" : $"\"{FileNameSuffix}\"")} is invalid; allowed: a string of characters valid in a file name (empty for none).",
                nameof(FileNameSuffix));
    }

    /// <inheritdoc />
    public override IMetricsSink Create(string runDirectory, ILoggerFactory? logging)
    {
        Validate();
        return new TensorBoardWriter(runDirectory, FileNameSuffix);
    }
}

/// <summary>A wide CSV file (<see cref="CsvWriter"/>, <c>progress.csv</c>) in the run directory.</summary>
public sealed record CsvLoggerFactory : LoggerFactory
{
    /// <summary>The file name inside the run directory. Default: <c>"progress.csv"</c>. Allowed: a plain file name (no directories).</summary>
    public string FileName { get; init; } = CsvWriter.DefaultFileName;

    /// <inheritdoc />
    public override void Validate() => FieldCheck.FileName(nameof(CsvLoggerFactory), nameof(FileName), FileName);

    /// <inheritdoc />
    public override IMetricsSink Create(string runDirectory, ILoggerFactory? logging)
    {
        Validate();
        return new CsvWriter(runDirectory, FileName);
    }

    /// <inheritdoc />
    public override IMetricsSink CreateResumed(string runDirectory, ILoggerFactory? logging, long resumeAfterStep)
    {
        Validate();
        return new CsvWriter(runDirectory, FileName, resumeAfterStep);
    }
}

/// <summary>
/// One compact line per flush (<see cref="ConsoleMetricsSink"/>) through Microsoft.Extensions.Logging: the
/// application's logging when given, otherwise plain lines on standard output
/// (<c>2026-01-02T03:04:05Z info RlExperiments.Metrics: env_step 1000 | ...</c>).
/// </summary>
public sealed record ConsoleLoggerFactory : LoggerFactory
{
    /// <summary>The logger category. Default: <c>"RlExperiments.Metrics"</c>. Allowed: a non-empty string.</summary>
    public string Category { get; init; } = "RlExperiments.Metrics";

    /// <summary>The level of the metric lines. Default: <see cref="LogLevel.Information"/>. Allowed: Trace to Critical (not None).</summary>
    public LogLevel Level { get; init; } = LogLevel.Information;

    /// <inheritdoc />
    public override void Validate()
    {
        FieldCheck.NotEmpty(nameof(ConsoleLoggerFactory), nameof(Category), Category);
        if (Level is < LogLevel.Trace or >= LogLevel.None)
            throw FieldCheck.OutOfRange(nameof(ConsoleLoggerFactory), nameof(Level), Level, "one of Trace, Debug, Information, Warning, Error, Critical");
    }

    /// <inheritdoc />
    public override IMetricsSink Create(string runDirectory, ILoggerFactory? logging)
    {
        Validate();
        if (logging is not null)
            return new ConsoleMetricsSink(logging.CreateLogger(Category), Level);
        return new ConsoleMetricsSink(new PlainConsoleLogger(Category, Console.Out), Level);
    }
}

/// <summary>Several logger factories at once (e.g. TensorBoard and CSV); creates a <see cref="CompositeMetricsSink"/>.</summary>
public sealed record CompositeLoggerFactory : LoggerFactory
{
    private readonly IReadOnlyList<LoggerFactory> _factories = [];

    /// <summary>Creates an empty composite (for serializers; set <see cref="Factories"/>).</summary>
    public CompositeLoggerFactory() { }

    /// <summary>Combines <paramref name="factories"/>.</summary>
    [SetsRequiredMembers]
    public CompositeLoggerFactory(params IReadOnlyList<LoggerFactory> factories) => Factories = factories;

    /// <summary>The combined factories, in order. Required. Allowed: a list without nulls (empty behaves like <see cref="NoneLoggerFactory"/>).</summary>
    public required IReadOnlyList<LoggerFactory> Factories
    {
        get => _factories;
        init => _factories = value is null ? null! : Array.AsReadOnly(value.ToArray());
    }

    /// <inheritdoc />
    public override void Validate()
    {
        if (Factories is null)
            throw new ArgumentException($"{nameof(CompositeLoggerFactory)}.{nameof(Factories)} = null is invalid; allowed: a list of logger factories.", nameof(Factories));
        for (var i = 0; i < Factories.Count; i++)
        {
            if (Factories[i] is null)
                throw new ArgumentException($"{nameof(CompositeLoggerFactory)}.{nameof(Factories)}[{i}] = null is invalid; allowed: a logger factory.", nameof(Factories));
            Factories[i].Validate();
        }
    }

    /// <inheritdoc />
    public override IMetricsSink Create(string runDirectory, ILoggerFactory? logging) => CreateAll(runDirectory, logging, null);

    /// <inheritdoc />
    public override IMetricsSink CreateResumed(string runDirectory, ILoggerFactory? logging, long resumeAfterStep) =>
        CreateAll(runDirectory, logging, resumeAfterStep);

    private CompositeMetricsSink CreateAll(string runDirectory, ILoggerFactory? logging, long? resumeAfterStep)
    {
        Validate();
        var sinks = new List<IMetricsSink>(Factories.Count);
        try
        {
            foreach (var factory in Factories)
                sinks.Add(resumeAfterStep is { } k ? factory.CreateResumed(runDirectory, logging, k) : factory.Create(runDirectory, logging));
        }
        catch
        {
            foreach (var sink in sinks)
                (sink as IDisposable)?.Dispose();
            throw;
        }
        return new CompositeMetricsSink(sinks);
    }

    /// <summary>Structural equality: the same factories in the same order.</summary>
    public bool Equals(CompositeLoggerFactory? other) =>
        other is not null && (ReferenceEquals(this, other) ||
            (ReferenceEquals(Factories, other.Factories) || (Factories is not null && other.Factories is not null && Factories.SequenceEqual(other.Factories))));

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(typeof(CompositeLoggerFactory));
        if (Factories is not null)
            foreach (var f in Factories)
                hash.Add(f);
        return hash.ToHashCode();
    }
}

/// <summary>Discards all metrics (<see cref="NullMetricsSink"/>): for runs without persistence.</summary>
public sealed record NoneLoggerFactory : LoggerFactory
{
    /// <inheritdoc />
    public override IMetricsSink Create(string runDirectory, ILoggerFactory? logging) => NullMetricsSink.Instance;
}
