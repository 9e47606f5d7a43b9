using FluentAssertions;

namespace RlExperiments.Tensors.Tests;

/// <summary>
/// <see cref="TensorParallel.Fork"/> hands one part to an idle worker while the calling thread computes something else:
/// the part must really run beside the caller, run exactly once, run at the join on the caller when no worker is free,
/// keep the caller's own parallel work on the caller until the join, report its exception at the join without
/// blocking the workers for later calls, and allocate nothing.
/// </summary>
[Collection(nameof(WorkerPoolCollection))]
public sealed class TensorParallelForkTests
{
    [Fact]
    public void A_forked_part_runs_on_a_worker_beside_the_caller()
    {
        GemmThreadsOverride.WithThreads(2, () =>
        {
            var work = new BesideWork();
            for (int attempt = 0; attempt < 50; attempt++)
            {
                var fork = TensorParallel.Fork(work);
                if (!fork.OnWorker)
                {
                    work.Signal = true; // another test holds the workers: run the part here without waiting, and try again
                    fork.Join();
                    work.Reset();
                    Thread.Sleep(20);
                    continue;
                }

                // The part waits for this thread's signal: had it run here, at the join, it would wait for nothing.
                SpinWait.SpinUntil(() => work.Started, TimeSpan.FromSeconds(10)).Should().BeTrue("the worker starts the part before the join");
                work.Signal = true;
                fork.Join();
                work.Met.Should().BeTrue();
                work.Runs.Should().Be(1);
                work.Thread.Should().NotBe(Environment.CurrentManagedThreadId);
                return;
            }

            throw new InvalidOperationException("The workers stayed busy for 50 attempts.");
        });
    }

    [Fact]
    public void Without_a_free_worker_the_part_runs_once_at_the_join_on_the_caller()
    {
        GemmThreadsOverride.WithThreads(1, () =>
        {
            var work = new CountingWork();
            var fork = TensorParallel.Fork(work);
            fork.OnWorker.Should().BeFalse();
            work.Runs.Should().Be(0, "nothing runs before the join");
            fork.Join();
            work.Runs.Should().Be(1);
            work.Thread.Should().Be(Environment.CurrentManagedThreadId);
        });
    }

    [Fact]
    public void While_a_fork_is_pending_the_callers_parallel_work_and_a_second_fork_stay_on_the_caller()
    {
        GemmThreadsOverride.WithThreads(2, () =>
        {
            var forked = new CountingWork();
            var parts = new ThreadsWork();
            var second = new CountingWork();
            var fork = TensorParallel.Fork(forked);
            try
            {
                TensorParallel.Run(parts, 2);
                var inner = TensorParallel.Fork(second);
                inner.OnWorker.Should().BeFalse("the workers are reserved for the pending fork");
                inner.Join();
            }
            finally
            {
                fork.Join();
            }

            parts.Threads.Should().OnlyContain(t => t == Environment.CurrentManagedThreadId);
            second.Thread.Should().Be(Environment.CurrentManagedThreadId);
            (forked.Runs, second.Runs).Should().Be((1, 1));
        });
    }

    [Fact]
    public void A_forked_parts_exception_is_rethrown_at_the_join_and_the_workers_serve_later_calls()
    {
        GemmThreadsOverride.WithThreads(2, () =>
        {
            var fork = TensorParallel.Fork(new ThrowingWork());
            FluentActions.Invoking(fork.Join).Should().Throw<InvalidOperationException>().WithMessage("forked part failed");

            var after = new CountingWork();
            var next = TensorParallel.Fork(after);
            next.Join();
            after.Runs.Should().Be(1, "the pool was released by the failed join");
        });
    }

    [Fact]
    public void Steady_state_forks_allocate_nothing_on_the_calling_thread()
    {
        GemmThreadsOverride.WithThreads(2, () =>
        {
            var work = new CountingWork();
            for (int i = 0; i < 5; i++) TensorParallel.Fork(work).Join();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 20; i++) TensorParallel.Fork(work).Join();
            (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
            work.Runs.Should().Be(25);
        });
    }

    private sealed class BesideWork : IParallelWork
    {
        public volatile bool Started, Signal;
        public bool Met;
        public int Runs, Thread;

        public void Run(int part)
        {
            Runs++;
            Thread = Environment.CurrentManagedThreadId;
            Started = true;
            Met = SpinWait.SpinUntil(() => Signal, TimeSpan.FromSeconds(10));
        }

        public void Reset() => (Started, Signal, Met, Runs) = (false, false, false, 0);
    }

    private sealed class CountingWork : IParallelWork
    {
        public int Runs, Thread;

        public void Run(int part)
        {
            Runs++;
            Thread = Environment.CurrentManagedThreadId;
        }
    }

    private sealed class ThreadsWork : IParallelWork
    {
        public readonly int[] Threads = new int[2];

        public void Run(int part) => Threads[part] = Environment.CurrentManagedThreadId;
    }

    private sealed class ThrowingWork : IParallelWork
    {
        public void Run(int part) => throw new InvalidOperationException("forked part failed");
    }
}
