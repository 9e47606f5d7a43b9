using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RlExperiments.Environments;
using RlExperiments.Experiments.Logging;
using RlExperiments.Experiments.Persistence;
using RlExperiments.Factories;
using MetricsLoggerFactory = RlExperiments.Factories.Logging.LoggerFactory;
using RlExperiments.Experiments.Algorithms.Dqn;
using RlExperiments.Experiments.Builders;
using RlExperiments.Experiments.Collections;

namespace RlExperiments.Experiments.Tests.Experiment;

public class RunnerTests
{
    [Fact]
    public void AddRlExperiments_makes_the_runner_and_services_resolvable_from_the_container()
    {
        using var provider = new ServiceCollection().AddRlExperiments().BuildServiceProvider(validateScopes: true);
        var runner = provider.GetRequiredService<ExperimentRunner>();
        runner.Should().BeSameAs(provider.GetRequiredService<ExperimentRunner>());
        var services = provider.GetRequiredService<ExperimentServices>();
        runner.Services.Should().BeSameAs(services);
        services.Registry.Should().BeSameAs(provider.GetRequiredService<EnvRegistry>());
        services.Json.Should().BeSameAs(provider.GetRequiredService<ExperimentJson>());
        services.Logging.Should().BeSameAs(provider.GetRequiredService<ILoggerFactory>());
        services.DefaultLoggerFactory.Should().Be(provider.GetRequiredService<MetricsLoggerFactory>());
    }

    [Fact]
    public void A_runner_from_the_container_builds_runs_and_restores_with_the_container_services()
    {
        using var tmp = new TempDir();
        var lines = new List<string>();
        using var provider = new ServiceCollection()
            .AddLogging(b => b.AddProvider(new ListLoggerProvider(lines)))
            .AddRlExperiments(o => o.RegisterEnv("Tiny-v0", k => new Environments.ClassicControl.CartPole(), maxEpisodeSteps: 30, rewardThreshold: 25))
            .BuildServiceProvider();
        var runner = provider.GetRequiredService<ExperimentRunner>();
        var experiment = runner.Builder(new DQNExperimentBuilder(new EnvFactory { EnvId = "Tiny-v0" }, Tiny.Config(tmp.Path), Tiny.DqnSampling()))
            .WithModelFactoryDefault([8])
            .WithName("di")
            .Build();
        experiment.Services.Should().BeSameAs(runner.Services);
        using var result = experiment.Run();
        lines.Should().Contain(l => l.Contains("Experiment di: DQN on Tiny-v0"));
        File.ReadAllText(Path.Combine(result.Directory!, "log.txt")).Should().Contain("Experiment di: DQN on Tiny-v0");

        var restored = runner.FromDirectory(result.Directory!);
        restored.Definition.EnvFactory.EnvId.Should().Be("Tiny-v0");
        using var replay = runner.Run(restored.WithConfig(c => c with { Train = false, PersistenceEnabled = false }));
        replay.PolicyTestReturn.Should().Be(result.PolicyTestReturn);

        var withoutContainer = () => Experiments.Experiment.FromDirectory(result.Directory!).Run(experimentName: "x");
        withoutContainer.Should().Throw<RlExperiments.Experiments.Persistence.ExperimentJsonException>()
            .WithMessage($"{Path.Combine(result.Directory!, "experiment.json")}: invalid value: *Tiny-v0*", "the process-wide registry does not know the container's environment; the error names the restored file");
    }

    [Fact]
    public void Console_lines_of_parallel_runs_name_their_run_and_seed_and_report_writers_log_their_paths()
    {
        using var tmp = new TempDir();
        var lines = new List<string>();
        using var loggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddProvider(new ListLoggerProvider(lines)));
        var services = new ExperimentServices(logging: loggerFactory);
        var collection = new DQNExperimentBuilder(Tiny.CartPole, Tiny.Config(tmp.Path), Tiny.DqnSampling(epochs: 2))
            .WithModelFactoryDefault([8]).WithServices(services).WithName("pair").BuildSeededCollection(2);
        collection.Run(new ParallelLauncher(maxWorkers: 2));

        var prefixes = collection.Seeds.Select(s => $"[pair/seed_{s} seed {s}] ").ToArray();
        // The run's own lines (the builder's notes at Build(), before any run, and the collection's lines are not).
        var runLines = lines.Where(l => l.StartsWith('[') || l.StartsWith("Experiment ", StringComparison.Ordinal) || l.StartsWith("epoch ", StringComparison.Ordinal)).ToArray();
        runLines.Should().NotBeEmpty().And.OnlyContain(l => prefixes.Any(p => l.StartsWith(p, StringComparison.Ordinal)), "every run line says which run it is");
        foreach (var prefix in prefixes)
        {
            runLines.Should().Contain(l => l.StartsWith(prefix + "Experiment seed_", StringComparison.Ordinal));
            runLines.Should().Contain(l => l.StartsWith(prefix, StringComparison.Ordinal) && l.Contains("epoch 2/2", StringComparison.OrdinalIgnoreCase), "the epoch lines too");
        }
        File.ReadAllText(Path.Combine(collection.RunDirectory(0), "log.txt")).Should().NotContain("[pair/", "a run's own log.txt needs no prefix");

        collection.WriteReport();
        lines.Should().Contain($"Collection pair: wrote the collection report {Path.Combine(collection.Directory, "report.html")}");
    }

    [Fact]
    public void LogPrefix_is_the_run_directory_below_its_base_folder_and_the_seed()
    {
        ExperimentRun.LogPrefix("seed_7", "/x/log/films/seed_7", 7).Should().Be("[films/seed_7 seed 7] ");
        ExperimentRun.LogPrefix("dqn", "/x/log/dqn/", 42).Should().Be("[log/dqn seed 42] ");
        ExperimentRun.LogPrefix("dqn", null, 42).Should().Be("[dqn seed 42] ");
    }

    [Fact]
    public void The_file_logger_writes_lines_and_drops_entries_after_dispose()
    {
        using var tmp = new TempDir();
        var path = tmp.Combine("log.txt");
        var provider = new FileLoggerProvider(path);
        var logger = provider.CreateLogger("Cat");
        logger.LogInformation("hello {X}", 1);
        logger.LogDebug("hidden");
        logger.LogError(new InvalidOperationException("boom"), "failed");
        provider.Dispose();
        logger.LogInformation("after");
        var text = File.ReadAllText(path);
        text.Should().Contain("info Cat: hello 1").And.Contain("fail Cat: failed").And.Contain("boom");
        text.Should().NotContain("hidden").And.NotContain("after");
    }

    private sealed class ListLoggerProvider(List<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(lines);

        public void Dispose() { }

        private sealed class ListLogger(List<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (lines) lines.Add(formatter(state, exception));
            }
        }
    }
}
