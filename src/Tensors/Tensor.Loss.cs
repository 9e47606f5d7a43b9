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

    /// <summary>
    /// The loss of <c>q[i, actions[i]]</c> against <c>target[i]</c> without materialising the gathered column (see
    /// <see cref="Functional.GatherHuberLoss"/>): values and gradients equal <c>q.Gather(1, actions)</c> followed by
    /// the pointwise loss, bit for bit.
    /// </summary>
    internal static Tensor GatheredLoss(OpKind op, Tensor q, Tensor actions, Tensor target, float delta, Reduction reduction)
    {
        var name = op == OpKind.GatherMseLoss ? "GatherMseLoss" : "GatherHuberLoss";
        if (q._rank != 2)
            throw new ArgumentException($"{name}: q must be 2-D [batch, actions]; got {q.ShapeString}.", nameof(q));
        int rows = q._dims[0], cols = q._dims[1];
        if (!IsColumnOf(actions, rows))
            throw new ArgumentException($"{name}: actions {actions.ShapeString} must be [{rows}] or [{rows}, 1] for q {q.ShapeString}.", nameof(actions));
        if (!IsColumnOf(target, rows))
            throw new ArgumentException($"{name}: target {target.ShapeString} must be [{rows}] or [{rows}, 1] for q {q.ShapeString}.", nameof(target));
        var x = q.Data;
        var ix = actions.Data;
        var t = target.Data;
        for (var r = 0; r < rows; r++)
        {
            var j = (int)ix[r];
            if (j < 0 || j >= cols || j != ix[r])
                throw new ArgumentOutOfRangeException(nameof(actions), ix[r], $"{name}: action {ix[r]} at row {r} is not an integer in [0, {cols}).");
        }
        var pointwise = op == OpKind.GatherMseLoss ? OpKind.MseLoss : OpKind.HuberLoss;
        Tensor y;
        if (reduction == Reduction.None)
        {
            y = target.EmptyLike();
            var d = y.Data;
            for (var r = 0; r < rows; r++) d[r] = LossValue(pointwise, x[r * cols + (int)ix[r]] - t[r], delta, out _);
        }
        else
        {
            y = TensorPool.Rent([]);
            var sum = 0.0;
            for (var r = 0; r < rows; r++) sum += LossValue(pointwise, x[r * cols + (int)ix[r]] - t[r], delta, out _);
            y.Data[0] = (float)(reduction == Reduction.Mean ? sum / rows : sum);
        }
        if (ShouldRecord(q, target))
        {
            y.Record(op, q, target, actions);
            y._s0 = delta;
            y._i0 = (int)reduction;
        }
        return y;
    }

    /// <summary>The comparison of <see cref="Max(int, bool)"/>: NaN counts as the largest value, the first maximum wins.</summary>
    private static bool IsGreater(float candidate, float best) => candidate > best || (float.IsNaN(candidate) && !float.IsNaN(best));

    private static bool IsColumnOf(Tensor t, int rows) =>
        (t._rank == 1 && t._dims[0] == rows) || (t._rank == 2 && t._dims[0] == rows && t._dims[1] == 1);

    private void GatheredLossBackward(Tensor q, Tensor target, Tensor actions, ReadOnlySpan<float> g)
    {
        int rows = q._dims[0], cols = q._dims[1];
        var x = q.Data;
        var ix = actions.Data;
        var t = target.Data;
        var reduction = (Reduction)_i0;
        var scale = reduction == Reduction.Mean ? 1f / rows : 1f;
        var perElement = reduction == Reduction.None;
        var pointwise = _op == OpKind.GatherMseLoss ? OpKind.MseLoss : OpKind.HuberLoss;
        var dq = q.RequiresGrad ? GradForAccumulate(q) : default;
        var dt = target.RequiresGrad ? GradForAccumulate(target) : default;
        for (var r = 0; r < rows; r++)
        {
            var at = r * cols + (int)ix[r];
            LossValue(pointwise, x[at] - t[r], _s0, out var deriv);
            var gi = (perElement ? g[r] : g[0] * scale) * deriv;
            if (!dq.IsEmpty) dq[at] += gi;
            if (!dt.IsEmpty) dt[r] -= gi;
        }
    }

    /// <summary>The Q-learning target (see <see cref="Functional.QTarget(Tensor, Tensor, Tensor, Tensor, Tensor?)"/>); discounts null means the scalar gamma.</summary>
    internal static Tensor QTarget(Tensor rewards, Tensor? discounts, float gamma, Tensor dones, Tensor nextQ, Tensor? nextQOnline)
    {
        if (nextQ._rank != 2)
            throw new ArgumentException($"QTarget: nextQ must be 2-D [batch, actions]; got {nextQ.ShapeString}.", nameof(nextQ));
        int rows = nextQ._dims[0], cols = nextQ._dims[1];
        if (!IsColumnOf(rewards, rows))
            throw new ArgumentException($"QTarget: rewards {rewards.ShapeString} must be [{rows}] or [{rows}, 1] for nextQ {nextQ.ShapeString}.", nameof(rewards));
        if (!IsColumnOf(dones, rows))
            throw new ArgumentException($"QTarget: dones {dones.ShapeString} must be [{rows}] or [{rows}, 1] for nextQ {nextQ.ShapeString}.", nameof(dones));
        if (discounts is not null && !IsColumnOf(discounts, rows))
            throw new ArgumentException($"QTarget: discounts {discounts.ShapeString} must be [{rows}] or [{rows}, 1] for nextQ {nextQ.ShapeString}.", nameof(discounts));
        if (nextQOnline is not null && !nextQOnline.Shape.SequenceEqual(nextQ.Shape))
            throw new ArgumentException($"QTarget: nextQOnline {nextQOnline.ShapeString} must have nextQ's shape {nextQ.ShapeString}.", nameof(nextQOnline));
        var y = rewards.EmptyLike();
        var d = y.Data;
        var r = rewards.Data;
        var done = dones.Data;
        var q = nextQ.Data;
        var disc = discounts is null ? default : discounts.Data;
        var select = nextQOnline is null ? default : nextQOnline.Data;
        for (var i = 0; i < rows; i++)
        {
            var row = q.Slice(i * cols, cols);
            float v;
            if (nextQOnline is null)
            {
                v = row[0];
                for (var j = 1; j < cols; j++)
                    if (IsGreater(row[j], v)) v = row[j];
            }
            else
            {
                var online = select.Slice(i * cols, cols);
                var best = 0;
                for (var j = 1; j < cols; j++)
                    if (IsGreater(online[j], online[best])) best = j;
                v = row[best];
            }
            // The operation order of rewards + discounts * (1 - dones) * v, so the result matches the unfused ops bit for bit.
            var g = discounts is null ? gamma : disc[i];
            d[i] = r[i] + g * (1f - done[i]) * v;
        }
        return y;
    }
}
