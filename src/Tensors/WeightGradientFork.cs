using RlExperiments.Tensors.Kernels;

namespace RlExperiments.Tensors;

/// <summary>
/// The weight gradient of a large linear layer, <c>dW = gᵀ·x</c> (and the bias gradient), computed on a worker while the
/// backward pass goes on along the input gradient on the calling thread: the next layers' backward steps need only
/// <c>dx</c>, so the two products of a layer's backward step run whole, side by side, instead of each split across the
/// cores with a join after each. The fork is joined before anything else writes those gradients (a weight used twice in
/// one graph), before another layer's fork starts, and when <see cref="Tensor.Backward"/> ends, so every gradient is
/// complete when Backward returns, with the same bits as on one thread.
/// </summary>
/// <remarks>
/// Only products of at least <see cref="GemmThreading.MinMultiplyAdds"/> fork (SAC's and TD3's 256-wide actors; DQN's
/// and PPO's 64-wide layers stay inline), and only when a worker is free and the backward pass is not itself a part of
/// a parallel job (the critics' passes). One instance per thread, reused: nothing is allocated per fork.
/// </remarks>
internal sealed class WeightGradientFork : IParallelWork
{
    [ThreadStatic] private static WeightGradientFork? t_instance;

    /// <summary>Weight gradients computed on a worker since start-up (tests check that the fork path ran).</summary>
    internal static long Forked;

    // The layer's backward node (its gradient g), its input x, weight and bias; null when nothing is pending.
    private Tensor? _node, _x, _weight, _bias;
    private bool _accumulateWeight, _accumulateBias;
    private int _forkingThread;

    /// <summary>
    /// Hands <c>dW += gᵀ·x</c> (and <c>db += Σ g</c>) of <paramref name="node"/>'s layer to a worker; false, with nothing
    /// done, when the product is small, only one thread is configured, or no worker is free (then the caller computes
    /// the gradients inline as usual).
    /// </summary>
    public static bool TryStart(Tensor node, Tensor x, Tensor weight, Tensor? bias)
    {
        int outF = weight.Shape[0], inF = weight.Shape[1], batch = x.Rows;
        int threads = GemmThreading.ThreadCount;
        if (threads < 2 || WorkerPool.InItem || (long)outF * inF * batch < GemmThreading.MinMultiplyAdds)
        {
            return false;
        }

        var fork = t_instance ??= new WeightGradientFork();
        fork.JoinIfPending();
        Tensor.GradForWrite(weight, out var freshWeight);
        var withBias = bias is not null && bias.RequiresGrad;
        var freshBias = false;
        if (withBias)
        {
            Tensor.GradForWrite(bias!, out freshBias);
        }

        (fork._node, fork._x, fork._weight, fork._bias) = (node, x, weight, withBias ? bias : null);
        (fork._accumulateWeight, fork._accumulateBias) = (!freshWeight, !freshBias);
        fork._forkingThread = Environment.CurrentManagedThreadId;
        if (WorkerPool.TryFork(fork, threads))
        {
            return true;
        }

        // No worker is free: compute here, now (the product may still split if the workers free up).
        try
        {
            fork.Run(0);
        }
        finally
        {
            fork.Clear();
        }

        return true;
    }

    /// <summary>Waits for this thread's pending fork, if any (the end of a backward pass).</summary>
    public static void JoinPending() => t_instance?.JoinIfPending();

    /// <summary>Waits for this thread's pending fork if it writes <paramref name="tensor"/>'s gradient.</summary>
    public static void JoinIfWrites(Tensor tensor)
    {
        var fork = t_instance;
        if (fork?._node is not null && (ReferenceEquals(tensor, fork._weight) || ReferenceEquals(tensor, fork._bias)))
        {
            fork.JoinIfPending();
        }
    }

    private void JoinIfPending()
    {
        if (_node is null)
        {
            return;
        }

        try
        {
            WorkerPool.Join();
        }
        finally
        {
            Clear();
        }
    }

    private void Clear() => (_node, _x, _weight, _bias) = (null, null, null, null);

    /// <inheritdoc />
    public void Run(int part)
    {
        if (Environment.CurrentManagedThreadId != _forkingThread)
        {
            Interlocked.Increment(ref Forked);
        }

        var weight = _weight!;
        int outF = weight.Shape[0], inF = weight.Shape[1], batch = _x!.Rows;
        var g = _node!.Grad!.Data;
        Gemm.Multiply(true, false, outF, inF, batch, g, _x.Data, weight.Grad!.Data, accumulate: _accumulateWeight);
        if (_bias is not null)
        {
            VectorMath.ColumnSums(g, batch, outF, _bias.Grad!.Data, accumulate: _accumulateBias);
        }
    }
}
