using System.Numerics.Tensors;
using RlExperiments.Tensors.Kernels;

namespace RlExperiments.Tensors;

public sealed partial class Tensor
{
    /// <summary>Elementwise e^x.</summary>
    public Tensor Exp() => Unary(OpKind.Exp);

    /// <summary>Elementwise natural logarithm.</summary>
    public Tensor Log() => Unary(OpKind.Log);

    /// <summary>Elementwise square root.</summary>
    public Tensor Sqrt() => Unary(OpKind.Sqrt);

    /// <summary>Elementwise hyperbolic tangent.</summary>
    public Tensor Tanh() => Unary(OpKind.Tanh);

    /// <summary>Elementwise logistic sigmoid.</summary>
    public Tensor Sigmoid() => Unary(OpKind.Sigmoid);

    /// <summary>Elementwise max(x, 0).</summary>
    public Tensor Relu() => Unary(OpKind.Relu);

    /// <summary>Elementwise log(1 + e^x), computed stably for large |x|.</summary>
    public Tensor Softplus() => Unary(OpKind.Softplus);

    /// <summary>Elementwise x^<paramref name="exponent"/>.</summary>
    public Tensor Pow(float exponent) => Unary(OpKind.Pow, exponent);

    /// <summary>Elementwise ELU: x for x &gt; 0, alpha·(e^x − 1) otherwise.</summary>
    public Tensor Elu(float alpha = 1f) => Unary(OpKind.Elu, alpha);

    /// <summary>Elementwise clamp to [<paramref name="min"/>, <paramref name="max"/>]; the gradient passes where min ≤ x ≤ max, as in PyTorch.</summary>
    public Tensor Clamp(float min, float max)
    {
        if (min > max)
            throw new ArgumentException($"Clamp: min ({min}) must not exceed max ({max}).");
        return Unary(OpKind.Clamp, min, max);
    }

    /// <summary>Softmax over the last dimension.</summary>
    public Tensor Softmax(int dim = -1) => RowWise(OpKind.Softmax, dim);

    /// <summary>Log-softmax over the last dimension (stable: shifts by the row maximum).</summary>
    public Tensor LogSoftmax(int dim = -1) => RowWise(OpKind.LogSoftmax, dim);

    private Tensor Unary(OpKind op, float p0 = 0f, float p1 = 0f)
    {
        var y = EmptyLike();
        var x = Data;
        var d = y.Data;
        switch (op)
        {
            case OpKind.Exp: TensorPrimitives.Exp(x, d); break;
            case OpKind.Log: TensorPrimitives.Log(x, d); break;
            case OpKind.Sqrt: TensorPrimitives.Sqrt(x, d); break;
            case OpKind.Tanh: VectorMath.Tanh(x, d); break;
            case OpKind.Sigmoid: VectorMath.Sigmoid(x, d); break;
            case OpKind.Relu: VectorMath.Relu(x, d); break;
            case OpKind.Pow:
                if (p0 == 2f) TensorPrimitives.Multiply(x, x, d);
                else TensorPrimitives.Pow(x, p0, d);
                break;
            case OpKind.Clamp:
                TensorPrimitives.Max(x, p0, d);
                TensorPrimitives.Min(d, p1, d);
                break;
            case OpKind.Elu:
                for (var i = 0; i < x.Length; i++)
                    d[i] = x[i] > 0f ? x[i] : p0 * (MathF.Exp(x[i]) - 1f);
                break;
            case OpKind.Softplus:
                for (var i = 0; i < x.Length; i++)
                    d[i] = MathF.Max(x[i], 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(x[i])));
                break;
            default: throw new InvalidOperationException($"{op} is not a unary op.");
        }
        if (ShouldRecord(this))
        {
            y.Record(op, this);
            y._s0 = p0;
            y._s1 = p1;
        }
        return y;
    }

    private Tensor RowWise(OpKind op, int dim)
    {
        if (NormalizeDim(dim) != _rank - 1)
            throw new ArgumentOutOfRangeException(nameof(dim), dim, $"{op} is implemented over the last dimension only; tensor shape is {ShapeString}.");
        var y = EmptyLike();
        int rows = Rows, cols = Cols;
        for (var r = 0; r < rows; r++)
        {
            var x = Data.Slice(r * cols, cols);
            var d = y.Data.Slice(r * cols, cols);
            var max = TensorPrimitives.Max(x);
            TensorPrimitives.Subtract(x, max, d);
            if (op == OpKind.Softmax)
            {
                TensorPrimitives.Exp(d, d);
                TensorPrimitives.Divide(d, TensorPrimitives.Sum(d), d);
            }
            else
            {
                LogSoftmaxShifted(d);
            }
        }
        if (ShouldRecord(this)) y.Record(op, this);
        return y;
    }

    /// <summary>
    /// log-softmax of one row: <c>x − max(x) − log Σ exp(x − max(x))</c> into <paramref name="d"/> (the values of
    /// <see cref="LogSoftmax"/>, bit for bit; span code such as <see cref="Distributions.Categorical.SampleFromLogits"/> uses it too).
    /// </summary>
    internal static void LogSoftmaxRow(ReadOnlySpan<float> x, Span<float> d)
    {
        TensorPrimitives.Subtract(x, TensorPrimitives.Max(x), d);
        LogSoftmaxShifted(d);
    }

    /// <summary>Second half of <see cref="LogSoftmaxRow"/>: subtracts log Σ exp(d) from a row already shifted by its max.</summary>
    private static void LogSoftmaxShifted(Span<float> d)
    {
        var sumExp = 0f;
        for (var i = 0; i < d.Length; i++) sumExp += MathF.Exp(d[i]);
        TensorPrimitives.Subtract(d, MathF.Log(sumExp), d);
    }
}
