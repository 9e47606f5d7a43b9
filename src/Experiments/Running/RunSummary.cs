
namespace RlExperiments.Experiments;

/// <summary>The summary of a run, written to <c>result.json</c>.</summary>
public sealed record RunSummary
{
    /// <summary>The experiment's (run directory's) name.</summary>
    public required string ExperimentName { get; init; }

    /// <summary>The run id passed to <see cref="Experiment.Run"/>, or null.</summary>
    public string? LoggerRunId { get; init; }

    /// <summary>"DQN", "PPO" or "SAC".</summary>
    public required string Algorithm { get; init; }

    /// <summary>The environment id.</summary>
    public required string EnvId { get; init; }

    /// <summary>The experiment seed.</summary>
    public int Seed { get; init; }

    /// <summary>Whether the run trained.</summary>
    public bool Trained { get; init; }

    /// <summary>The directory the policy was restored from, or null.</summary>
    public string? RestoredFrom { get; init; }

    /// <summary>The best mean test return during training (NaN without training or testing).</summary>
    public double BestTestReturn { get; init; }

    /// <summary>The epoch of the best test return (−1 when none).</summary>
    public int BestEpoch { get; init; }

    /// <summary>The last mean test return during training (NaN without training or testing).</summary>
    public double LastTestReturn { get; init; }

    /// <summary>The saved policy's deterministic mean return on freshly seeded test environments (see <see cref="ExperimentResult.PolicyTestReturn"/>).</summary>
    public double PolicyTestReturn { get; init; }

    /// <summary>The mean return of the watch episodes (NaN without watching).</summary>
    public double WatchReturnMean { get; init; }

    /// <summary>Environment steps taken in training.</summary>
    public long EnvSteps { get; init; }

    /// <summary>Gradient steps applied in training.</summary>
    public long GradientSteps { get; init; }

    /// <summary>Epochs completed.</summary>
    public int Epochs { get; init; }

    /// <summary>Whether the stop callback ended training early.</summary>
    public bool StoppedByCallback { get; init; }

    /// <summary>Wall-clock seconds of training (tests included).</summary>
    public double TrainWallTimeSeconds { get; init; }

    /// <summary>Wall-clock seconds of the whole run.</summary>
    public double WallTimeSeconds { get; init; }

    /// <summary>When the run started (UTC, ISO 8601).</summary>
    public required string StartedUtc { get; init; }

    /// <summary>When the run finished (UTC, ISO 8601).</summary>
    public required string FinishedUtc { get; init; }
}
