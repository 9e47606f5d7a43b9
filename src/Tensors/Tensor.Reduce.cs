using System.Numerics.Tensors;

namespace RlExperiments.Tensors;

public sealed partial class Tensor
{
    /// <summary>The sum of all elements, as a rank-0 tensor.</summary>
    public Tensor Sum() => SumAll(1f);

    /// <summary>The mean of all elements, as a rank-0 tensor.</summary>
    public Tensor Mean()
    {
        if (_count == 0)
            throw new InvalidOperationException("Mean of an empty tensor is undefined.");
        return SumAll(1f / _count);
    }

    /// <summary>The sum over dimension <paramref name="dim"/>, keeping it as size 1 when <paramref name="keepDim"/>.</summary>
    public Tensor Sum(int dim, bool keepDim = false) => SumDim(dim, keepDim, mean: false);

    /// <summary>The mean over dimension <paramref name="dim"/>, keeping it as size 1 when <paramref name="keepDim"/>.</summary>
    public Tensor Mean(int dim, bool keepDim = false) => SumDim(dim, keepDim, mean: true);

    /// <summary>
    /// The maximum over dimension <paramref name="dim"/> and where it is (first index on ties). The
    /// gradient flows to the maximal element only; the indices tensor holds integer values and carries no gradient.
    /// </summary>
    public (Tensor Values, Tensor Indices) Max(int dim, bool keepDim = false)
    {
        var d = NormalizeDim(dim);
        var (outer, n, inner) = Split3(d);
        if (n == 0)
            throw new InvalidOperationException($"Max over an empty dimension {dim} of shape {ShapeString}.");
        var values = TensorPool.Rent(ReducedShape(d, keepDim, stackalloc int[4]));
        var indices = TensorPool.Rent(values.Shape);
        var x = Data;
        var v = values.Data;
        var ix = indices.Data;
        for (var o = 0; o < outer; o++)
        for (var i = 0; i < inner; i++)
        {
            var best = 0;
            var bestValue = x[o * n * inner + i];
            for (var j = 1; j < n; j++)
            {
                var candidate = x[(o * n + j) * inner + i];
                if (candidate > bestValue || (float.IsNaN(candidate) && !float.IsNaN(bestValue)))
                {
                    bestValue = candidate;
                    best = j;
                }
            }
            v[o * inner + i] = bestValue;
            ix[o * inner + i] = best;
        }
        if (ShouldRecord(this))
        {
            values.Record(OpKind.MaxDim, this);
            values._saved = indices;
            values._i0 = d;
        }
        return (values, indices);
    }

    /// <summary>The index of the maximum over dimension <paramref name="dim"/>, as integer-valued floats.</summary>
    public Tensor Argmax(int dim = -1, bool keepDim = false)
    {
        using (NoGrad())
            return Max(dim, keepDim).Indices;
    }

    private Tensor SumAll(float scale)
    {
        var y = TensorPool.Rent([]);
        y.Data[0] = scale * TensorPrimitives.Sum(Data);
        if (ShouldRecord(this))
        {
            y.Record(OpKind.Sum, this);
            y._s0 = scale;
        }
        return y;
    }

    private Tensor SumDim(int dim, bool keepDim, bool mean)
    {
        var d = NormalizeDim(dim);
        var (outer, n, inner) = Split3(d);
        var y = TensorPool.Rent(ReducedShape(d, keepDim, stackalloc int[4]));
        var scale = mean ? 1f / n : 1f;
        var x = Data;
        var o2 = y.Data;
        if (inner == 1)
        {
            for (var o = 0; o < outer; o++)
                o2[o] = scale * TensorPrimitives.Sum(x.Slice(o * n, n));
        }
        else
        {
            o2.Clear();
            for (var o = 0; o < outer; o++)
            {
                var dst = o2.Slice(o * inner, inner);
                for (var j = 0; j < n; j++)
                    TensorPrimitives.Add(dst, x.Slice((o * n + j) * inner, inner), dst);
                if (scale != 1f) TensorPrimitives.Multiply(dst, scale, dst);
            }
        }
        if (ShouldRecord(this))
        {
            y.Record(OpKind.SumDim, this);
            y._s0 = scale;
            y._i0 = d;
        }
        return y;
    }

    /// <summary>Splits the shape around <paramref name="d"/> into (product before, size of d, product after).</summary>
    internal (int Outer, int N, int Inner) Split3(int d)
    {
        int outer = 1, inner = 1;
        for (var i = 0; i < d; i++) outer *= _dims[i];
        for (var i = d + 1; i < _rank; i++) inner *= _dims[i];
        return (outer, _dims[d], inner);
    }

    private ReadOnlySpan<int> ReducedShape(int d, bool keepDim, Span<int> buffer)
    {
        var k = 0;
        for (var i = 0; i < _rank; i++)
        {
            if (i == d)
            {
                if (keepDim) buffer[k++] = 1;
            }
            else buffer[k++] = _dims[i];
        }
        return buffer[..k];
    }
}
