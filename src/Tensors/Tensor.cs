using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using RlExperiments.Core;

namespace RlExperiments.Tensors;

/// <summary>
/// A contiguous float32 tensor of rank 0 to 4 that records the operations applied to it, so that
/// <see cref="Backward(Tensor?)"/> can compute gradients (reverse-mode autodiff, as in PyTorch).
/// </summary>
/// <remarks>
/// <para>Operations that run inside a <see cref="TensorScope"/> (see <see cref="Scope"/>) take their
/// results from a per-thread pool and give them back when the scope ends, so a training step that
/// runs inside a scope allocates nothing once warmed up. A tensor created inside a scope must not be
/// used after the scope ends unless it was kept with <see cref="MoveToOuterScope"/>.</para>
/// <para>Elementwise binary operations broadcast in the forms RL code uses and no others: equal shapes,
/// a one-element tensor, a row vector <c>[C]</c> or <c>[1, C]</c> against <c>[R, C]</c>, and a column
/// <c>[R, 1]</c> against <c>[R, C]</c>. Anything else (notably <c>[B]</c> against <c>[B, 1]</c>, which
/// PyTorch silently expands to <c>[B, B]</c>) is an error naming both shapes.</para>
/// </remarks>
public sealed partial class Tensor
{
    internal float[] _data;
    internal int _offset;
    internal int _count;
    private Dims _dims;
    private int _rank;

    // Autograd: the operation that produced this tensor and its inputs (null for leaves).
    internal OpKind _op;
    internal Tensor? _a, _b, _c;
    internal float _s0, _s1;
    internal int _i0, _i1;
    internal Tensor? _saved;
    internal int _visitEpoch;
    // Backward: how many nodes of the current pass take this tensor as an input (TopologicalOrder counts them), and
    // whether its only consumer already applied this node's activation derivative to the gradient it wrote.
    internal int _uses;
    internal bool _derivativeApplied;
    internal bool _pooled;
    internal bool _ownsStorage;
    // Storage from AlignedStorage: Padding floats longer than the tensor, which starts on a 64-byte boundary.
    internal bool _alignedStorage;
    internal bool _keep;
    internal Tensor? _grad;
    internal bool _gradZeroPending;

    /// <summary>Whether gradients flow to this tensor. Leaves set it; operation results inherit it from their inputs.</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>The accumulated gradient of a leaf after <see cref="Backward(Tensor?)"/>, or null before any.</summary>
    public Tensor? Grad
    {
        get
        {
            if (_gradZeroPending)
            {
                _gradZeroPending = false;
                _grad!.Data.Clear();
            }
            return _grad;
        }
        set
        {
            _grad = value;
            _gradZeroPending = false;
        }
    }

    /// <summary>
    /// Sets the gradient to zero. The buffer is kept, and the next backward pass overwrites it instead of
    /// adding to zeros, which saves a pass over every parameter per update.
    /// </summary>
    public void ZeroGrad()
    {
        if (_grad is not null) _gradZeroPending = true;
    }

    internal Tensor(float[] data, int offset, ReadOnlySpan<int> shape, bool ownsStorage)
    {
        _data = data;
        _offset = offset;
        _ownsStorage = ownsStorage;
        SetShape(shape);
        if (offset + _count > data.Length)
            throw new ArgumentException($"Shape {FormatShape(shape)} needs {_count} elements from offset {offset} but storage holds {data.Length}.");
    }

    /// <summary>The tensor's shape (rank 0 to 4).</summary>
    public ReadOnlySpan<int> Shape => ((ReadOnlySpan<int>)_dims)[.._rank];

    /// <summary>The number of dimensions.</summary>
    public int Rank => _rank;

    /// <summary>The number of elements.</summary>
    public int Count => _count;

    /// <summary>The size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    public int Size(int dim) => _dims[NormalizeDim(dim)];

    /// <summary>The elements in row-major order. Writing to them bypasses autodiff.</summary>
    public Span<float> Data => new(_data, _offset, _count);

    /// <summary>True unless this tensor was produced by an operation that recorded a gradient function.</summary>
    public bool IsLeaf => _op == OpKind.None;

    /// <summary>The value of a one-element tensor.</summary>
    public float Item()
    {
        if (_count != 1)
            throw new InvalidOperationException($"Item() needs a one-element tensor; this one has shape {ShapeString}.");
        return _data[_offset];
    }

    /// <summary>The element at a flat (row-major) index.</summary>
    [IndexerName("At")]
    public float this[int index]
    {
        get => Data[index];
        set => Data[index] = value;
    }

    /// <summary>The element at (row, col) of a 2-D tensor.</summary>
    [IndexerName("At")]
    public float this[int row, int col]
    {
        get => Data[row * Cols + col];
        set => Data[row * Cols + col] = value;
    }

    /// <summary>Product of all dimensions but the last (1 for rank 0 and 1): the row count when viewed as a matrix.</summary>
    internal int Rows => _rank <= 1 ? 1 : _count / _dims[_rank - 1];

    /// <summary>The last dimension (1 for rank 0): the column count when viewed as a matrix.</summary>
    internal int Cols => _rank == 0 ? 1 : _dims[_rank - 1];

    /// <summary>The shape as text, e.g. <c>[128, 4]</c>.</summary>
    public string ShapeString => FormatShape(Shape);

    /// <summary>A copy of the elements.</summary>
    public float[] ToArray() => Data.ToArray();

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("Tensor").Append(ShapeString).Append(" [");
        var n = Math.Min(_count, 8);
        for (var i = 0; i < n; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(Data[i].ToString("G6", CultureInfo.InvariantCulture));
        }
        if (_count > n) sb.Append(", ...");
        sb.Append(']');
        if (RequiresGrad) sb.Append(" requiresGrad");
        return sb.ToString();
    }

    // ---- creation -------------------------------------------------------------------------

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(ReadOnlySpan<int> shape, bool requiresGrad = false)
    {
        var t = Empty(shape);
        t.Data.Clear();
        t.RequiresGrad = requiresGrad;
        return t;
    }

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(ReadOnlySpan<int> shape, bool requiresGrad = false) => Full(shape, 1f, requiresGrad);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(ReadOnlySpan<int> shape, float value, bool requiresGrad = false)
    {
        var t = Empty(shape);
        t.Data.Fill(value);
        t.RequiresGrad = requiresGrad;
        return t;
    }

    /// <summary>A one-element tensor of rank 0.</summary>
    public static Tensor Scalar(float value, bool requiresGrad = false) => Full([], value, requiresGrad);

    /// <summary>A tensor holding a copy of <paramref name="values"/> with the given shape.</summary>
    public static Tensor From(ReadOnlySpan<float> values, ReadOnlySpan<int> shape, bool requiresGrad = false)
    {
        var t = Empty(shape);
        if (values.Length != t._count)
            throw new ArgumentException($"Shape {FormatShape(shape)} needs {t._count} values but {values.Length} were given.", nameof(values));
        values.CopyTo(t.Data);
        t.RequiresGrad = requiresGrad;
        return t;
    }

    /// <summary>A rank-1 tensor holding a copy of <paramref name="values"/>.</summary>
    public static Tensor From(ReadOnlySpan<float> values, bool requiresGrad = false) => From(values, [values.Length], requiresGrad);

    /// <summary>Standard normal draws from <paramref name="rng"/>.</summary>
    public static Tensor Randn(ReadOnlySpan<int> shape, Rng rng, bool requiresGrad = false)
    {
        var t = Empty(shape);
        rng.FillNormal(t.Data);
        t.RequiresGrad = requiresGrad;
        return t;
    }

    /// <summary>Uniform draws in [<paramref name="low"/>, <paramref name="high"/>) from <paramref name="rng"/>.</summary>
    public static Tensor Rand(ReadOnlySpan<int> shape, Rng rng, float low = 0f, float high = 1f, bool requiresGrad = false)
    {
        var t = Empty(shape);
        rng.FillUniform(t.Data, low, high);
        t.RequiresGrad = requiresGrad;
        return t;
    }

    /// <summary>An uninitialised tensor (pooled inside a scope); its contents are garbage until written.</summary>
    public static Tensor Empty(ReadOnlySpan<int> shape) => TensorPool.Rent(shape);

    /// <summary>A tensor with the same shape as this one, uninitialised.</summary>
    public Tensor EmptyLike() => TensorPool.Rent(Shape);

    /// <summary>A tensor of zeros with the same shape as this one.</summary>
    public Tensor ZerosLike()
    {
        var t = TensorPool.Rent(Shape);
        t.Data.Clear();
        return t;
    }

    /// <summary>Copies <paramref name="source"/>'s elements into this tensor (shapes must match); no gradient is recorded.</summary>
    public void CopyFrom(Tensor source)
    {
        CheckSameShape(this, source, "CopyFrom");
        source.Data.CopyTo(Data);
    }

    /// <summary>Fills this tensor with <paramref name="value"/> in place; no gradient is recorded.</summary>
    public void Fill(float value) => Data.Fill(value);

    /// <summary>A new leaf holding a copy of this tensor's values (not pooled, survives every scope).</summary>
    public Tensor Clone()
    {
        var t = new Tensor(new float[_count], 0, Shape, ownsStorage: true);
        Data.CopyTo(t.Data);
        t.RequiresGrad = RequiresGrad;
        return t;
    }

    /// <summary>A view of the same storage that is cut off from the graph (no gradient flows through it).</summary>
    public Tensor Detach()
    {
        var t = TensorPool.RentView(this, _offset, Shape);
        return t;
    }

    /// <summary>
    /// Keeps this tensor alive when the innermost <see cref="TensorScope"/> ends: it moves to the enclosing
    /// scope, or becomes an ordinary garbage-collected tensor when there is none.
    /// </summary>
    public Tensor MoveToOuterScope()
    {
        if (_pooled) _keep = true;
        return this;
    }

    /// <summary>
    /// Opens a scope: tensors that operations create until it is disposed come from a per-thread pool
    /// and return to it at dispose. Use one per training step (<c>using var scope = Tensor.Scope();</c>)
    /// to make the step allocation-free.
    /// </summary>
    public static TensorScope Scope() => TensorPool.OpenScope();

    /// <summary>
    /// Disables graph recording until disposed (<c>using var _ = Tensor.NoGrad();</c>), as
    /// PyTorch's <c>torch.no_grad()</c>: use it for acting and for target computations.
    /// </summary>
    public static GradModeScope NoGrad() => GradMode.Disable();

    // ---- internals -----------------------------------------------------------------------------

    internal void SetShape(ReadOnlySpan<int> shape)
    {
        if (shape.Length > 4)
            throw new ArgumentException($"Tensors have at most 4 dimensions; shape {FormatShape(shape)} has {shape.Length}.");
        var count = 1;
        for (var i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0)
                throw new ArgumentException($"Dimension {i} of shape {FormatShape(shape)} is negative.");
            count *= shape[i];
        }
        _dims = default;
        for (var i = 0; i < shape.Length; i++) _dims[i] = shape[i];
        _rank = shape.Length;
        _count = count;
    }

    internal int NormalizeDim(int dim)
    {
        var d = dim < 0 ? dim + _rank : dim;
        if (d < 0 || d >= _rank)
            throw new ArgumentOutOfRangeException(nameof(dim), dim, $"Dimension {dim} is out of range for a tensor of shape {ShapeString} (rank {_rank}).");
        return d;
    }

    internal static string FormatShape(ReadOnlySpan<int> shape)
    {
        var sb = new StringBuilder("[");
        for (var i = 0; i < shape.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(shape[i]);
        }
        return sb.Append(']').ToString();
    }

    internal static void CheckSameShape(Tensor a, Tensor b, string op)
    {
        if (!a.Shape.SequenceEqual(b.Shape))
            throw new ArgumentException($"{op}: shapes {a.ShapeString} and {b.ShapeString} must be equal.");
    }

    /// <summary>Clears graph links and grad so a pooled tensor can be reused.</summary>
    internal void ResetForReuse()
    {
        _op = OpKind.None;
        _a = _b = _c = _saved = null;
        _s0 = _s1 = 0;
        _i0 = _i1 = 0;
        _keep = false;
        _derivativeApplied = false;
        RequiresGrad = false;
        Grad = null;
    }

    [InlineArray(4)]
    private struct Dims
    {
        private int _element;
    }
}
