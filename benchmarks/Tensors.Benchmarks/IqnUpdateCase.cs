using BenchmarkDotNet.Attributes;
using RlExperiments.Agents.Networks;
using RlExperiments.Core;
using RlExperiments.Tensors.Nn;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Tensors.Benchmarks;

/// <summary>
/// One IQN gradient step on CartPole-sized networks, the update of <c>IqnAgent.Update</c> on a fixed batch (no replay
/// sampling), paired with <c>benchmarks/iqn_torch_reference.py</c>: preprocess 4-64-64 ReLU, 64 cosines, a linear head to
/// 2 actions, batch 64, N = N′ = 8 fractions; the online network picks a* on s′ (8 fractions), the target network gives
/// the target quantiles, quantile Huber loss (κ = 1, Tianshou's reduction), Adam(1e-3), no clipping.
/// </summary>
public sealed class IqnUpdateCase
{
    private const int Batch = 64, N = 8, Actions = 2, Obs = 4;
    private readonly Rng _rng = new(0);
    private readonly ImplicitQuantileNetwork _z, _zTarget;
    private readonly Adam _opt;
    private readonly Tensor _s, _s2, _rew, _done;
    private readonly float[] _actions = new float[Batch];
    private readonly float[] _q = new float[Batch * Actions];
    private readonly int[] _next = new int[Batch];

    public IqnUpdateCase()
    {
        _z = Create();
        _zTarget = Create();
        _zTarget.CopyFrom(_z);
        _opt = new Adam(_z.Parameters(), 1e-3);
        _s = Tensor.Randn([Batch, Obs], _rng);
        _s2 = Tensor.Randn([Batch, Obs], _rng);
        _rew = Tensor.Randn([Batch], _rng);
        _done = Tensor.Zeros([Batch]);
        for (var i = 0; i < Batch; i++) _actions[i] = _rng.NextInt(Actions);
    }

    private ImplicitQuantileNetwork Create() =>
        new(new Sequential(Mlp.HiddenLayers(Obs, [64, 64], Activation.ReLU, _rng, out var f)), f, Actions, [], Activation.ReLU, 64, 200, _rng);

    private Tensor Taus(int n)
    {
        var t = Tensor.Empty([Batch, n]);
        var d = t.Data;
        for (var i = 0; i < d.Length; i++) d[i] = _rng.NextFloat();
        return t;
    }

    public void Update()
    {
        using var scope = Tensor.Scope();
        Tensor y;
        using (Tensor.NoGrad())
        {
            ImplicitQuantileNetwork.MeanOverQuantiles(_z.Quantiles(_s2, Taus(N)).Data, Batch, N, Actions, _q);
            for (var r = 0; r < Batch; r++) _next[r] = _q[r * Actions + 1] > _q[r * Actions] ? 1 : 0;
            var zNext = _zTarget.Quantiles(_s2, Taus(N)).Data;
            y = Tensor.Empty([Batch, N]);
            var yd = y.Data;
            for (var r = 0; r < Batch; r++)
                for (var j = 0; j < N; j++)
                    yd[r * N + j] = _rew.Data[r] + 0.99f * (1f - _done.Data[r]) * zNext[(r * N + j) * Actions + _next[r]];
        }
        var taus = Taus(N);
        var rows = Tensor.Empty([Batch * N, 1]);
        for (var r = 0; r < Batch; r++) rows.Data.Slice(r * N, N).Fill(_actions[r]);
        var z = _z.Quantiles(_s, taus).Gather(1, rows).Reshape([Batch, N]);
        var loss = Functional.QuantileHuberLoss(z, taus, y);
        _opt.ZeroGrad();
        loss.Backward();
        _opt.Step();
    }

    public static IEnumerable<QuickCase> QuickCases()
    {
        var c = new IqnUpdateCase();
        yield return new QuickCase("iqn_update", c.Update, Threads: 1);
    }
}

/// <summary>BenchmarkDotNet view of <see cref="IqnUpdateCase"/> (MemoryDiagnoser reports bytes per update).</summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class IqnUpdateBenchmarks
{
    private readonly IqnUpdateCase _case = new();

    [Benchmark] public void iqn_update() => _case.Update();
}
