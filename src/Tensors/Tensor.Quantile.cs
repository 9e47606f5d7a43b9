namespace RlExperiments.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// <c>out[r·k + i, c] = a[r, c] · b[r·k + i, c]</c> for a [R, C] and b [R·k, C] (see <see cref="Functional.RepeatMul"/>).
    /// </summary>
    internal static Tensor RepeatMul(Tensor a, Tensor b)
    {
        if (a._rank != 2 || b._rank != 2 || a._dims[1] != b._dims[1] || a._dims[0] == 0 || b._dims[0] % a._dims[0] != 0)
            throw new ArgumentException(
                $"RepeatMul: a must be [R, C] and b [R·k, C] with the same C; got {a.ShapeString} and {b.ShapeString}.");
        int rows = a._dims[0], cols = a._dims[1], k = b._dims[0] / rows;
        var y = b.EmptyLike();
        var x = a.Data;
        var e = b.Data;
        var d = y.Data;
        for (var r = 0; r < rows; r++)
        {
            var ar = x.Slice(r * cols, cols);
            for (var i = 0; i < k; i++)
            {
                var at = (r * k + i) * cols;
                System.Numerics.Tensors.TensorPrimitives.Multiply(ar, e.Slice(at, cols), d.Slice(at, cols));
            }
        }
        if (ShouldRecord(a, b))
        {
            y.Record(OpKind.RepeatMul, a, b);
            y._i0 = k;
        }
        return y;
    }

    private void RepeatMulBackward(Tensor a, Tensor b, ReadOnlySpan<float> g)
    {
        int rows = a._dims[0], cols = a._dims[1], k = _i0;
        var x = a.Data;
        var e = b.Data;
        var da = a.RequiresGrad ? GradForAccumulate(a) : default;
        var db = b.RequiresGrad ? GradForAccumulate(b) : default;
        for (var r = 0; r < rows; r++)
        {
            var ar = x.Slice(r * cols, cols);
            for (var i = 0; i < k; i++)
            {
                var at = (r * k + i) * cols;
                var gr = g.Slice(at, cols);
                // ∂L/∂a[r] += Σᵢ g[r·k+i] ⊙ b[r·k+i];  ∂L/∂b[r·k+i] += g[r·k+i] ⊙ a[r]
                if (!da.IsEmpty) System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(gr, e.Slice(at, cols), da.Slice(r * cols, cols), da.Slice(r * cols, cols));
                if (!db.IsEmpty) System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(gr, ar, db.Slice(at, cols), db.Slice(at, cols));
            }
        }
    }

    /// <summary>The quantile Huber loss (see <see cref="Functional.QuantileHuberLoss"/>).</summary>
    internal static Tensor QuantileHuberLoss(Tensor quantiles, Tensor taus, Tensor targets, float kappa, Reduction reduction)
    {
        if (quantiles._rank != 2)
            throw new ArgumentException($"QuantileHuberLoss: quantiles must be [batch, N]; got {quantiles.ShapeString}.", nameof(quantiles));
        int rows = quantiles._dims[0], n = quantiles._dims[1];
        if (!taus.Shape.SequenceEqual(quantiles.Shape))
            throw new ArgumentException($"QuantileHuberLoss: taus {taus.ShapeString} must have the quantiles' shape {quantiles.ShapeString}.", nameof(taus));
        if (targets._rank != 2 || targets._dims[0] != rows)
            throw new ArgumentException($"QuantileHuberLoss: targets must be [{rows}, N']; got {targets.ShapeString}.", nameof(targets));
        if (reduction == Reduction.Sum)
            throw new ArgumentException("QuantileHuberLoss: reduction must be Mean or None.", nameof(reduction));
        var m = targets._dims[1];
        var z = quantiles.Data;
        var t = taus.Data;
        var yv = targets.Data;
        var y = reduction == Reduction.None ? TensorPool.Rent([rows]) : TensorPool.Rent([]);
        var d = y.Data;
        var total = 0.0;
        for (var r = 0; r < rows; r++)
        {
            var rowSum = 0.0;
            for (var i = 0; i < n; i++)
            {
                var zi = z[r * n + i];
                var ti = t[r * n + i];
                for (var j = 0; j < m; j++)
                {
                    var u = yv[r * m + j] - zi;
                    rowSum += MathF.Abs(ti - (u <= 0f ? 1f : 0f)) * LossValue(OpKind.HuberLoss, u, kappa, out _);
                }
            }
            var row = rowSum / n;
            if (reduction == Reduction.None) d[r] = (float)row;
            total += row;
        }
        if (reduction == Reduction.Mean) d[0] = (float)(total / rows);
        if (ShouldRecord(quantiles, targets))
        {
            y.Record(OpKind.QuantileHuberLoss, quantiles, targets, taus);
            y._s0 = kappa;
            y._i0 = (int)reduction;
        }
        return y;
    }

    private void QuantileHuberLossBackward(Tensor quantiles, Tensor targets, Tensor taus, ReadOnlySpan<float> g)
    {
        int rows = quantiles._dims[0], n = quantiles._dims[1], m = targets._dims[1];
        var perRow = (Reduction)_i0 == Reduction.None;
        var z = quantiles.Data;
        var t = taus.Data;
        var yv = targets.Data;
        var dz = quantiles.RequiresGrad ? GradForAccumulate(quantiles) : default;
        var dy = targets.RequiresGrad ? GradForAccumulate(targets) : default;
        for (var r = 0; r < rows; r++)
        {
            // ∂/∂u of |τᵢ − 1{u ≤ 0}|·H_κ(u) is the weight times H_κ'(u) (the indicator is piecewise constant);
            // u = y − z, so ∂/∂z = −that and ∂/∂y = +that; each row's pairs are averaged over N (and rows over the batch).
            var scale = (perRow ? g[r] : g[0] / rows) / n;
            for (var i = 0; i < n; i++)
            {
                var zi = z[r * n + i];
                var ti = t[r * n + i];
                var gz = 0f;
                for (var j = 0; j < m; j++)
                {
                    var u = yv[r * m + j] - zi;
                    LossValue(OpKind.HuberLoss, u, _s0, out var deriv);
                    var gu = scale * MathF.Abs(ti - (u <= 0f ? 1f : 0f)) * deriv;
                    gz -= gu;
                    if (!dy.IsEmpty) dy[r * m + j] += gu;
                }
                if (!dz.IsEmpty) dz[r * n + i] += gz;
            }
        }
    }
}
