namespace RlExperiments.Tensors;

public sealed partial class Tensor
{
    /// <summary>The per-element loss of (input, target) and its derivative in the input, for the fused losses.</summary>
    private static float LossValue(OpKind op, float d, float delta, out float derivative)
    {
        if (op == OpKind.MseLoss)
        {
            derivative = 2f * d;
            return d * d;
        }
        var ad = MathF.Abs(d);
        if (ad <= delta)
        {
            derivative = d;
            return 0.5f * d * d;
        }
        derivative = d > 0 ? delta : -delta;
        return delta * (ad - 0.5f * delta);
    }

    internal static Tensor PointwiseLoss(OpKind op, Tensor input, Tensor target, float delta, Reduction reduction)
    {
        CheckSameShape(input, target, op == OpKind.MseLoss ? "MseLoss" : "HuberLoss");
        var x = input.Data;
        var t = target.Data;
        Tensor y;
        if (reduction == Reduction.None)
        {
            y = input.EmptyLike();
            var d = y.Data;
            for (var i = 0; i < x.Length; i++) d[i] = LossValue(op, x[i] - t[i], delta, out _);
        }
        else
        {
            y = TensorPool.Rent([]);
            var sum = 0.0;
            for (var i = 0; i < x.Length; i++) sum += LossValue(op, x[i] - t[i], delta, out _);
            y.Data[0] = (float)(reduction == Reduction.Mean ? sum / x.Length : sum);
        }
        if (ShouldRecord(input, target))
        {
            y.Record(op, input, target);
            y._s0 = delta;
            y._i0 = (int)reduction;
        }
        return y;
    }

    private void LossBackward(Tensor input, Tensor target, ReadOnlySpan<float> g)
    {
        var x = input.Data;
        var t = target.Data;
        var reduction = (Reduction)_i0;
        var scale = reduction == Reduction.Mean ? 1f / x.Length : 1f;
        var perElement = reduction == Reduction.None;
        var dx = input.RequiresGrad ? GradForAccumulate(input) : default;
        var dt = target.RequiresGrad ? GradForAccumulate(target) : default;
        for (var i = 0; i < x.Length; i++)
        {
            LossValue(_op, x[i] - t[i], _s0, out var deriv);
            var gi = (perElement ? g[i] : g[0] * scale) * deriv;
            if (!dx.IsEmpty) dx[i] += gi;
            if (!dt.IsEmpty) dt[i] -= gi;
        }
    }
}
