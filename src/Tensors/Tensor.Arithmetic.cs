using System.Numerics.Tensors;
using RlExperiments.Tensors.Kernels;

namespace RlExperiments.Tensors;

public sealed partial class Tensor
{
    /// <summary>Elementwise sum with broadcasting (see the class remarks for the allowed shapes).</summary>
    public Tensor Add(Tensor other) => Binary(OpKind.Add, this, other);

    /// <summary>Elementwise difference with broadcasting.</summary>
    public Tensor Sub(Tensor other) => Binary(OpKind.Sub, this, other);

    /// <summary>Elementwise product with broadcasting.</summary>
    public Tensor Mul(Tensor other) => Binary(OpKind.Mul, this, other);

    /// <summary>Elementwise quotient with broadcasting.</summary>
    public Tensor Div(Tensor other) => Binary(OpKind.Div, this, other);

    /// <summary>Elementwise minimum of two tensors (gradient to the smaller; ties to this one).</summary>
    public Tensor Minimum(Tensor other) => Binary(OpKind.Minimum, this, other);

    /// <summary>Elementwise maximum of two tensors (gradient to the larger; ties to this one).</summary>
    public Tensor Maximum(Tensor other) => Binary(OpKind.Maximum, this, other);

    /// <summary><c>scale * this + shift</c>, elementwise: the one op behind scalar add, subtract, multiply and negate.</summary>
    public Tensor Affine(float scale, float shift)
    {
        var y = EmptyLike();
        TensorPrimitives.Multiply(Data, scale, y.Data);
        if (shift != 0f) TensorPrimitives.Add(y.Data, shift, y.Data);
        if (ShouldRecord(this))
        {
            y.Record(OpKind.Affine, this);
            y._s0 = scale;
        }
        return y;
    }

    /// <summary>Elementwise sum.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    /// <summary>Elementwise difference.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    /// <summary>Elementwise product.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    /// <summary>Elementwise quotient.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    /// <summary>Adds a constant.</summary>
    public static Tensor operator +(Tensor a, float b) => a.Affine(1f, b);
    /// <summary>Adds a constant.</summary>
    public static Tensor operator +(float a, Tensor b) => b.Affine(1f, a);
    /// <summary>Subtracts a constant.</summary>
    public static Tensor operator -(Tensor a, float b) => a.Affine(1f, -b);
    /// <summary>A constant minus a tensor.</summary>
    public static Tensor operator -(float a, Tensor b) => b.Affine(-1f, a);
    /// <summary>Scales by a constant.</summary>
    public static Tensor operator *(Tensor a, float b) => a.Affine(b, 0f);
    /// <summary>Scales by a constant.</summary>
    public static Tensor operator *(float a, Tensor b) => b.Affine(a, 0f);
    /// <summary>Divides by a constant.</summary>
    public static Tensor operator /(Tensor a, float b) => a.Affine(1f / b, 0f);
    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => a.Affine(-1f, 0f);

    // ---- broadcasting machinery ---------------------------------------------------------------

    private static Tensor Binary(OpKind op, Tensor a, Tensor b)
    {
        var outShapeOf = ClassifyBroadcast(op, a, b, out var ka, out var kb);
        var y = TensorPool.Rent(outShapeOf.Shape);
        Kernel(op, a.Data, ka, b.Data, kb, y.Data, y.Rows, y.Cols);
        if (ShouldRecord(a, b))
        {
            y.Record(op, a, b);
            y._i0 = (int)ka;
            y._i1 = (int)kb;
        }
        return y;
    }

    /// <summary>Decides how a and b map onto the output; returns the operand whose shape the output takes.</summary>
    private static Tensor ClassifyBroadcast(OpKind op, Tensor a, Tensor b, out Broadcast ka, out Broadcast kb)
    {
        ka = kb = Broadcast.Same;
        if (a.Shape.SequenceEqual(b.Shape)) return a;
        if (a._count == 1 && b._count == 1) return a._rank >= b._rank ? a : b;
        if (b._count == 1) { kb = Broadcast.Scalar; return a; }
        if (a._count == 1) { ka = Broadcast.Scalar; return b; }
        if (IsRowOf(b, a)) { kb = Broadcast.Row; return a; }
        if (IsRowOf(a, b)) { ka = Broadcast.Row; return b; }
        if (IsColumnOf(b, a)) { kb = Broadcast.Column; return a; }
        if (IsColumnOf(a, b)) { ka = Broadcast.Column; return b; }
        throw new ArgumentException(
            $"{op}: shapes {a.ShapeString} and {b.ShapeString} do not broadcast. Allowed: equal shapes, a one-element tensor, " +
            "a row [C] or [1, C] against [R, C], or a column [R, 1] against [R, C].");
    }

    private static bool IsRowOf(Tensor v, Tensor m) =>
        m._rank >= 2 && v.Cols == m.Cols && (v._rank == 1 || (v._rank == 2 && v._dims[0] == 1));

    private static bool IsColumnOf(Tensor v, Tensor m) =>
        m._rank == 2 && v._rank == 2 && v._dims[1] == 1 && v._dims[0] == m._dims[0];

    /// <summary>d = x (op) y where x and y are laid onto a rows×cols output by their broadcast kinds.</summary>
    internal static void Kernel(OpKind op, ReadOnlySpan<float> x, Broadcast kx, ReadOnlySpan<float> y, Broadcast ky, Span<float> d, int rows, int cols)
    {
        if (kx == Broadcast.Same && ky == Broadcast.Same) { Apply(op, x, y, d); return; }
        if (kx == Broadcast.Same && ky == Broadcast.Scalar) { Apply(op, x, y[0], d); return; }
        if (kx == Broadcast.Scalar && ky == Broadcast.Same) { Apply(op, x[0], y, d); return; }
        for (var r = 0; r < rows; r++)
        {
            var dr = d.Slice(r * cols, cols);
            switch (kx, ky)
            {
                case (Broadcast.Same, Broadcast.Row): Apply(op, x.Slice(r * cols, cols), y, dr); break;
                case (Broadcast.Row, Broadcast.Same): Apply(op, x, y.Slice(r * cols, cols), dr); break;
                case (Broadcast.Same, Broadcast.Column): Apply(op, x.Slice(r * cols, cols), y[r], dr); break;
                case (Broadcast.Column, Broadcast.Same): Apply(op, x[r], y.Slice(r * cols, cols), dr); break;
                default: throw new InvalidOperationException($"Unsupported broadcast pair {kx}/{ky}.");
            }
        }
    }

    private static void Apply(OpKind op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d)
    {
        switch (op)
        {
            case OpKind.Add: TensorPrimitives.Add(x, y, d); break;
            case OpKind.Sub: TensorPrimitives.Subtract(x, y, d); break;
            case OpKind.Mul: TensorPrimitives.Multiply(x, y, d); break;
            case OpKind.Div: TensorPrimitives.Divide(x, y, d); break;
            case OpKind.Minimum: TensorPrimitives.Min(x, y, d); break;
            case OpKind.Maximum: TensorPrimitives.Max(x, y, d); break;
            default: throw new InvalidOperationException($"{op} is not a binary elementwise op.");
        }
    }

    private static void Apply(OpKind op, ReadOnlySpan<float> x, float y, Span<float> d)
    {
        switch (op)
        {
            case OpKind.Add: TensorPrimitives.Add(x, y, d); break;
            case OpKind.Sub: TensorPrimitives.Subtract(x, y, d); break;
            case OpKind.Mul: TensorPrimitives.Multiply(x, y, d); break;
            case OpKind.Div: TensorPrimitives.Divide(x, y, d); break;
            case OpKind.Minimum: TensorPrimitives.Min(x, y, d); break;
            case OpKind.Maximum: TensorPrimitives.Max(x, y, d); break;
            default: throw new InvalidOperationException($"{op} is not a binary elementwise op.");
        }
    }

    private static void Apply(OpKind op, float x, ReadOnlySpan<float> y, Span<float> d)
    {
        switch (op)
        {
            case OpKind.Add: TensorPrimitives.Add(y, x, d); break;
            case OpKind.Sub: TensorPrimitives.Subtract(x, y, d); break;
            case OpKind.Mul: TensorPrimitives.Multiply(y, x, d); break;
            case OpKind.Div: TensorPrimitives.Divide(x, y, d); break;
            case OpKind.Minimum: TensorPrimitives.Min(y, x, d); break;
            case OpKind.Maximum: TensorPrimitives.Max(y, x, d); break;
            default: throw new InvalidOperationException($"{op} is not a binary elementwise op.");
        }
    }

    /// <summary>grad += scale * src, where src is output-shaped and grad is laid onto the output by <paramref name="kind"/>.</summary>
    internal static void ReduceInto(Span<float> grad, Broadcast kind, ReadOnlySpan<float> src, int rows, int cols, float scale)
    {
        switch (kind)
        {
            case Broadcast.Same:
                if (scale == 1f) TensorPrimitives.Add(grad, src, grad);
                else TensorPrimitives.MultiplyAdd(src, scale, grad, grad);
                break;
            case Broadcast.Row:
                if (scale == 1f) VectorMath.ColumnSums(src, rows, cols, grad, accumulate: true);
                else
                    for (var r = 0; r < rows; r++) TensorPrimitives.MultiplyAdd(src.Slice(r * cols, cols), scale, grad, grad);
                break;
            case Broadcast.Column:
                for (var r = 0; r < rows; r++)
                    grad[r] += scale * TensorPrimitives.Sum(src.Slice(r * cols, cols));
                break;
            case Broadcast.Scalar:
                grad[0] += scale * TensorPrimitives.Sum(src);
                break;
        }
    }

    // ---- graph recording -----------------------------------------------------------------------

    internal static bool ShouldRecord(Tensor a) => a.RequiresGrad && GradMode.IsEnabled;

    internal static bool ShouldRecord(Tensor a, Tensor b) => (a.RequiresGrad || b.RequiresGrad) && GradMode.IsEnabled;

    internal Tensor Record(OpKind op, Tensor a, Tensor? b = null, Tensor? c = null)
    {
        _op = op;
        _a = a;
        _b = b;
        _c = c;
        RequiresGrad = true;
        return this;
    }
}
