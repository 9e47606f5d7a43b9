using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace RlExperiments.Tensors.Kernels;

/// <summary>
/// The engine's persistent worker threads. A job is a number of independent items (the slices of one large matrix
/// product, see <see cref="GemmWorkers"/>, or the parts of a <see cref="TensorParallel.Run"/>): the calling thread and
/// the workers claim items by compare-and-swap on one counter, so a worker that is slow to wake on a busy machine only
/// takes fewer of them, and the caller waits for the count of finished items. Nothing is allocated per job.
/// </summary>
/// <remarks>
/// One job runs at a time; a caller that finds the workers busy, or that is itself computing an item, gets false and
/// does the work alone (same bits). Workers spin for <see cref="SpinTicks"/> after a job, so back-to-back jobs (a
/// training step) find them awake, then block on an event until the next job.
/// </remarks>
internal static class WorkerPool
{
    /// <summary>How long an idle worker spins before it blocks (about 50 µs).</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 20_000;

    private static readonly Lock Gate = new();
    private static Worker[] s_workers = [];

    // The job (written by the caller under Gate before s_claim publishes it).
    private static IParallelWork? s_work;
    private static int s_items;
    private static ExceptionDispatchInfo? s_error;

    /// <summary>High 32 bits: job generation; low 32 bits: next unclaimed item.</summary>
    private static long s_claim;

    /// <summary>Items of the current job finished.</summary>
    private static int s_done;

    /// <summary>True while this thread computes an item: work nested in it stays on this thread.</summary>
    [ThreadStatic] private static bool t_inItem;

    // True on a thread between a successful TryFork and its Join: it holds Gate (a reentrant lock), so it must not
    // publish another job until then.
    [ThreadStatic] private static bool t_forked;

    /// <summary>Items computed by worker threads (not the caller) since start-up: shows whether workers got a core.</summary>
    internal static long WorkerItems;

    /// <summary>Whether the calling thread is computing an item of a job (nested work must then not be split).</summary>
    public static bool InItem => t_inItem;

    /// <summary>
    /// Computes items <c>0 … <paramref name="items"/> − 1</c> of <paramref name="work"/> on the calling thread and up to
    /// <paramref name="threads"/> − 1 workers; returns false, having done nothing, when the caller should do it alone
    /// (fewer than two threads or items, the workers busy with another job, or called from inside an item).
    /// </summary>
    public static bool TryRun(IParallelWork work, int items, int threads)
    {
        if (t_inItem || t_forked || threads < 2 || items < 2 || !Gate.TryEnter())
        {
            return false;
        }

        try
        {
            long generation = Publish(work, items, threads);
            RunItems(generation);
            WaitForItems(items);
            s_work = null;
            s_error?.Throw();
            return true;
        }
        finally
        {
            Gate.Exit();
        }
    }

    /// <summary>
    /// Publishes <paramref name="work"/>'s one item to the workers and returns at once, holding the pool until
    /// <see cref="Join"/>; false (nothing published) when called from inside an item, with one thread, with a fork
    /// already pending on this thread, or while the workers are busy with another caller's job.
    /// </summary>
    public static bool TryFork(IParallelWork work, int threads)
    {
        if (t_inItem || t_forked || threads < 2 || !Gate.TryEnter())
        {
            return false;
        }

        Publish(work, 1, threads);
        t_forked = true;
        return true;
    }

    /// <summary>
    /// Ends this thread's pending fork: runs its item here if no worker has claimed it yet, waits for it, releases the
    /// pool, then rethrows the item's exception if it threw.
    /// </summary>
    public static void Join()
    {
        if (!t_forked)
        {
            throw new InvalidOperationException("No fork is pending on this thread.");
        }

        try
        {
            RunItems(Volatile.Read(ref s_claim) >> 32);
            WaitForItems(1);
            s_work = null;
            s_error?.Throw();
        }
        finally
        {
            t_forked = false;
            Gate.Exit();
        }
    }

    // Makes a job claimable and wakes the workers; the caller holds Gate.
    private static long Publish(IParallelWork work, int items, int threads)
    {
        Worker[] workers = EnsureWorkers(threads - 1);
        s_work = work;
        s_items = items;
        s_error = null;
        Volatile.Write(ref s_done, 0);
        long generation = (Volatile.Read(ref s_claim) >> 32) + 1;
        Interlocked.Exchange(ref s_claim, generation << 32); // full fence: the job is visible before it is claimable
        for (int i = 0; i < threads - 1; i++)
        {
            workers[i].Wake();
        }

        return generation;
    }

    private static void WaitForItems(int items)
    {
        var spin = new SpinWait();
        while (Volatile.Read(ref s_done) < items)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>Claims and computes items of job <paramref name="generation"/> until none is left; returns how many it computed.</summary>
    private static int RunItems(long generation)
    {
        int computed = 0;
        while (true)
        {
            long claim = Volatile.Read(ref s_claim);
            if (claim >> 32 != generation)
            {
                return computed;
            }

            int item = (int)(claim & 0xFFFF_FFFF);
            if (item >= Volatile.Read(ref s_items))
            {
                return computed;
            }

            if (Interlocked.CompareExchange(ref s_claim, claim + 1, claim) != claim)
            {
                continue;
            }

            // The claim succeeded, so the job cannot change before this item is counted as done.
            t_inItem = true;
            try
            {
                s_work!.Run(item);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref s_error, ExceptionDispatchInfo.Capture(e), null);
            }
            finally
            {
                t_inItem = false;
            }

            computed++;
            Interlocked.Increment(ref s_done);
        }
    }

    private static Worker[] EnsureWorkers(int count)
    {
        Worker[] workers = s_workers;
        if (workers.Length >= count)
        {
            return workers;
        }

        var grown = new Worker[count];
        Array.Copy(workers, grown, workers.Length);
        for (int i = workers.Length; i < count; i++)
        {
            grown[i] = new Worker(i + 1);
        }

        s_workers = grown;
        return grown;
    }

    /// <summary>One persistent background thread: waits for a new job generation, then claims items of it.</summary>
    private sealed class Worker
    {
        private readonly ManualResetEventSlim _wake = new(false, spinCount: 1);
        private int _sleeping;

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"rlx-worker-{index}" };
            thread.Start();
        }

        /// <summary>Wakes the thread if it is blocked (a spinning thread sees the new generation by itself).</summary>
        public void Wake()
        {
            if (Interlocked.Exchange(ref _sleeping, 0) == 1)
            {
                _wake.Set();
            }
        }

        private void Loop()
        {
            long seen = Volatile.Read(ref s_claim) >> 32;
            while (true)
            {
                long generation = WaitForJob(seen);
                seen = generation;
                Interlocked.Add(ref WorkerItems, RunItems(generation));
            }
        }

        private long WaitForJob(long seen)
        {
            long spinUntil = Stopwatch.GetTimestamp() + SpinTicks;
            while (true)
            {
                long generation = Volatile.Read(ref s_claim) >> 32;
                if (generation != seen)
                {
                    return generation;
                }

                if (Stopwatch.GetTimestamp() < spinUntil)
                {
                    Thread.SpinWait(20);
                    continue;
                }

                // Dekker handshake with Wake(): both sides use full fences, so either the caller sees _sleeping = 1
                // and sets the event, or this thread sees the new generation before blocking.
                _wake.Reset();
                Interlocked.Exchange(ref _sleeping, 1);
                if (Volatile.Read(ref s_claim) >> 32 != seen)
                {
                    Interlocked.Exchange(ref _sleeping, 0);
                    continue;
                }

                _wake.Wait();
                spinUntil = Stopwatch.GetTimestamp() + SpinTicks;
            }
        }
    }
}
