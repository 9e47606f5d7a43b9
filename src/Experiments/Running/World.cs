using Microsoft.Extensions.Logging;
using RlExperiments.Agents;
using RlExperiments.Agents.Training;
using RlExperiments.Factories;

namespace RlExperiments.Experiments;

/// <summary>
/// The live objects of a run (Tianshou's <c>World</c>): environments, agent, trainer, metrics sink, logger and
/// directories. Not serialisable. Dispose it (or the <see cref="ExperimentResult"/>) to release the environments.
/// </summary>
public sealed class World : IDisposable
{
    internal World(Factories.EnvironmentSet envs, IAgent agent, IMetricsSink metrics, ILogger logger, string? persistDirectory, string? restoreDirectory)
    {
        Envs = envs;
        Agent = agent;
        Metrics = metrics;
        Logger = logger;
        PersistDirectory = persistDirectory;
        RestoreDirectory = restoreDirectory;
    }

    /// <summary>The environments (training, test, watch).</summary>
    public Factories.EnvironmentSet Envs { get; }

    /// <summary>The agent; after a run it holds the best policy (see <see cref="Experiment.Run"/>).</summary>
    public IAgent Agent { get; }

    /// <summary>The trainer the algorithm created, or null when the run did not train.</summary>
    public ITrainer? Trainer { get; internal set; }

    /// <summary>The metrics sink (closed when the run ends).</summary>
    public IMetricsSink Metrics { get; }

    /// <summary>The run's logger (its log.txt is closed when the run ends).</summary>
    public ILogger Logger { get; }

    /// <summary>The run directory, or null without persistence.</summary>
    public string? PersistDirectory { get; }

    /// <summary>The directory the policy was restored from, or null.</summary>
    public string? RestoreDirectory { get; }

    /// <summary>Disposes the environments.</summary>
    public void Dispose() => Envs.Dispose();
}
