using RlExperiments.Tensors.Kernels;

namespace RlExperiments.Tensors;

/// <summary>
/// Runs the independent parts of a piece of tensor work at once, one per core: the calling thread and the engine's
/// persistent worker threads, at most <see cref="GemmThreading.ThreadCount"/> threads in all. Meant for coarse parts
/// such as the two critics of SAC or TD3, each a whole forward and backward pass: each part's weights and activations
/// stay in one core's caches, where splitting every matrix product across cores moves its operands and results between
/// cores. Matrix products inside a part stay on the thread that runs it.
/// </summary>
/// <remarks>
/// Results are the same bits whatever the thread count: each part runs the same operations on the same inputs, and
/// nothing is combined across parts here. With one thread, while the workers are busy with another call, or when called
/// from inside a part, the parts run one after another on the calling thread, in order. Nothing is allocated per call
/// once the workers exist. An exception thrown by a part is rethrown on the calling thread after every part has ended.
/// </remarks>
public static class TensorParallel
{
    /// <summary>Computes parts <c>0 … <paramref name="parts"/> − 1</c> of <paramref name="work"/>, in parallel where threads allow.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parts"/> is not positive.</exception>
    public static void Run(IParallelWork work, int parts)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parts);
        if (WorkerPool.TryRun(work, parts, GemmThreading.ThreadCount))
        {
            return;
        }

        // One after another on this thread, with the same contract: every part runs, the first exception is rethrown.
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? error = null;
        for (int part = 0; part < parts; part++)
        {
            try
            {
                work.Run(part);
            }
            catch (Exception e)
            {
                error ??= System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
            }
        }

        error?.Throw();
    }

    /// <summary>
    /// Starts <paramref name="work"/>'s one part (part 0) on an idle worker and returns at once, so the calling thread
    /// can compute something else meanwhile (SAC's actor on the batch's states while a worker computes it on the next
    /// states); <see cref="ParallelFork.Join"/> then waits for the part. Where no worker is free (one thread, the
    /// workers busy, called from inside a part, or a fork already pending on this thread) the part runs at
    /// <see cref="ParallelFork.Join"/>, on the calling thread: the same bits either way.
    /// </summary>
    /// <remarks>
    /// Until the join, the calling thread's own matrix products are not split (the workers are reserved for the fork),
    /// and the part must not read anything the calling thread writes. Join in a <c>finally</c>: the workers serve no
    /// other call while a fork is pending.
    /// </remarks>
    public static ParallelFork Fork(IParallelWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return new ParallelFork(work, WorkerPool.TryFork(work, GemmThreading.ThreadCount));
    }
}
