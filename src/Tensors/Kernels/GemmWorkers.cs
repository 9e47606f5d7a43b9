using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace RlExperiments.Tensors.Kernels;

/// <summary>
/// Persistent worker threads that split a large <see cref="Gemm"/> product into column slices, or row slices for
/// <c>A^T·op(B)</c> (see <see cref="GemmThreading"/>). Nothing is allocated per call: the job lives in static fields, workers claim
/// slices by compare-and-swap on one counter (the calling thread claims slices too, so a worker that is slow to
/// wake on a busy machine only takes fewer of them), and the caller waits for the count of finished slices.
/// </summary>
/// <remarks>
/// One product runs on the workers at a time; a thread that finds them busy computes its product alone (same bits).
/// Workers spin for <see cref="SpinTicks"/> after a job, so back-to-back products (a training step) find them awake,
/// then block on an event until the next job.
/// </remarks>
internal static unsafe class GemmWorkers
{
    /// <summary>
    /// Slices per participating thread. One: every slice repacks the part of A it needs (A^T is packed per slice), so
    /// finer slices cost more than they balance; a worker that starts late simply leaves its slice to the caller.
    /// </summary>
    private const int SlicesPerThread = 1;

    /// <summary>How long an idle worker spins before it blocks (about 50 µs).</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 20_000;

    private static readonly Lock Gate = new();
    private static Worker[] s_workers = [];

    // The job (written by the caller under Gate before s_claim publishes it).
    private static GemmPath s_path;
    private static bool s_transA, s_transB, s_accumulate;
    private static int s_m, s_n, s_k, s_lda, s_ldb, s_ldc, s_panelCols, s_panels, s_slices;
    private static float* s_a, s_b, s_c, s_bias;
    private static bool s_relu, s_byRows;
    private static ExceptionDispatchInfo? s_error;

    /// <summary>High 32 bits: job generation; low 32 bits: next unclaimed slice.</summary>
    private static long s_claim;

    /// <summary>Slices of the current job finished.</summary>
    private static int s_done;

    /// <summary>Products computed on several threads since start-up (tests check that the split path ran).</summary>
    internal static long SplitProducts;

    /// <summary>Slices computed by worker threads (not the caller) since start-up: shows whether workers got a core.</summary>
    internal static long WorkerSlices;

    /// <summary>
    /// Computes the product on several threads when it is large enough and splittable; returns false (having done
    /// nothing) when the caller should compute it alone.
    /// </summary>
    public static bool TryRun(GemmPath path, bool transA, bool transB, int m, int n, int k,
        float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate, float* bias, bool relu)
    {
        int threads = GemmThreading.ThreadCount;
        if (threads < 2 || (long)m * n * k < GemmThreading.MinMultiplyAdds || !Gemm.IsColumnSplittable(path, transA, transB, m, n))
        {
            return false;
        }

        // Column slices, except for A^T·op(B): there every column slice would pack all of A^T again (measured: 256³ A^T·B
        // gained nothing from a second core split by columns), while row slices pack disjoint parts of it.
        bool byRows = transA;
        int panelCols = Gemm.PanelColumns(path);
        int panels = byRows ? (m + Gemm.MR - 1) / Gemm.MR : (n + panelCols - 1) / panelCols;
        if (panels < 2 || !Gate.TryEnter())
        {
            return false;
        }

        try
        {
            Worker[] workers = EnsureWorkers(threads - 1);
            int slices = Math.Min(panels, threads * SlicesPerThread);
            (s_path, s_transA, s_transB, s_accumulate) = (path, transA, transB, accumulate);
            (s_m, s_n, s_k, s_lda, s_ldb, s_ldc) = (m, n, k, lda, ldb, ldc);
            s_a = a;
            s_b = b;
            s_c = c;
            s_bias = bias;
            s_relu = relu;
            (s_panelCols, s_panels, s_slices) = (panelCols, panels, slices);
            s_byRows = byRows;
            s_error = null;
            Volatile.Write(ref s_done, 0);
            long generation = (Volatile.Read(ref s_claim) >> 32) + 1;
            Interlocked.Exchange(ref s_claim, generation << 32); // full fence: the job is visible before it is claimable
            for (int i = 0; i < threads - 1; i++)
            {
                workers[i].Wake();
            }

            RunSlices(generation);
            var spin = new SpinWait();
            while (Volatile.Read(ref s_done) < slices)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }

            SplitProducts++;
            s_error?.Throw();
            return true;
        }
        finally
        {
            Gate.Exit();
        }
    }

    /// <summary>Claims and computes slices of job <paramref name="generation"/> until none is left; returns how many it computed.</summary>
    private static int RunSlices(long generation)
    {
        int computed = 0;
        while (true)
        {
            long claim = Volatile.Read(ref s_claim);
            if (claim >> 32 != generation)
            {
                return computed;
            }

            int slice = (int)(claim & 0xFFFF_FFFF);
            if (slice >= Volatile.Read(ref s_slices))
            {
                return computed;
            }

            if (Interlocked.CompareExchange(ref s_claim, claim + 1, claim) != claim)
            {
                continue;
            }

            // The claim succeeded, so the job cannot change before this slice is counted as done.
            try
            {
                // Slice boundaries are whole register-tile panels (columns) or slivers (rows).
                int unit = s_byRows ? Gemm.MR : s_panelCols;
                int first = (int)((long)slice * s_panels / s_slices) * unit;
                int end = Math.Min(s_byRows ? s_m : s_n, (int)((long)(slice + 1) * s_panels / s_slices) * unit);
                if (s_byRows)
                {
                    Gemm.MultiplyRows(s_path, s_transA, s_transB, s_n, s_k, s_a, s_lda, s_b, s_ldb, s_c, s_ldc, s_accumulate,
                        s_bias, s_relu, first, end - first);
                }
                else
                {
                    Gemm.MultiplyColumns(s_path, s_transA, s_transB, s_m, s_k, s_a, s_lda, s_b, s_ldb, s_c, s_ldc, s_accumulate,
                        s_bias, s_relu, first, end - first);
                }
            }
            catch (Exception e)
            {
                s_error ??= ExceptionDispatchInfo.Capture(e);
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

    /// <summary>One persistent background thread: waits for a new job generation, then claims slices of it.</summary>
    private sealed class Worker
    {
        private readonly ManualResetEventSlim _wake = new(false, spinCount: 1);
        private int _sleeping;

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"rlx-gemm-{index}" };
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
                Interlocked.Add(ref WorkerSlices, RunSlices(generation));
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
