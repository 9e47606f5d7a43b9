namespace RlExperiments.Experiments.Collections;

/// <summary>Where a run of a collection stands.</summary>
public enum CollectionRunStatus
{
    /// <summary>Not started.</summary>
    Pending,

    /// <summary>Running.</summary>
    Running,

    /// <summary>Finished; its directory holds result.json.</summary>
    Succeeded,

    /// <summary>Threw; <see cref="CollectionRun.Error"/> says what.</summary>
    Failed,
}

/// <summary>Which number of a run's result.json is its score in reports and statistics.</summary>
public enum FinalReturnMetric
{
    /// <summary>The last evaluation's mean test return during training (rliable's "final" score; not selected on the test runs). The default.</summary>
    LastTestReturn,

    /// <summary>The saved (best) policy's deterministic return on freshly seeded test environments.</summary>
    PolicyTestReturn,

    /// <summary>The best mean test return during training (optimistic: selected on the same evaluations).</summary>
    BestTestReturn,
}

/// <summary>One run of a collection, as recorded in <c>collection.json</c>.</summary>
public sealed record CollectionRun
{
    /// <summary>The run's position in the collection.</summary>
    public required int Index { get; init; }

    /// <summary>The run's seed (spawned from the collection's root seed, or given).</summary>
    public required int Seed { get; init; }

    /// <summary>The run's name and directory name, <c>seed_&lt;seed&gt;</c>, relative to the collection directory.</summary>
    public required string Name { get; init; }

    /// <summary>Where the run stands.</summary>
    public CollectionRunStatus Status { get; init; }

    /// <summary>The error message of a failed run (exception type and message), else null.</summary>
    public string? Error { get; init; }

    /// <summary>The full name of the exception type of a failed run, else null.</summary>
    public string? ErrorType { get; init; }

    /// <summary>When the run started (UTC, ISO 8601), or null.</summary>
    public string? StartedUtc { get; init; }

    /// <summary>When the run ended (UTC, ISO 8601), or null.</summary>
    public string? FinishedUtc { get; init; }

    /// <summary>The run's result.json of a succeeded run, else null.</summary>
    public RunSummary? Summary { get; init; }

    /// <summary>The run's score by <paramref name="metric"/> (NaN without a summary); <see cref="FinalReturnMetric.LastTestReturn"/> falls back to the policy test return when the run did not train.</summary>
    public double FinalReturn(FinalReturnMetric metric = FinalReturnMetric.LastTestReturn) => Summary is not { } s ? double.NaN : metric switch
    {
        FinalReturnMetric.PolicyTestReturn => s.PolicyTestReturn,
        FinalReturnMetric.BestTestReturn => s.BestTestReturn,
        _ => double.IsFinite(s.LastTestReturn) ? s.LastTestReturn : s.PolicyTestReturn,
    };
}

/// <summary>The collection's outcome at a glance, as recorded in <c>collection.json</c>.</summary>
public sealed record CollectionSummary
{
    /// <summary>Runs in the collection.</summary>
    public int Runs { get; init; }

    /// <summary>Runs that succeeded.</summary>
    public int Succeeded { get; init; }

    /// <summary>Runs that failed.</summary>
    public int Failed { get; init; }

    /// <summary>Runs not (yet) finished.</summary>
    public int NotFinished { get; init; }

    /// <summary>The score the numbers below are of.</summary>
    public FinalReturnMetric Metric { get; init; }

    /// <summary>Mean score of the succeeded runs (NaN without any).</summary>
    public double MeanFinalReturn { get; init; }

    /// <summary>Sample standard deviation of the scores (NaN with fewer than 2).</summary>
    public double StdFinalReturn { get; init; }

    /// <summary>Interquartile mean of the scores (NaN without any).</summary>
    public double IqmFinalReturn { get; init; }

    /// <summary>Lowest score (NaN without any).</summary>
    public double MinFinalReturn { get; init; }

    /// <summary>Highest score (NaN without any).</summary>
    public double MaxFinalReturn { get; init; }

    /// <summary>Summarises <paramref name="runs"/>.</summary>
    public static CollectionSummary Of(IReadOnlyList<CollectionRun> runs, FinalReturnMetric metric = FinalReturnMetric.LastTestReturn)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var scores = runs.Where(r => r.Status == CollectionRunStatus.Succeeded).Select(r => r.FinalReturn(metric)).Where(double.IsFinite).ToArray();
        var mean = scores.Length == 0 ? double.NaN : scores.Average();
        var std = scores.Length < 2 ? double.NaN : Math.Sqrt(scores.Sum(v => (v - mean) * (v - mean)) / (scores.Length - 1));
        return new CollectionSummary
        {
            Runs = runs.Count,
            Succeeded = runs.Count(r => r.Status == CollectionRunStatus.Succeeded),
            Failed = runs.Count(r => r.Status == CollectionRunStatus.Failed),
            NotFinished = runs.Count(r => r.Status is CollectionRunStatus.Pending or CollectionRunStatus.Running),
            Metric = metric,
            MeanFinalReturn = mean,
            StdFinalReturn = std,
            IqmFinalReturn = scores.Length == 0 ? double.NaN : RlExperiments.Evaluation.Statistics.Aggregates.InterquartileMean(scores),
            MinFinalReturn = scores.Length == 0 ? double.NaN : scores.Min(),
            MaxFinalReturn = scores.Length == 0 ? double.NaN : scores.Max(),
        };
    }
}

/// <summary>The content of <c>collection.json</c>: what the collection is, its runs and their outcomes.</summary>
public sealed record CollectionManifest
{
    /// <summary>The document kind in the file's envelope.</summary>
    public const string Kind = "ExperimentCollection";

    /// <summary>The collection's name (its directory name).</summary>
    public required string Name { get; init; }

    /// <summary>The algorithm of the runs, e.g. "PPO" (several joined by "+" when they differ).</summary>
    public required string Algorithm { get; init; }

    /// <summary>The environment id of the runs (several joined by "+" when they differ).</summary>
    public required string EnvId { get; init; }

    /// <summary>The seed the run seeds were spawned from, or null when the seeds were given.</summary>
    public int? RootSeed { get; init; }

    /// <summary>The launcher of the last run, e.g. "ParallelLauncher(MaxWorkers = 2)".</summary>
    public string? Launcher { get; init; }

    /// <summary>When the collection last started running (UTC, ISO 8601).</summary>
    public string? StartedUtc { get; init; }

    /// <summary>When the manifest was last written (UTC, ISO 8601).</summary>
    public string? UpdatedUtc { get; init; }

    /// <summary>The runs, in order.</summary>
    public required IReadOnlyList<CollectionRun> Runs { get; init; }

    /// <summary>The outcome at a glance.</summary>
    public required CollectionSummary Summary { get; init; }
}

/// <summary>What <see cref="ExperimentCollection.Run"/> returns: every run's outcome; failed runs keep their error.</summary>
/// <param name="Directory">The collection directory.</param>
/// <param name="Runs">The runs, in order.</param>
/// <param name="Summary">The outcome at a glance.</param>
public sealed record CollectionResult(string Directory, IReadOnlyList<CollectionRun> Runs, CollectionSummary Summary)
{
    /// <summary>The runs that succeeded.</summary>
    public IReadOnlyList<CollectionRun> Succeeded => Runs.Where(r => r.Status == CollectionRunStatus.Succeeded).ToArray();

    /// <summary>The runs that failed, with their errors.</summary>
    public IReadOnlyList<CollectionRun> Failed => Runs.Where(r => r.Status == CollectionRunStatus.Failed).ToArray();

    /// <summary>Whether every run succeeded.</summary>
    public bool AllSucceeded => Runs.All(r => r.Status == CollectionRunStatus.Succeeded);

    /// <summary>The path of <c>collection.json</c>.</summary>
    public string ManifestPath => Path.Combine(Directory, ExperimentCollection.ManifestFileName);
}
