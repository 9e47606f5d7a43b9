using RlExperiments.Experiments.Builders;
using RlExperiments.Factories;

namespace RlExperiments.Experiments;

/// <summary>
/// The DI entry point (registered by <c>services.AddRlExperiments()</c>): creates builders and restores experiments
/// bound to the container's <see cref="ExperimentServices"/> (its environment registry, allow-list and
/// <c>ILoggerFactory</c>). Builders and experiments also work without it.
/// </summary>
public sealed class ExperimentRunner(ExperimentServices services)
{
    /// <summary>The services everything created here uses.</summary>
    public ExperimentServices Services { get; } = services ?? throw new ArgumentNullException(nameof(services));

    /// <summary>
    /// Binds <paramref name="builder"/> to <see cref="Services"/>, e.g.
    /// <c>runner.Builder(new DQNExperimentBuilder(new EnvFactory { EnvId = "CartPole-v1" }))</c>; works for every algorithm's builder.
    /// </summary>
    public TBuilder Builder<TBuilder>(TBuilder builder) where TBuilder : ExperimentBuilder<TBuilder>
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithServices(Services);
    }

    /// <summary>Restores an experiment with <see cref="Services"/> (see <see cref="Experiment.FromDirectory"/>).</summary>
    public Experiment FromDirectory(string directory, bool restorePolicy = true) => Experiment.FromDirectory(directory, restorePolicy, Services);

    /// <summary>Runs <paramref name="experiment"/> with <see cref="Services"/> (see <see cref="Experiment.Run"/>).</summary>
    public ExperimentResult Run(Experiment experiment, string? experimentName = null, string? loggerRunId = null, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return experiment.WithServices(Services).Run(experimentName, loggerRunId, overwrite);
    }
}
