using FluentAssertions;
using RlExperiments.Core;
using RlExperiments.Tensors.Nn;
using RlExperiments.Tensors.Optim;
using RlExperiments.Testing;

namespace RlExperiments.Tensors.Tests.Optim;

/// <summary>
/// Adam's step and <see cref="Module.SoftUpdate"/> split their weights into one share per core when there are enough
/// (SAC's 256-wide networks): the result must be the same bits on one and on two threads, with a tensor split in the
/// middle, a parameter without a gradient left alone, and nothing allocated in steady state.
/// </summary>
public sealed class ParallelElementwiseStepTests
{
    // 1027 + 70,001 + 1 + 4,096 weights: two shares split the 70,001 in the middle; the third has no gradient.
    private static readonly int[] Lengths = [1027, 70_001, 1, 4096];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Adam_gives_the_same_bits_on_one_and_two_threads(bool decoupled)
    {
        var one = AdamRun(threads: 1, decoupled);
        var two = AdamRun(threads: 2, decoupled);
        for (int i = 0; i < Lengths.Length; i++) two.Weights[i].Should().Equal(one.Weights[i], $"parameter {i}");
        two.Moments.Keys.Should().BeEquivalentTo(one.Moments.Keys);
        foreach (var (name, m) in one.Moments) two.Moments[name].Should().Equal(m, name);
        one.Moments.Keys.Should().NotContain(k => k.EndsWith(".2"), "a parameter without a gradient gets no moments");
        one.Weights[2].Should().Equal([0.5f], "a parameter without a gradient is not stepped");
    }

    [Fact]
    public void Adam_on_two_threads_follows_the_rule_on_both_sides_of_the_split()
    {
        // One step from zero moments moves every weight by −lr·sign(g) (up to ε): an element skipped or stepped twice
        // by a share would show.
        var p = Tensor.From(new float[70_001], requiresGrad: true);
        var g = Enumerable.Range(0, 70_001).Select(i => i % 3 == 0 ? -1f : 2f).ToArray();
        p.Grad = Tensor.From(g);
        GemmThreading.OverrideForThisThread(2, GemmThreading.DefaultMinMultiplyAdds);
        try
        {
            new Adam([p], learningRate: 0.01).Step();
        }
        finally
        {
            GemmThreading.ClearOverride();
        }

        var data = p.ToArray();
        for (int i = 0; i < data.Length; i++) data[i].Should().BeApproximately(-0.01f * MathF.Sign(g[i]), 1e-6f, $"element {i}");
    }

    [Fact]
    public void Soft_update_gives_the_same_bits_on_one_and_two_threads_as_one_lerp_per_tensor()
    {
        var target = Mlp(1);
        var source = Mlp(2);
        var expected = target.Parameters().Select((t, i) =>
        {
            var d = t.ToArray();
            System.Numerics.Tensors.TensorPrimitives.Lerp(d, source.Parameters()[i].ToArray(), 0.005f, d);
            return d;
        }).ToArray();
        var oneTarget = Mlp(1);
        oneTarget.CopyFrom(target);
        GemmThreading.OverrideForThisThread(1, GemmThreading.DefaultMinMultiplyAdds);
        try { oneTarget.SoftUpdate(source, 0.005f); } finally { GemmThreading.ClearOverride(); }
        GemmThreading.OverrideForThisThread(2, GemmThreading.DefaultMinMultiplyAdds);
        try { target.SoftUpdate(source, 0.005f); } finally { GemmThreading.ClearOverride(); }
        for (int i = 0; i < expected.Length; i++)
        {
            target.Parameters()[i].ToArray().Should().Equal(expected[i], $"parameter {i} on two threads");
            oneTarget.Parameters()[i].ToArray().Should().Equal(expected[i], $"parameter {i} on one thread");
        }
    }

    [Fact]
    public void Steady_state_steps_allocate_nothing_on_the_calling_thread()
    {
        var net = Mlp(3);
        var target = Mlp(4);
        foreach (var p in net.Parameters()) p.Grad = Tensor.Full(p.Shape, 0.1f);
        var adam = new Adam(net.Parameters(), 1e-3);
        GemmThreading.OverrideForThisThread(2, GemmThreading.DefaultMinMultiplyAdds);
        try
        {
            for (int i = 0; i < 3; i++) { adam.Step(); target.SoftUpdate(net, 0.01f); }
            SteadyStateAllocation.LeastBytes(() =>
            {
                for (int i = 0; i < 10; i++) { adam.Step(); target.SoftUpdate(net, 0.01f); }
            }).Should().Be(0);
        }
        finally
        {
            GemmThreading.ClearOverride();
        }
    }

    // 67,329 weights: above the parallel threshold, and the share boundary falls inside the 256 × 256 weight.
    private static Mlp Mlp(int seed) => new(3, [256, 256], 1, Activation.ReLU, new Rng((ulong)seed));

    private static (float[][] Weights, Dictionary<string, float[]> Moments) AdamRun(int threads, bool decoupled)
    {
        var ps = Lengths.Select((n, i) => Tensor.From(Enumerable.Range(0, n).Select(j => i == 2 ? 0.5f : MathF.Cos(0.01f * j + i)).ToArray(), requiresGrad: true)).ToArray();
        Optimizer opt = decoupled ? new AdamW(ps, 1e-3) : new Adam(ps, 1e-3, weightDecay: 0.01);
        GemmThreading.OverrideForThisThread(threads, GemmThreading.DefaultMinMultiplyAdds);
        try
        {
            for (int t = 1; t <= 4; t++)
            {
                for (int i = 0; i < ps.Length; i++)
                    ps[i].Grad = i == 2 ? null : Tensor.From(Enumerable.Range(0, Lengths[i]).Select(j => MathF.Sin(0.37f * j + 1.3f * t + i) * 1e-3f * (1 + j % 7)).ToArray());
                opt.Step();
            }
        }
        finally
        {
            GemmThreading.ClearOverride();
        }

        return (ps.Select(p => p.ToArray()).ToArray(), opt.GetState().Buffers.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()));
    }
}
