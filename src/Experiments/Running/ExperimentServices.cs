using Microsoft.Extensions.Logging;
using RlExperiments.Environments;
using RlExperiments.Experiments.Algorithms;
using RlExperiments.Experiments.Persistence;
using RlExperiments.Factories.Logging;
using MetricsLoggerFactory = RlExperiments.Factories.Logging.LoggerFactory;

namespace RlExperiments.Experiments;

/// <summary>
/// The runtime services an experiment uses but does not save: the environment registry, the JSON reader/writer (and
/// its allow-list), the application's logging and the default metrics logger. Without DI, <see cref="Default"/> uses
/// the process-wide registry and allow-list and logs to the console; with DI, <c>services.AddRlExperiments()</c>
/// registers one built from the container (resolve it, or <see cref="ExperimentRunner"/>).
/// </summary>
public sealed class ExperimentServices
{
    private static readonly Lazy<ILoggerFactory> ConsoleLogging = new(() =>
        Microsoft.Extensions.Logging.LoggerFactory.Create(b => b
            .SetMinimumLevel(LogLevel.Information)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            })));

    /// <summary>Creates the services; every argument defaults to the process-wide or console default.</summary>
    /// <param name="registry">Where environment ids are looked up. Default: <see cref="EnvRegistry.Default"/>.</param>
    /// <param name="json">Reads and writes experiment.json. Default: <see cref="ExperimentJson.Default"/>.</param>
    /// <param name="logging">The application's logging. Default: a console logger (single lines).</param>
    /// <param name="defaultLoggerFactory">The metrics logger of builders that set none. Default: TensorBoard and progress.csv.</param>
    /// <param name="algorithms">The algorithms by name (AutoRL, the manager and the command line look them up here). Default: <see cref="AlgorithmRegistry.Default"/>.</param>
    public ExperimentServices(EnvRegistry? registry = null, ExperimentJson? json = null, ILoggerFactory? logging = null,
        MetricsLoggerFactory? defaultLoggerFactory = null, AlgorithmRegistry? algorithms = null)
    {
        Algorithms = algorithms ?? AlgorithmRegistry.Default;
        Registry = registry ?? EnvRegistry.Default;
        Json = json ?? ExperimentJson.Default;
        Logging = logging ?? ConsoleLogging.Value;
        DefaultLoggerFactory = defaultLoggerFactory ?? DefaultMetricsLogger;
    }

    /// <summary>The framework's default metrics logger: TensorBoard event files and <c>progress.csv</c>.</summary>
    public static MetricsLoggerFactory DefaultMetricsLogger { get; } = new CompositeLoggerFactory(new TensorBoardLoggerFactory(), new CsvLoggerFactory());

    /// <summary>The services used when none are given (declared after <see cref="DefaultMetricsLogger"/>, which it uses).</summary>
    public static ExperimentServices Default { get; } = new();

    /// <summary>The algorithm registry.</summary>
    public AlgorithmRegistry Algorithms { get; }

    /// <summary>The environment registry.</summary>
    public EnvRegistry Registry { get; }

    /// <summary>The experiment.json reader/writer.</summary>
    public ExperimentJson Json { get; }

    /// <summary>The application's logging (a run adds its log.txt to it).</summary>
    public ILoggerFactory Logging { get; }

    /// <summary>The metrics logger of builders that set none.</summary>
    public MetricsLoggerFactory DefaultLoggerFactory { get; }
}
