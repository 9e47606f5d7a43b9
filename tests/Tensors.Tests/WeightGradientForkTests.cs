using FluentAssertions;
using RlExperiments.Core;
using RlExperiments.Testing;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Tensors.Tests;

/// <summary>
/// A large layer's weight gradient computed on a worker while the backward pass goes on (<see cref="WeightGradientFork"/>)
/// must leave every gradient as one thread computes it, bit for bit, be complete when Backward returns, wait for itself
/// before anything else adds to the same gradient, and allocate nothing.
/// </summary>
[Collection(nameof(WorkerPoolCollection))]
public sealed class WeightGradientForkTests
{
    [Fact]
    public void A_deep_256_wide_backward_gives_the_same_bits_with_its_weight_gradients_on_a_worker()
    {
        var (oneThread, _) = Gradients(threads: 1, sharedWeight: false);
        var (twoThreads, forked) = Gradients(threads: 2, sharedWeight: false);

        forked.Should().BeGreaterThan(0, "the hidden layers' weight gradients ran on a worker");
        twoThreads.Should().HaveCount(oneThread.Count);
        for (int i = 0; i < oneThread.Count; i++)
        {
            FirstBitDifference(oneThread[i], twoThreads[i]).Should().Be(-1, $"gradient {i} is the same on one and two threads");
        }
    }

    [Fact]
    public void A_weight_used_twice_gets_both_contributions_when_one_of_them_is_forked()
    {
        // The outer use's weight gradient is forked; the inner use (its input needs no gradient) adds to the same
        // gradient inline, which must wait for the fork first.
        var (oneThread, _) = Gradients(threads: 1, sharedWeight: true);
        var (twoThreads, forked) = Gradients(threads: 2, sharedWeight: true);

        forked.Should().BeGreaterThan(0);
        for (int i = 0; i < oneThread.Count; i++)
        {
            FirstBitDifference(oneThread[i], twoThreads[i]).Should().Be(-1, $"gradient {i} holds both uses, as on one thread");
        }
    }

    [Fact]
    public void With_one_thread_nothing_is_forked()
    {
        var (_, forked) = Gradients(threads: 1, sharedWeight: false);
        forked.Should().Be(0);
    }

    [Fact]
    public void Backward_passes_with_forked_weight_gradients_allocate_nothing_in_steady_state()
    {
        GemmThreadsOverride.WithThreads(2, () =>
        {
            var rng = new Rng(3);
            var net = new Mlp(8, [256, 256, 256], 2, Activation.ReLU, rng);
            var x = Tensor.Randn([256, 8], rng);
            var target = Tensor.Randn([256, 2], rng);
            var parameters = net.Parameters().ToArray();
            void Step()
            {
                using var scope = Tensor.Scope();
                foreach (var p in parameters) p.ZeroGrad();
                Functional.MseLoss(net.Forward(x), target).Backward();
            }

            for (int i = 0; i < 5; i++) Step();
            long forkedBefore = Interlocked.Read(ref WeightGradientFork.Forked);
            SteadyStateAllocation.LeastBytes(() =>
            {
                for (int i = 0; i < 10; i++) Step();
            }).Should().Be(0);
            Interlocked.Read(ref WeightGradientFork.Forked).Should().BeGreaterThan(forkedBefore, "the rounds measured took the fork path");
        });
    }

    // Gradients of every parameter (and of the input) after one backward pass of a 256-wide ReLU network, batch 256, and
    // how many weight gradients ran on a worker. With sharedWeight: y = L₂(relu(L(relu(L(L₀(x)))))), L used twice
    // with the inner use's input not requiring gradient (x ↦ L₀(x) is detached); otherwise an 8-256-256-256-2 MLP.
    private static (List<float[]> Gradients, long Forked) Gradients(int threads, bool sharedWeight)
    {
        List<float[]> result = [];
        long forked = 0;
        GemmThreadsOverride.WithThreads(threads, () =>
        {
            for (int attempt = 0; attempt < 20; attempt++)
            {
                long before = Interlocked.Read(ref WeightGradientFork.Forked);
                result = sharedWeight ? SharedWeightGradients() : MlpGradients();
                forked = Interlocked.Read(ref WeightGradientFork.Forked) - before;
                if (threads == 1 || forked > 0) return;
                Thread.Sleep(20); // another test held the workers: the products ran inline; try again
            }
        });
        return (result, forked);
    }

    private static List<float[]> MlpGradients()
    {
        var rng = new Rng(11);
        var net = new Mlp(8, [256, 256, 256], 2, Activation.ReLU, rng);
        var x = Tensor.Randn([256, 8], rng, requiresGrad: true);
        var target = Tensor.Randn([256, 2], rng);
        using var scope = Tensor.Scope();
        Functional.MseLoss(net.Forward(x), target).Backward();
        return [.. net.Parameters().Select(p => p.Grad!.ToArray()), x.Grad!.ToArray()];
    }

    private static List<float[]> SharedWeightGradients()
    {
        var rng = new Rng(12);
        var first = new Linear(8, 256, rng);
        var shared = new Linear(256, 256, rng);
        var head = new Linear(256, 2, rng);
        var x = Tensor.Randn([256, 8], rng);
        var target = Tensor.Randn([256, 2], rng);
        using var scope = Tensor.Scope();
        var inner = shared.Forward(first.Forward(x).Detach()).Relu();
        var outer = shared.Forward(inner).Relu();
        Functional.MseLoss(head.Forward(outer), target).Backward();
        return [.. shared.Parameters().Concat(head.Parameters()).Select(p => p.Grad!.ToArray())];
    }

    private static int FirstBitDifference(float[] x, float[] y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(x[i]) != BitConverter.SingleToInt32Bits(y[i])) return i;
        }

        return -1;
    }
}
