using BenchmarkDotNet.Attributes;
using RlExperiments.Core;
using RlExperiments.Tensors.Distributions;
using RlExperiments.Tensors.Nn;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Tensors.Benchmarks;

/// <summary>
/// The four training-step cases of benchmarks/tensors_torch_reference.py, written the way the agents write
/// them (one <see cref="Tensor.Scope"/> per step, so steady state allocates nothing). Shapes, losses,
/// clipping and optimiser settings match the Python script line by line.
/// </summary>
public sealed class UpdateCases
{
    private readonly Rng _rng = new(0);

    // mlp_update: 4-64-64-2 tanh MLP, batch 128, MSE, Adam(3e-4).
    private readonly Mlp _mlp;
    private readonly Adam _mlpOpt;
    private readonly Tensor _x, _y;

    // dqn_update: 4-64-64-2 ReLU online and target nets, batch 128, Huber, Adam(2.5e-4), clip 10.
    private readonly Mlp _q, _qTarget;
    private readonly Adam _qOpt;
    private readonly Tensor _s, _s2, _act, _rew, _done;

    // ppo_minibatch: actor 4-64-64-2 and critic 4-64-64-1 (tanh), batch 64, Adam(2.5e-4, eps 1e-5), clip 0.5.
    private readonly Mlp _actor, _critic;
    private readonly Adam _ppoOpt;
    private readonly Tensor[] _ppoParams;
    private readonly Tensor _obs, _acts, _oldLogp, _adv, _ret, _oldV;

    // sac_update: obs 3, act 1, hidden 256 ReLU, batch 256: twin critics, tanh-Gaussian actor, auto alpha.
    private const int ObsDim = 3, ActDim = 1, Hidden = 256, SacBatch = 256;
    private readonly Mlp _pi, _q1, _q2, _q1t, _q2t;
    private readonly Tensor _logAlpha;
    private readonly Adam _piOpt, _qOpt2, _alphaOpt;
    private readonly Tensor _so, _sa, _sr, _s2o, _sd;

    public UpdateCases()
    {
        _mlp = new Mlp(4, [64, 64], 2, Activation.Tanh, _rng);
        _mlpOpt = new Adam(_mlp.Parameters(), 3e-4);
        _x = Tensor.Randn([128, 4], _rng);
        _y = Tensor.Randn([128, 2], _rng);

        _q = new Mlp(4, [64, 64], 2, Activation.ReLU, _rng);
        _qTarget = new Mlp(4, [64, 64], 2, Activation.ReLU, _rng);
        _qTarget.CopyFrom(_q);
        _qOpt = new Adam(_q.Parameters(), 2.5e-4);
        _s = Tensor.Randn([128, 4], _rng);
        _s2 = Tensor.Randn([128, 4], _rng);
        _act = Tensor.From(Enumerable.Range(0, 128).Select(_ => (float)_rng.NextInt(2)).ToArray());
        _rew = Tensor.Randn([128], _rng);
        _done = Tensor.Zeros([128]);

        _actor = new Mlp(4, [64, 64], 2, Activation.Tanh, _rng);
        _critic = new Mlp(4, [64, 64], 1, Activation.Tanh, _rng);
        _ppoParams = [.. _actor.Parameters(), .. _critic.Parameters()];
        _ppoOpt = new Adam(_ppoParams, 2.5e-4, eps: 1e-5);
        _obs = Tensor.Randn([64, 4], _rng);
        _acts = Tensor.From(Enumerable.Range(0, 64).Select(_ => (float)_rng.NextInt(2)).ToArray());
        _oldLogp = Tensor.Full([64], -0.69f);
        _adv = Tensor.Randn([64], _rng);
        _ret = Tensor.Randn([64], _rng);
        _oldV = Tensor.Randn([64], _rng);

        _pi = new Mlp(ObsDim, [Hidden, Hidden], 2 * ActDim, Activation.ReLU, _rng);
        _q1 = new Mlp(ObsDim + ActDim, [Hidden, Hidden], 1, Activation.ReLU, _rng);
        _q2 = new Mlp(ObsDim + ActDim, [Hidden, Hidden], 1, Activation.ReLU, _rng);
        _q1t = new Mlp(ObsDim + ActDim, [Hidden, Hidden], 1, Activation.ReLU, _rng);
        _q2t = new Mlp(ObsDim + ActDim, [Hidden, Hidden], 1, Activation.ReLU, _rng);
        _q1t.CopyFrom(_q1);
        _q2t.CopyFrom(_q2);
        _logAlpha = Tensor.Zeros([1], requiresGrad: true);
        _piOpt = new Adam(_pi.Parameters(), 3e-4);
        _qOpt2 = new Adam([.. _q1.Parameters(), .. _q2.Parameters()], 3e-4);
        _alphaOpt = new Adam([_logAlpha], 3e-4);
        _so = Tensor.Randn([SacBatch, ObsDim], _rng);
        _sa = Tensor.Rand([SacBatch, ActDim], _rng, -1f, 1f);
        _sr = Tensor.Randn([SacBatch, 1], _rng);
        _s2o = Tensor.Randn([SacBatch, ObsDim], _rng);
        _sd = Tensor.Zeros([SacBatch, 1]);
    }

    public void MlpUpdate()
    {
        using var scope = Tensor.Scope();
        var loss = Functional.MseLoss(_mlp.Forward(_x), _y);
        _mlpOpt.ZeroGrad();
        loss.Backward();
        _mlpOpt.Step();
    }

    public void DqnUpdate()
    {
        using var scope = Tensor.Scope();
        Tensor target;
        using (Tensor.NoGrad())
            target = _rew + 0.99f * (1f - _done) * _qTarget.Forward(_s2).Max(1).Values;
        var qsa = _q.Forward(_s).Gather(1, _act);
        var loss = Functional.SmoothL1Loss(qsa, target);
        _qOpt.ZeroGrad();
        loss.Backward();
        GradClip.ClipGradNorm(_qOpt.Parameters, 10.0);
        _qOpt.Step();
    }

    /// <summary>
    /// dqn_update through the fused DQN ops (<see cref="Functional.QTarget(Tensor, float, Tensor, Tensor, Tensor?)"/>,
    /// <see cref="Functional.GatherHuberLoss"/>): the same values and gradients, bit for bit, with fewer tensors.
    /// </summary>
    public void DqnUpdateFused()
    {
        using var scope = Tensor.Scope();
        Tensor target;
        using (Tensor.NoGrad())
            target = Functional.QTarget(_rew, 0.99f, _done, _qTarget.Forward(_s2));
        var loss = Functional.GatherHuberLoss(_q.Forward(_s), _act, target);
        _qOpt.ZeroGrad();
        loss.Backward();
        GradClip.ClipGradNorm(_qOpt.Parameters, 10.0);
        _qOpt.Step();
    }

    public void PpoMinibatch()
    {
        using var scope = Tensor.Scope();
        var dist = new Categorical(_actor.Forward(_obs));
        var logp = dist.LogProb(_acts);
        var ratio = (logp - _oldLogp).Exp();
        var advMean = _adv.Mean();
        var advStd = ((_adv - advMean).Pow(2f).Sum() / (_adv.Count - 1)).Sqrt(); // unbiased, as torch.std
        var a = (_adv - advMean) / (advStd + 1e-8f);
        var pg = (-a * ratio).Maximum(-a * ratio.Clamp(0.8f, 1.2f)).Mean();
        var v = _critic.Forward(_obs).Squeeze(1);
        var vClip = _oldV + (v - _oldV).Clamp(-0.2f, 0.2f);
        var vl = 0.5f * (v - _ret).Pow(2f).Maximum((vClip - _ret).Pow(2f)).Mean();
        var loss = pg + 0.5f * vl - 0.01f * dist.Entropy().Mean();
        _ppoOpt.ZeroGrad();
        loss.Backward();
        GradClip.ClipGradNorm(_ppoParams, 0.5);
        _ppoOpt.Step();
    }

    private (Tensor Action, Tensor LogProb) SampleAction(Tensor o)
    {
        var h = _pi.Forward(o);
        var mu = h.Narrow(0, ActDim);
        var logStd = h.Narrow(ActDim, ActDim).Clamp(-20f, 2f);
        var (action, logProb) = new TanhNormal(mu, logStd).RSampleWithLogProb(_rng);
        return (action, logProb.Unsqueeze(1));
    }

    public void SacUpdate()
    {
        using var scope = Tensor.Scope();
        var alpha = MathF.Exp(_logAlpha.Data[0]);
        Tensor y;
        using (Tensor.NoGrad())
        {
            var (a2, lp2) = SampleAction(_s2o);
            var x2 = Tensor.Cat(_s2o, a2);
            y = _sr + 0.99f * (1f - _sd) * (_q1t.Forward(x2).Minimum(_q2t.Forward(x2)) - alpha * lp2);
        }
        var x = Tensor.Cat(_so, _sa);
        var ql = Functional.MseLoss(_q1.Forward(x), y) + Functional.MseLoss(_q2.Forward(x), y);
        _qOpt2.ZeroGrad();
        ql.Backward();
        _qOpt2.Step();

        // Actor loss: the critics are frozen, so backward computes only the gradient flowing through
        // them to the action, not their weight gradients (which the next critic step would discard).
        _q1.SetRequiresGrad(false);
        _q2.SetRequiresGrad(false);
        var (a, lp) = SampleAction(_so);
        var xa = Tensor.Cat(_so, a);
        var pl = (alpha * lp - _q1.Forward(xa).Minimum(_q2.Forward(xa))).Mean();
        _piOpt.ZeroGrad();
        pl.Backward();
        _piOpt.Step();
        _q1.SetRequiresGrad(true);
        _q2.SetRequiresGrad(true);

        var al = -(_logAlpha * (lp.Detach() - (float)ActDim)).Mean();
        _alphaOpt.ZeroGrad();
        al.Backward();
        _alphaOpt.Step();

        _q1t.SoftUpdate(_q1, 0.005f);
        _q2t.SoftUpdate(_q2, 0.005f);
    }

    /// <summary>The quick-harness cases, named as in benchmarks/tensors_torch_reference.py.</summary>
    public static IEnumerable<QuickCase> QuickCases()
    {
        var cases = new UpdateCases();
        yield return new QuickCase("mlp_update", cases.MlpUpdate);
        yield return new QuickCase("dqn_update", cases.DqnUpdate);
        yield return new QuickCase("dqn_update_fused", cases.DqnUpdateFused);
        yield return new QuickCase("ppo_minibatch", cases.PpoMinibatch);
        yield return new QuickCase("sac_update", cases.SacUpdate, Warmup: 20, Reps: 50);
    }
}

/// <summary>BenchmarkDotNet view of the same four training steps (MemoryDiagnoser reports bytes per op).</summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class UpdateBenchmarks
{
    private readonly UpdateCases _cases = new();

    [Benchmark] public void mlp_update() => _cases.MlpUpdate();
    [Benchmark] public void dqn_update() => _cases.DqnUpdate();
    [Benchmark] public void ppo_minibatch() => _cases.PpoMinibatch();
    [Benchmark] public void sac_update() => _cases.SacUpdate();
}
