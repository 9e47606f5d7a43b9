namespace RlExperiments.Tensors.Kernels;

/// <summary>
/// Splits a large <see cref="Gemm"/> product into column slices, or row slices for <c>A^T·op(B)</c> (see
/// <see cref="GemmThreading"/>), computed by the calling thread and the engine's persistent workers
/// (<see cref="WorkerPool"/>). Nothing is allocated per call: each calling thread fills a job object of its own.
/// </summary>
/// <remarks>
/// One job runs on the workers at a time; a thread that finds them busy, or that is computing a part of a
/// <see cref="TensorParallel.Run"/>, computes its product alone (same bits).
/// </remarks>
internal static unsafe class GemmWorkers
{
    /// <summary>
    /// Slices per participating thread. One: every slice repacks the part of A it needs (A^T is packed per slice), so
    /// finer slices cost more than they balance; a worker that starts late simply leaves its slice to the caller.
    /// </summary>
    private const int SlicesPerThread = 1;

    [ThreadStatic] private static SliceJob? t_job;

    /// <summary>Products computed on several threads since start-up (tests check that the split path ran).</summary>
    internal static long SplitProducts;

    /// <summary>Items (slices, parallel parts) computed by worker threads since start-up: shows whether workers got a core.</summary>
    internal static long WorkerSlices => Volatile.Read(ref WorkerPool.WorkerItems);

    /// <summary>
    /// Computes the product on several threads when it is large enough and splittable; returns false (having done
    /// nothing) when the caller should compute it alone.
    /// </summary>
    public static bool TryRun(GemmPath path, bool transA, bool transB, int m, int n, int k,
        float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate, float* bias, bool relu)
    {
        int threads = GemmThreading.ThreadCount;
        if (threads < 2 || WorkerPool.InItem || (long)m * n * k < GemmThreading.MinMultiplyAdds || !Gemm.IsColumnSplittable(path, transA, transB, m, n))
        {
            return false;
        }

        // Column slices, except for A^T·op(B): there every column slice would pack all of A^T again (measured: 256³ A^T·B
        // gained nothing from a second core split by columns), while row slices pack disjoint parts of it.
        bool byRows = transA;
        int panelCols = Gemm.PanelColumns(path);
        int panels = byRows ? (m + Gemm.MR - 1) / Gemm.MR : (n + panelCols - 1) / panelCols;
        if (panels < 2)
        {
            return false;
        }

        SliceJob job = t_job ??= new SliceJob();
        job.Path = path;
        (job.TransA, job.TransB, job.Accumulate) = (transA, transB, accumulate);
        (job.M, job.N, job.K, job.Lda, job.Ldb, job.Ldc) = (m, n, k, lda, ldb, ldc);
        job.A = a;
        job.B = b;
        job.C = c;
        job.Bias = bias;
        job.Relu = relu;
        (job.Unit, job.Panels, job.Slices, job.ByRows) = (byRows ? Gemm.MR : panelCols, panels, Math.Min(panels, threads * SlicesPerThread), byRows);
        if (!WorkerPool.TryRun(job, job.Slices, threads))
        {
            return false;
        }

        SplitProducts++;
        return true;
    }

    /// <summary>One split product: slice <c>s</c> is a run of whole register-tile panels (columns) or slivers (rows).</summary>
    private sealed class SliceJob : IParallelWork
    {
        public GemmPath Path;
        public bool TransA, TransB, Accumulate, Relu, ByRows;
        public int M, N, K, Lda, Ldb, Ldc, Unit, Panels, Slices;
        public float* A, B, C, Bias;

        public void Run(int slice)
        {
            int first = (int)((long)slice * Panels / Slices) * Unit;
            int end = Math.Min(ByRows ? M : N, (int)((long)(slice + 1) * Panels / Slices) * Unit);
            if (ByRows)
            {
                Gemm.MultiplyRows(Path, TransA, TransB, N, K, A, Lda, B, Ldb, C, Ldc, Accumulate, Bias, Relu, first, end - first);
            }
            else
            {
                Gemm.MultiplyColumns(Path, TransA, TransB, M, K, A, Lda, B, Ldb, C, Ldc, Accumulate, Bias, Relu, first, end - first);
            }
        }
    }
}
