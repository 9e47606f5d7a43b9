using Microsoft.Extensions.Logging;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Collections;

/// <summary>
/// Works on a submitted collection's run queue (<see cref="ExperimentCollection.Submit"/>): claims a run, runs it into
/// its directory (resuming from its last checkpoint when an earlier worker died while running it), beats while it runs,
/// and repeats until no run is left; the worker that sees every run finished writes <c>collection.json</c> and the report.
/// What <c>rlx worker --collection NAME</c> runs.
/// </summary>
public static class CollectionWorker
{
    /// <summary>Works until every run of the collection has finished; returns how many runs this worker finished.</summary>
    /// <param name="storageUrl">The queue's storage URL (<c>postgresql://</c> or <c>sqlite:///</c>, see <see cref="RunQueue.Open"/>).</param>
    /// <param name="collection">The collection's name.</param>
    /// <param name="logger">Receives one line per claimed and finished run; null = silent.</param>
    /// <param name="heartbeatInterval">How often a running run's heartbeat is refreshed (default 10 s).</param>
    /// <param name="staleAfter">A run whose heartbeat is older is taken from its (dead) worker (default 60 s; at once when that worker was a process on this machine that is gone).</param>
    /// <param name="services">The services experiments are restored with; default <see cref="ExperimentServices.Default"/>.</param>
    public static int Work(string storageUrl, string collection, ILogger? logger = null, TimeSpan? heartbeatInterval = null, TimeSpan? staleAfter = null,
        ExperimentServices? services = null)
    {
        var beat = heartbeatInterval ?? TimeSpan.FromSeconds(10);
        var stale = staleAfter ?? TimeSpan.FromSeconds(60);
        using var queue = RunQueue.Open(storageUrl, collection);
        if (queue.Runs().Count == 0)
            throw new InvalidOperationException($"The storage {StudyStorageUrl.Parse(storageUrl)} holds no queued collection '{collection}'; submit it first (ExperimentCollection.Submit).");
        var session = RunQueue.NewSessionId();
        int finished = 0;
        while (true)
        {
            var run = queue.Claim(session, stale, DateTime.UtcNow);
            if (run is null)
            {
                var runs = queue.Runs();
                if (runs.All(r => r.State is TrialState.Complete or TrialState.Failed))
                {
                    Finalize(runs, services, logger);
                    return finished;
                }
                Thread.Sleep(TimeSpan.FromSeconds(1)); // others still run: one may die and its run come back
                continue;
            }
            logger?.LogInformation("Claimed run {Run} of collection {Collection} (attempt {Attempt}).", run.Name, collection, run.Attempts);
            var (state, error) = RunOne(queue, run, session, beat, services, logger);
            if (queue.Finish(run.Name, session, state, error, DateTime.UtcNow)) finished++;
            logger?.LogInformation("Run {Run} of collection {Collection}: {State}{Error}", run.Name, collection, state, error is null ? "" : " (" + error + ")");
        }
    }

    private static (TrialState, string?) RunOne(IRunQueue queue, QueuedRun run, string session, TimeSpan beat, ExperimentServices? services, ILogger? logger)
    {
        using var done = new ManualResetEventSlim();
        var heartbeat = new Thread(() =>
        {
            while (!done.Wait(beat))
                try { queue.Heartbeat(run.Name, session, DateTime.UtcNow); }
                catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException) { /* the next beat retries */ }
        }) { IsBackground = true, Name = "run-heartbeat" };
        heartbeat.Start();
        try
        {
            var directory = Path.Combine(run.Directory, run.Name);
            // A run taken from a dead worker: the queue decided it is dead (its heartbeat went stale, or its process on this
            // machine is gone), which the run directory's lock cannot tell for a process on another machine. Take the lock over.
            var lockFile = Path.Combine(directory, RunDirectoryLock.FileName);
            if (run.Attempts > 1 && File.Exists(lockFile))
            {
                logger?.LogWarning("Run {Run}: removing the lock of the worker that died ({Reason}).", run.Name, run.Error);
                File.Delete(lockFile);
            }
            var experiment = Experiment.FromDirectory(directory, restorePolicy: false, services);
            bool resume = RunCheckpoints.FindLatestIntact(directory) is not null;
            if (resume) logger?.LogInformation("Run {Run} has a checkpoint from an earlier worker: resuming it.", run.Name);
            using var result = resume ? experiment.Resume(directory) : experiment.Run(overwrite: true);
            return (TrialState.Complete, null);
        }
        catch (Exception e)
        {
            return (TrialState.Failed, $"{e.GetType().Name}: {e.Message}");
        }
        finally
        {
            done.Set();
            heartbeat.Join();
        }
    }

    /// <summary>collection.json with every run's outcome, and report.html (atomic writes: two workers finishing at once write the same files).</summary>
    private static void Finalize(IReadOnlyList<QueuedRun> runs, ExperimentServices? services, ILogger? logger)
    {
        var directory = runs[0].Directory;
        var collection = ExperimentCollection.FromDirectory(directory, services);
        foreach (var run in runs)
        {
            var index = collection.Runs.Single(r => r.Name == run.Name).Index;
            collection.RecordOutcome(index, run);
        }
        collection.SaveManifest();
        if (collection.Runs.Any(r => r.Status == CollectionRunStatus.Succeeded)) collection.WriteReport();
        logger?.LogInformation("Collection {Collection}: every run finished; wrote {Manifest}.", collection.Name, collection.ManifestPath);
    }
}
