using RlExperiments.Environments;
using RlExperiments.Environments.Wrappers;
using RlExperiments.Factories;
using RlExperiments.Factories.Optim;
using MetricsLoggerFactory = RlExperiments.Factories.Logging.LoggerFactory;

namespace RlExperiments.Experiments.Tests;

/// <summary>A user-defined env factory, to be allow-listed by the user.</summary>
public sealed record MyEnvFactory : EnvFactory
{
    /// <summary>Episode statistics buffer length.</summary>
    public int StatsWindow { get; init; } = 100;

    protected override Env Wrap(Env env, EnvMode mode) => new RecordEpisodeStatistics(env, StatsWindow);
}

/// <summary>A config record holding polymorphic factories, like the experiment config will.</summary>
public sealed record SampleConfig
{
    public required EnvFactory Env { get; init; }
    public MetricsLoggerFactory Logger { get; init; } = MetricsLoggerFactory.Default;
    public OptimizerFactory Optim { get; init; } = OptimizerFactory.Default;
    public LrSchedulerFactory? LrScheduler { get; init; }
    public double LearningRate { get; init; } = 1e-3;
    public string? Note { get; init; }
}

/// <summary>A type whose construction would be observable: reading a file must never create it.</summary>
public sealed class Canary : MetricsLoggerFactoryBase
{
    public static int Constructed;

    public Canary() => Interlocked.Increment(ref Constructed);
}

/// <summary>A base so that the canary is assignable where a logger factory is expected.</summary>
public abstract class MetricsLoggerFactoryBase;
