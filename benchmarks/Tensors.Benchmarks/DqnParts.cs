using RlExperiments.Core;
using RlExperiments.Tensors.Nn;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Tensors.Benchmarks;

/// <summary>
/// The dqn_update case of <see cref="UpdateCases"/> cut into its parts (target, forward + loss, backward, clipping,
/// Adam), to see where the time goes. Quick cases <c>part_*</c>; no PyTorch counterpart.
/// </summary>
public sealed class DqnParts
{
    private readonly Rng _rng = new(0);
    private readonly Mlp _q, _qTarget;
    private readonly Adam _qOpt;
    private readonly Tensor _s, _s2, _act, _rew, _done;

    public DqnParts()
    {
        _q = new Mlp(4, [64, 64], 2, Activation.ReLU, _rng);
        _qTarget = new Mlp(4, [64, 64], 2, Activation.ReLU, _rng);
        _qOpt = new Adam(_q.Parameters(), 2.5e-4);
        _s = Tensor.Randn([128, 4], _rng);
        _s2 = Tensor.Randn([128, 4], _rng);
        _act = Tensor.From(Enumerable.Range(0, 128).Select(_ => (float)_rng.NextInt(2)).ToArray());
        _rew = Tensor.Randn([128], _rng);
        _done = Tensor.Zeros([128]);
        using var scope = Tensor.Scope();
        var loss = Functional.SmoothL1Loss(_q.Forward(_s).Gather(1, _act), _rew);
        loss.Backward();
    }

    public void Target()
    {
        using var scope = Tensor.Scope();
        using (Tensor.NoGrad()) { var t = _rew + 0.99f * (1f - _done) * _qTarget.Forward(_s2).Max(1).Values; }
    }

    public void TargetForwardOnly()
    {
        using var scope = Tensor.Scope();
        using (Tensor.NoGrad()) { var t = _qTarget.Forward(_s2); }
    }

    public void ForwardLoss()
    {
        using var scope = Tensor.Scope();
        var loss = Functional.SmoothL1Loss(_q.Forward(_s).Gather(1, _act), _rew);
    }

    public void ForwardLossBackward()
    {
        using var scope = Tensor.Scope();
        var loss = Functional.SmoothL1Loss(_q.Forward(_s).Gather(1, _act), _rew);
        _qOpt.ZeroGrad();
        loss.Backward();
    }

    private readonly Tensor _h1 = Tensor.Randn([128, 64], new Rng(3));
    private (Linear L1, Linear L2, Linear L3) _layers;

    private (Linear L1, Linear L2, Linear L3) Layers()
    {
        if (_layers.L1 is null)
        {
            var l = _qTarget.LinearLayers.ToArray();
            _layers = (l[0], l[1], l[2]);
        }
        return _layers;
    }

    public void Layer1()
    {
        using var scope = Tensor.Scope();
        using var _ = Tensor.NoGrad();
        var (l1, _, _) = Layers();
        Tensor.Linear(_s2, l1.Weight, l1.Bias, Activation.ReLU);
    }

    public void Layer2()
    {
        using var scope = Tensor.Scope();
        using var _ = Tensor.NoGrad();
        var (_, l2, _) = Layers();
        Tensor.Linear(_h1, l2.Weight, l2.Bias, Activation.ReLU);
    }

    public void Layer2NoAct()
    {
        using var scope = Tensor.Scope();
        using var _ = Tensor.NoGrad();
        var (_, l2, _) = Layers();
        Tensor.Linear(_h1, l2.Weight, l2.Bias);
    }

    public void Layer3()
    {
        using var scope = Tensor.Scope();
        using var _ = Tensor.NoGrad();
        var (_, _, l3) = Layers();
        Tensor.Linear(_h1, l3.Weight, l3.Bias);
    }

    public void Clip() => GradClip.ClipGradNorm(_qOpt.Parameters, 10.0);

    public void Step() => _qOpt.Step();

    // The same parameter count in one tensor: what a flat parameter buffer per module would give Adam and clipping.
    private readonly Tensor[] _flat = [MakeFlat()];
    private Adam? _flatAdam;

    private static Tensor MakeFlat()
    {
        var t = Tensor.Randn([4 * 64 + 64 + 64 * 64 + 64 + 64 * 2 + 2], new Rng(9), requiresGrad: true);
        t.Grad = Tensor.Randn(t.Shape, new Rng(10));
        return t;
    }

    public void StepFlat() => (_flatAdam ??= new Adam(_flat, 2.5e-4)).Step();

    public void ClipFlat() => GradClip.ClipGradNorm(_flat, 10.0);

    public static IEnumerable<QuickCase> QuickCases()
    {
        var p = new DqnParts();
        yield return new QuickCase("part_target", p.Target);
        yield return new QuickCase("part_target_fwd", p.TargetForwardOnly);
        yield return new QuickCase("part_fwd_loss", p.ForwardLoss);
        yield return new QuickCase("part_fwd_loss_bwd", p.ForwardLossBackward);
        yield return new QuickCase("part_clip", p.Clip);
        yield return new QuickCase("part_clip_flat", p.ClipFlat);
        yield return new QuickCase("part_adam_flat", p.StepFlat);
        yield return new QuickCase("part_layer1", p.Layer1);
        yield return new QuickCase("part_layer2", p.Layer2);
        yield return new QuickCase("part_layer2_noact", p.Layer2NoAct);
        yield return new QuickCase("part_layer3", p.Layer3);
        yield return new QuickCase("part_adam", p.Step);
    }
}
