using FluentAssertions;
using RlExperiments.Core;
using RlExperiments.Tensors.Kernels;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Tensors.Tests;

/// <summary>
/// <see cref="TensorParallel.Run"/> computes independent parts on the calling thread and the engine's workers: the parts
/// must really run at once when two threads are allowed, give the same bits as one thread (and as one graph through
/// the sum of the parts' losses), report a part's exception on the caller, keep nested work on the part's thread, and
/// allocate nothing in steady state.
/// </summary>
[Collection(nameof(WorkerPoolCollection))]
public sealed class TensorParallelTests
{
    /// <summary>Two networks trained on one loss each: the parts of the SAC/TD3 critics' update.</summary>
    private sealed class TwoNetworks : IParallelWork
    {
        public readonly Mlp[] Nets;
        public readonly Tensor X, Y;
        public readonly long[] PartAllocations = new long[2];

        public TwoNetworks(int seed)
        {
            var rng = new Rng((ulong)seed);
            Nets = [new Mlp(5, [256, 256], 1, Activation.ReLU, rng), new Mlp(5, [256, 256], 1, Activation.ReLU, rng)];
            X = Tensor.Randn([256, 5], rng);
            Y = Tensor.Randn([256, 1], rng);
        }

        public void Run(int part)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            using (Tensor.Scope())
            {
                (0.5f * Functional.MseLoss(Nets[part].Forward(X), Y)).Backward();
            }

            PartAllocations[part] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        public float[] Gradients() => Nets.SelectMany(n => n.Parameters()).SelectMany(p => p.Grad!.ToArray()).ToArray();

        public void ZeroGrad()
        {
            foreach (var p in Nets.SelectMany(n => n.Parameters())) p.Grad = null;
        }
    }

    [Fact]
    public void Parts_run_on_two_threads_at_once()
    {
        var work = new RendezvousWork();
        GemmThreading.OverrideForThisThread(2, GemmThreading.DefaultMinMultiplyAdds);
        try
        {
            TensorParallel.Run(work, 2);
        }
        finally
        {
            GemmThreading.ClearOverride();
        }

        // Part 0 waits until part 1 has started: on one thread that would have timed out.
        work.Met.Should().BeTrue("part 1 must start while part 0 is still running");
        work.Threads[0].Should().NotBe(work.Threads[1]);
    }

    [Fact]
    public void Two_threads_give_the_bits_of_one_thread_and_of_one_graph_through_the_sum()
    {
        var work = new TwoNetworks(3);

        // One graph: ½ (MSE₁ + MSE₂), one backward.
        using (Tensor.Scope())
        {
            (0.5f * (Functional.MseLoss(work.Nets[0].Forward(work.X), work.Y) + Functional.MseLoss(work.Nets[1].Forward(work.X), work.Y))).Backward();
        }

        var oneGraph = work.Gradients();
        foreach (int threads in new[] { 1, 2 })
        {
            work.ZeroGrad();
            GemmThreading.OverrideForThisThread(threads, GemmThreading.DefaultMinMultiplyAdds);
            try
            {
                TensorParallel.Run(work, 2);
            }
            finally
            {
                GemmThreading.ClearOverride();
            }

            work.Gradients().Should().Equal(oneGraph, $"{threads} thread(s) must give the bits of the single graph");
        }
    }

    [Fact]
    public void A_parts_exception_reaches_the_caller_after_every_part_ended_and_the_workers_keep_working()
    {
        var work = new ThrowingWork();
        GemmThreading.OverrideForThisThread(2, GemmThreading.DefaultMinMultiplyAdds);
        try
        {
            FluentActions.Invoking(() => TensorParallel.Run(work, 3)).Should().Throw<InvalidOperationException>().WithMessage("part 1 failed");
            work.Finished.Should().Be(2, "parts 0 and 2 still run to the end");

            // The same on one thread (the path taken when the workers are busy with another call).
            var alone = new ThrowingWork();
            GemmThreading.OverrideForThisThread(1, GemmThreading.DefaultMinMultiplyAdds);
            FluentActions.Invoking(() => TensorParallel.Run(alone, 3)).Should().Throw<InvalidOperationException>().WithMessage("part 1 failed");
            alone.Finished.Should().Be(2, "one thread runs every part too");
            GemmThreading.OverrideForThisThread(2, GemmThreading.DefaultMinMultiplyAdds);

            var ok = new TwoNetworks(4);
            FluentActions.Invoking(() => TensorParallel.Run(ok, 2)).Should().NotThrow();
        }
        finally
        {
            GemmThreading.ClearOverride();
        }
    }

    [Fact]
    public void Work_nested_in_a_part_stays_on_the_parts_thread()
    {
        var work = new NestedWork();
        GemmThreading.OverrideForThisThread(2, 0);
        try
        {
            TensorParallel.Run(work, 2);
        }
        finally
        {
            GemmThreading.ClearOverride();
        }

        // A product inside a part must not be split onto the workers the parts occupy (on the caller, which holds the
        // workers, that would overwrite the running job): it is computed on the part's thread, with the same bits.
        var expected = new float[256 * 256];
        Gemm.Multiply(false, false, 256, 256, 256, work.A, work.B, expected, accumulate: false);
        work.C[0].Should().Equal(expected);
        work.C[1].Should().Equal(expected);
        work.NestedThreads.Should().OnlyContain(t => t.Inner == t.Outer, "nested parts run on the thread of the part that started them");
    }

    [Fact]
    public void Steady_state_calls_allocate_nothing_on_any_thread()
    {
        var work = new TwoNetworks(5);
        GemmThreading.OverrideForThisThread(2, GemmThreading.DefaultMinMultiplyAdds);
        try
        {
            for (int i = 0; i < 5; i++)
            {
                work.ZeroGrad();
                TensorParallel.Run(work, 2);
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 5; i++)
            {
                TensorParallel.Run(work, 2);
            }

            (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0, "the calling thread");
            work.PartAllocations.Should().OnlyContain(bytes => bytes == 0, "each part, on whichever thread ran it");
        }
        finally
        {
            GemmThreading.ClearOverride();
        }
    }

    [Fact]
    public void Parts_must_be_positive() =>
        FluentActions.Invoking(() => TensorParallel.Run(new TwoNetworks(6), 0)).Should().Throw<ArgumentOutOfRangeException>();

    private sealed class RendezvousWork : IParallelWork
    {
        private volatile bool _started1;
        public readonly int[] Threads = new int[2];
        public bool Met;

        public void Run(int part)
        {
            Threads[part] = Environment.CurrentManagedThreadId;
            if (part == 1)
            {
                _started1 = true;
                return;
            }

            Met = SpinWait.SpinUntil(() => _started1, TimeSpan.FromSeconds(10));
        }
    }

    private sealed class ThrowingWork : IParallelWork
    {
        public int Finished;

        public void Run(int part)
        {
            if (part == 1) throw new InvalidOperationException("part 1 failed");
            Thread.Sleep(20);
            Interlocked.Increment(ref Finished);
        }
    }

    private sealed class NestedWork : IParallelWork
    {
        public readonly float[] A = Enumerable.Range(0, 256 * 256).Select(i => (float)Math.Sin(i)).ToArray();
        public readonly float[] B = Enumerable.Range(0, 256 * 256).Select(i => (float)Math.Cos(0.7 * i)).ToArray();
        public readonly float[][] C = [new float[256 * 256], new float[256 * 256]];
        public readonly List<(int Outer, int Inner)> NestedThreads = [];

        public void Run(int part)
        {
            Gemm.Multiply(false, false, 256, 256, 256, A, B, C[part], accumulate: false);
            int outer = Environment.CurrentManagedThreadId;
            TensorParallel.Run(new Inner(this, outer), 2);
        }

        private sealed class Inner(NestedWork owner, int outer) : IParallelWork
        {
            public void Run(int part)
            {
                lock (owner.NestedThreads) owner.NestedThreads.Add((outer, Environment.CurrentManagedThreadId));
            }
        }
    }
}
