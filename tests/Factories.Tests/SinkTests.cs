using Microsoft.Extensions.Logging;
using RlExperiments.Agents.Training;
using RlExperiments.Factories.Logging;
using LoggerFactory = RlExperiments.Factories.Logging.LoggerFactory;

namespace RlExperiments.Factories.Tests;

public class SinkTests
{
    [Fact]
    public void Console_sink_logs_one_compact_line_per_flush()
    {
        var logger = new ListLogger();
        var sink = new ConsoleMetricsSink(logger);
        sink.Flush();
        logger.Lines.Should().BeEmpty();

        sink.Write("test/return_mean", 200.5, 12000);
        sink.Write("train/loss", 0.0123456, 11000);
        sink.Write("train/loss", 0.0123456, 12000);
        sink.Flush();
        sink.Write("a", 1, 13000);
        sink.Flush();

        logger.Lines.Should().Equal(
            (LogLevel.Information, "env_step 12000 | test/return_mean 200.5 | train/loss 0.01235"),
            (LogLevel.Information, "env_step 13000 | a 1"));
    }

    [Fact]
    public void Console_sink_uses_the_configured_level()
    {
        var logger = new ListLogger();
        var sink = new ConsoleMetricsSink(logger, LogLevel.Debug);
        sink.Write("a", 2, 1);
        sink.Flush();
        logger.Lines.Should().Equal((LogLevel.Debug, "env_step 1 | a 2"));
    }

    [Fact]
    public void Console_logger_factory_uses_the_given_logging_with_its_category()
    {
        var logging = new ListLoggerFactory();
        var sink = new ConsoleLoggerFactory { Category = "Metrics" }.Create("unused", logging);
        sink.Write("a", 1, 5);
        sink.Flush();
        logging.Categories.Should().Equal("Metrics");
        logging.Logger.Lines.Should().ContainSingle().Which.Message.Should().Be("env_step 5 | a 1");
    }

    [Fact]
    public void Plain_console_logger_writes_level_category_and_message()
    {
        var text = new StringWriter();
        ILogger logger = new PlainConsoleLogger("RlExperiments.Metrics", text);
        var sink = new ConsoleMetricsSink(logger);
        sink.Write("a", 1, 5);
        sink.Flush();
        text.ToString().Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ info RlExperiments.Metrics: env_step 5 \| a 1\r?\n$");
    }

    [Fact]
    public void Composite_sink_forwards_writes_and_flushes_to_every_sink()
    {
        var a = new RecordingSink();
        var b = new RecordingSink();
        var composite = new CompositeMetricsSink(a, b);
        composite.Write("x", 1, 2);
        composite.Flush();
        composite.Dispose();
        foreach (var s in new[] { a, b })
        {
            s.Writes.Should().Equal(("x", 1.0, 2L));
            s.Flushes.Should().Be(1);
            s.Disposed.Should().BeTrue();
        }
    }

    [Fact]
    public void Composite_flush_reaches_all_sinks_even_when_one_fails()
    {
        var failing = new RecordingSink { FailOnFlush = true };
        var ok = new RecordingSink();
        var composite = new CompositeMetricsSink(failing, ok);
        var act = () => composite.Flush();
        act.Should().Throw<IOException>().WithMessage("flush failed");
        ok.Flushes.Should().Be(1);

        var twoFailing = new CompositeMetricsSink(new RecordingSink { FailOnFlush = true }, new RecordingSink { FailOnFlush = true });
        var act2 = () => twoFailing.Flush();
        act2.Should().Throw<AggregateException>().Which.InnerExceptions.Should().HaveCount(2);
    }

    [Fact]
    public void None_logger_factory_discards_everything()
    {
        using var dir = new TempDir();
        var sink = new NoneLoggerFactory().Create(dir.Path, null);
        sink.Should().BeSameAs(NullMetricsSink.Instance);
        sink.Write("a", 1, 1);
        sink.Flush();
        Directory.GetFileSystemEntries(dir.Path).Should().BeEmpty();
    }

    [Fact]
    public void Composite_logger_factory_writes_tensorboard_and_csv_into_the_run_directory()
    {
        using var dir = new TempDir();
        var runDir = Path.Combine(dir.Path, "run", "exp_seed=1");
        var factory = new CompositeLoggerFactory(new TensorBoardLoggerFactory(), new CsvLoggerFactory(), new NoneLoggerFactory());
        var sink = factory.Create(runDir, null);
        sink.Should().BeOfType<CompositeMetricsSink>().Which.Sinks.Should().HaveCount(3);
        sink.Write("test/return_mean", 42, 1000);
        sink.Flush();
        ((IDisposable)sink).Dispose();

        var tb = Directory.GetFiles(runDir, "events.out.tfevents.*").Should().ContainSingle().Subject;
        TensorBoardEventReader.Read(tb).Should().Equal(new TensorBoardScalar(TensorBoardEventReader.Read(tb)[0].WallTime, 1000, "test/return_mean", 42));
        File.ReadAllLines(Path.Combine(runDir, "progress.csv")).Should().Equal("env_step,test/return_mean", "1000,42");
    }

    [Fact]
    public void Default_logger_factory_is_tensorboard() =>
        LoggerFactory.Default.Should().Be(new TensorBoardLoggerFactory());

    [Fact]
    public void Logger_factories_validate_their_fields()
    {
        var csv = () => new CsvLoggerFactory { FileName = "a/b.csv" }.Validate();
        csv.Should().Throw<ArgumentException>().WithMessage("CsvLoggerFactory.FileName = \"a/b.csv\" is invalid; allowed: a plain file name*")
            .Which.ParamName.Should().Be("FileName");
        var tb = () => new TensorBoardLoggerFactory { FileNameSuffix = "x/y" }.Validate();
        tb.Should().Throw<ArgumentException>().WithMessage("TensorBoardLoggerFactory.FileNameSuffix = \"x/y\" is invalid*");
        var console = () => new ConsoleLoggerFactory { Level = LogLevel.None }.Validate();
        console.Should().Throw<ArgumentOutOfRangeException>().WithMessage("ConsoleLoggerFactory.Level = None is invalid; allowed: one of Trace*");
        var composite = () => new CompositeLoggerFactory(new CsvLoggerFactory { FileName = "" }).Validate();
        composite.Should().Throw<ArgumentException>().WithMessage("CsvLoggerFactory.FileName = \"\" is invalid*");
    }

    [Fact]
    public void Composite_logger_factory_equality_is_structural_and_its_list_is_a_copy()
    {
        var list = new List<LoggerFactory> { new CsvLoggerFactory(), new TensorBoardLoggerFactory() };
        var a = new CompositeLoggerFactory(list);
        list.Add(new NoneLoggerFactory());
        a.Factories.Should().HaveCount(2);
        var b = new CompositeLoggerFactory(new CsvLoggerFactory(), new TensorBoardLoggerFactory());
        a.Should().Be(b);
        a.GetHashCode().Should().Be(b.GetHashCode());
        a.Should().NotBe(new CompositeLoggerFactory(new TensorBoardLoggerFactory(), new CsvLoggerFactory()));
    }

    private sealed class RecordingSink : IMetricsSink, IDisposable
    {
        public List<(string, double, long)> Writes { get; } = [];
        public int Flushes { get; private set; }
        public bool Disposed { get; private set; }
        public bool FailOnFlush { get; init; }

        public void Write(string tag, double value, long envStep) => Writes.Add((tag, value, envStep));

        public void Flush()
        {
            Flushes++;
            if (FailOnFlush) throw new IOException("flush failed");
        }

        public void Dispose() => Disposed = true;
    }
}

public sealed class ListLogger : ILogger
{
    public List<(LogLevel Level, string Message)> Lines { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Add((logLevel, formatter(state, exception)));
}

public sealed class ListLoggerFactory : ILoggerFactory
{
    public ListLogger Logger { get; } = new();
    public List<string> Categories { get; } = [];

    public void AddProvider(ILoggerProvider provider) { }

    public ILogger CreateLogger(string categoryName)
    {
        Categories.Add(categoryName);
        return Logger;
    }

    public void Dispose() { }
}
