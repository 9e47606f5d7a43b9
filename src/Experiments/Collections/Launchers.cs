namespace RlExperiments.Experiments.Collections;

/// <summary>
/// Runs the jobs of an <see cref="ExperimentCollection"/> (Tianshou's <c>ExpLauncher</c>). A job records its own
/// outcome and never throws, so a launcher only decides where and how many run at once.
/// </summary>
public interface IExperimentLauncher
{
    /// <summary>Runs every job once and returns when all have finished.</summary>
    /// <param name="jobs">The jobs, in the collection's order.</param>
    void Launch(IReadOnlyList<Action> jobs);
}

/// <summary>Runs the jobs one after another on the calling thread (Tianshou's <c>SequentialExpLauncher</c>).</summary>
public sealed class SequentialLauncher : IExperimentLauncher
{
    /// <inheritdoc />
    public void Launch(IReadOnlyList<Action> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        foreach (var job in jobs)
            job();
    }

    /// <inheritdoc />
    public override string ToString() => "SequentialLauncher";
}

/// <summary>
/// Runs the jobs on dedicated threads, at most <see cref="MaxWorkers"/> at once (Tianshou's <c>JoblibExpLauncher</c>
/// with threads). Each run owns its environments, agent, random streams and per-thread tensor pools, and nothing is
/// shared between runs that a run mutates, so a run gives the same result whether it runs alone, sequentially or in
/// parallel.
/// </summary>
public sealed class ParallelLauncher : IExperimentLauncher
{
    /// <summary>Creates a launcher.</summary>
    /// <param name="maxWorkers">The most runs at once. Default (null): <see cref="Environment.ProcessorCount"/>. Allowed: ≥ 1.</param>
    public ParallelLauncher(int? maxWorkers = null)
    {
        var workers = maxWorkers ?? Environment.ProcessorCount;
        if (workers < 1)
            throw new ArgumentOutOfRangeException(nameof(maxWorkers), workers, $"ParallelLauncher.MaxWorkers = {workers} is invalid; allowed: an integer ≥ 1.");
        MaxWorkers = workers;
    }

    /// <summary>The most runs at once.</summary>
    public int MaxWorkers { get; }

    /// <inheritdoc />
    public void Launch(IReadOnlyList<Action> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0) return;
        var next = -1;
        var workers = Math.Min(MaxWorkers, jobs.Count);
        var threads = new Thread[workers];
        Exception? unexpected = null;
        for (var w = 0; w < workers; w++)
        {
            threads[w] = new Thread(() =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < jobs.Count)
                {
                    try { jobs[i](); }
                    catch (Exception ex) { Interlocked.CompareExchange(ref unexpected, ex, null); }
                }
            })
            {
                IsBackground = true,
                Name = $"rlexp-worker-{w}",
            };
            threads[w].Start();
        }
        foreach (var t in threads)
            t.Join();
        if (unexpected is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(unexpected);
    }

    /// <inheritdoc />
    public override string ToString() => $"ParallelLauncher(MaxWorkers = {MaxWorkers})";
}
