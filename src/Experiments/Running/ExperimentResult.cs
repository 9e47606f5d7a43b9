using Microsoft.Extensions.Logging;
using RlExperiments.Agents.Evaluation;
using RlExperiments.Agents.Training;
using RlExperiments.Evaluation.Reporting;
using RlExperiments.Experiments.Collections;

namespace RlExperiments.Experiments;

/// <summary>What <see cref="Experiment.Run"/> returns (Tianshou's <c>ExperimentResult</c>). Dispose it to release the environments.</summary>
public sealed class ExperimentResult : IDisposable
{
    private readonly ILogger _logger;

    internal ExperimentResult(World world, TrainerResult? trainerResult, double policyTestReturn, EvaluationResult? watch, RunSummary summary, ILogger logger)
    {
        _logger = logger;
        World = world;
        TrainerResult = trainerResult;
        PolicyTestReturn = policyTestReturn;
        WatchResult = watch;
        Summary = summary;
    }

    /// <summary>The live objects of the run.</summary>
    public World World { get; }

    /// <summary>The training outcome (best and last test return, steps, wall time, whether the stop callback fired), or null when the run did not train.</summary>
    public TrainerResult? TrainerResult { get; }

    /// <summary>
    /// The mean return of the policy the run ended with (the saved best policy) over the test episodes, deterministic, on
    /// test environments reset with the run's test seed; NaN without test episodes. Restoring the policy reproduces it.
    /// </summary>
    public double PolicyTestReturn { get; }

    /// <summary>The watch episodes, or null when the run did not watch.</summary>
    public EvaluationResult? WatchResult { get; }

    /// <summary>The summary written to result.json.</summary>
    public RunSummary Summary { get; }

    /// <summary>The run directory, or null without persistence.</summary>
    public string? Directory => World.PersistDirectory;

    /// <summary>The watch video (<c>watch.gif</c>, see <see cref="ExperimentConfig.WatchRender"/>), or null when the run wrote none.</summary>
    public string? WatchVideoPath => Directory is { } dir && File.Exists(Path.Combine(dir, Experiment.WatchVideoFileName))
        ? Path.Combine(dir, Experiment.WatchVideoFileName)
        : null;

    /// <summary>
    /// Writes the run's report (<c>report.html</c> in the run directory, or <paramref name="path"/>): its learning curve from
    /// progress.csv, its score, and the watch video when it has one. The same page as a collection's report, for one run
    /// (so without intervals or tests); logs the path it wrote.
    /// </summary>
    /// <param name="path">Where to write; default <c>&lt;run directory&gt;/report.html</c>.</param>
    /// <param name="metric">Which number of the summary is the run's score.</param>
    /// <returns>The path written.</returns>
    /// <exception cref="InvalidOperationException">The run had no directory (PersistenceEnabled = false) or no finite score.</exception>
    public string WriteReport(string? path = null, FinalReturnMetric metric = FinalReturnMetric.LastTestReturn)
    {
        var dir = Directory ?? throw new InvalidOperationException(
            "This run wrote no directory (ExperimentConfig.PersistenceEnabled = false), so there is no progress to report; nothing was written.");
        var score = new CollectionRun { Index = 0, Seed = Summary.Seed, Name = Summary.ExperimentName, Status = CollectionRunStatus.Succeeded, Summary = Summary }.FinalReturn(metric);
        if (!double.IsFinite(score))
            throw new InvalidOperationException($"The run '{Summary.ExperimentName}' has no finite {metric} (it neither trained with test episodes nor evaluated a policy); nothing was written.");
        path = Path.GetFullPath(path ?? Path.Combine(dir, Experiment.ReportFileName));
        var data = new ReportData
        {
            Title = $"{Summary.Algorithm} on {Summary.EnvId}: {Summary.ExperimentName}",
            Groups = [new ReportGroup(Summary.Algorithm, [new ReportRun(Summary.Seed, RunData.LearningCurve(dir), score)])],
            Metadata =
            [
                new("environment", Summary.EnvId), new("seed", Summary.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("score", metric.ToString()), new("run directory", dir),
            ],
            Videos = WatchVideoPath is { } video ? [new ReportVideo($"{Summary.Algorithm}, seed {Summary.Seed}: the first watch episode", video)] : [],
            CreatedAt = DateTimeOffset.UtcNow,
        };
        new ReportWriter().Write(data, path);
        _logger.LogInformation("Wrote the run report {Path}", path);
        return path;
    }

    /// <summary>Disposes the world.</summary>
    public void Dispose() => World.Dispose();
}
