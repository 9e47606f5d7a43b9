using FluentAssertions;

namespace RlExperiments.Tensors.Tests;

/// <summary>
/// A <see cref="TensorArena"/> is a tensor pool that moves between threads: a scope (and the graph recorded in it) opened
/// in an arena on one thread can be back-propagated and closed on another, and the arena's tensors are recycled by the
/// arena, not by either thread's own pool.
/// </summary>
public sealed class TensorArenaTests
{
    [Fact]
    public void A_scope_opened_on_one_thread_is_backpropagated_and_closed_on_another()
    {
        var arena = new TensorArena();
        var w = Tensor.Full([3], 2f, requiresGrad: true);
        TensorScope scope = default;
        Tensor? loss = null;
        var first = new Thread(() =>
        {
            using var active = arena.Activate();
            scope = Tensor.Scope();
            loss = (w * w).Sum();
        });
        first.Start();
        first.Join();

        var second = new Thread(() =>
        {
            using var active = arena.Activate();
            loss!.Backward();
            scope.Dispose();
        });
        second.Start();
        second.Join();

        w.Grad!.ToArray().Should().Equal(4f, 4f, 4f);
    }

    [Fact]
    public void A_graph_built_from_tensors_another_thread_recycled_gets_its_whole_gradient()
    {
        // Each run: a fresh thread builds (w ⊙ w ⊙ w).Sum() in the arena, back-propagates it and closes its scope, so the
        // next run's nodes are the tensor objects the previous thread visited. Backward must not mistake such a node for
        // one it has already visited in this pass (its visit mark must be unique across threads).
        var arena = new TensorArena();
        var w = Tensor.Full([4], 3f, requiresGrad: true);
        for (var run = 0; run < 4; run++)
        {
            w.Grad = null;
            var thread = new Thread(() =>
            {
                using var active = arena.Activate();
                using var scope = Tensor.Scope();
                (w * w * w).Sum().Backward();
            });
            thread.Start();
            thread.Join();
            w.Grad!.ToArray().Should().Equal([27f, 27f, 27f, 27f], $"run {run}: d/dw Σ w³ = 3w² = 27");
        }
    }

    [Fact]
    public void Tensors_of_an_arena_are_recycled_by_the_arena_and_the_threads_pool_is_left_alone()
    {
        var arena = new TensorArena();
        float[][] Storage()
        {
            using var active = arena.Activate();
            using var scope = Tensor.Scope();
            var zeros = Tensor.Zeros([17, 3]);
            return [zeros._data, (zeros + 1f)._data];
        }

        var first = Storage();
        Storage().Should().OnlyContain(d => first.Contains(d), "a second scope in the arena reuses the storage the first returned to it");

        using (Tensor.Scope())
        {
            var own = Tensor.Zeros([17, 3]);
            new[] { own._data, (own + 1f)._data }.Should().NotContain(d => first.Contains(d), "the thread's own pool never held the arena's storage");
        }
    }

    [Fact]
    public void Deactivating_gives_the_thread_its_own_pool_back()
    {
        var outer = Tensor.Scope();
        var arena = new TensorArena();
        using (arena.Activate())
        {
            using var inner = Tensor.Scope();
            _ = Tensor.Zeros([2]) + 1f;
        }

        // The thread's scope (opened before the arena) still closes cleanly: its depth was not touched by the arena's.
        FluentActions.Invoking(() => outer.Dispose()).Should().NotThrow();
    }
}
