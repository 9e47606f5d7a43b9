namespace RlExperiments.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// The same elements under another shape, sharing storage (no copy). One dimension may be -1 to be inferred.
    /// </summary>
    public Tensor Reshape(ReadOnlySpan<int> shape)
    {
        Span<int> resolved = stackalloc int[shape.Length];
        int known = 1, infer = -1;
        for (var i = 0; i < shape.Length; i++)
        {
            if (shape[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException($"Reshape: only one dimension may be -1 in {FormatShape(shape)}.");
                infer = i;
            }
            else known *= shape[i];
            resolved[i] = shape[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || _count % known != 0)
                throw new ArgumentException($"Reshape: cannot infer -1 in {FormatShape(shape)} for {_count} elements (shape {ShapeString}).");
            resolved[infer] = _count / known;
            known *= resolved[infer];
        }
        if (known != _count)
            throw new ArgumentException($"Reshape: shape {FormatShape(shape)} holds {known} elements but tensor {ShapeString} has {_count}.");
        return View(_offset, resolved);
    }

    /// <summary>Inserts a dimension of size 1 at <paramref name="dim"/> (a view).</summary>
    public Tensor Unsqueeze(int dim)
    {
        var d = dim < 0 ? dim + _rank + 1 : dim;
        if (d < 0 || d > _rank)
            throw new ArgumentOutOfRangeException(nameof(dim), dim, $"Unsqueeze: dimension {dim} is out of range for shape {ShapeString}.");
        Span<int> s = stackalloc int[_rank + 1];
        for (int i = 0, j = 0; i <= _rank; i++) s[i] = i == d ? 1 : _dims[j++];
        return View(_offset, s);
    }

    /// <summary>Removes dimension <paramref name="dim"/>, which must have size 1 (a view).</summary>
    public Tensor Squeeze(int dim)
    {
        var d = NormalizeDim(dim);
        if (_dims[d] != 1)
            throw new ArgumentException($"Squeeze: dimension {dim} of shape {ShapeString} has size {_dims[d]}, not 1.");
        Span<int> s = stackalloc int[_rank - 1];
        for (int i = 0, j = 0; i < _rank; i++) if (i != d) s[j++] = _dims[i];
        return View(_offset, s);
    }

    /// <summary>Rows [<paramref name="start"/>, start + <paramref name="length"/>) of dimension 0, as a view.</summary>
    public Tensor SliceRows(int start, int length)
    {
        if (_rank == 0) throw new InvalidOperationException("SliceRows: a rank-0 tensor has no rows.");
        if (start < 0 || length < 0 || start + length > _dims[0])
            throw new ArgumentOutOfRangeException(nameof(start), start, $"SliceRows: [{start}, {start + length}) is outside dimension 0 of shape {ShapeString}.");
        var rowSize = _dims[0] == 0 ? 0 : _count / _dims[0];
        Span<int> s = stackalloc int[_rank];
        Shape.CopyTo(s);
        s[0] = length;
        return View(_offset + start * rowSize, s);
    }

    /// <summary>Row <paramref name="index"/> of dimension 0 with that dimension removed, as a view.</summary>
    public Tensor Row(int index) => SliceRows(index, 1).Squeeze(0);

    /// <summary>Columns [<paramref name="start"/>, start + <paramref name="length"/>) of the last dimension (a copy, with gradient).</summary>
    public Tensor Narrow(int start, int length)
    {
        var cols = Cols;
        if (_rank == 0 || start < 0 || length < 0 || start + length > cols)
            throw new ArgumentOutOfRangeException(nameof(start), start, $"Narrow: columns [{start}, {start + length}) are outside the last dimension of shape {ShapeString}.");
        Span<int> s = stackalloc int[_rank];
        Shape.CopyTo(s);
        s[_rank - 1] = length;
        var y = TensorPool.Rent(s);
        var rows = Rows;
        for (var r = 0; r < rows; r++)
            Data.Slice(r * cols + start, length).CopyTo(y.Data.Slice(r * length, length));
        if (ShouldRecord(this))
        {
            y.Record(OpKind.NarrowCols, this);
            y._i0 = start;
        }
        return y;
    }

    /// <summary>Splits the last dimension into <paramref name="chunks"/> equal parts (copies, with gradient).</summary>
    public Tensor[] Chunk(int chunks)
    {
        if (chunks <= 0 || Cols % chunks != 0)
            throw new ArgumentException($"Chunk: the last dimension of {ShapeString} does not split into {chunks} equal parts.", nameof(chunks));
        var size = Cols / chunks;
        var parts = new Tensor[chunks];
        for (var i = 0; i < chunks; i++) parts[i] = Narrow(i * size, size);
        return parts;
    }

    /// <summary>Splits the last dimension into parts of the given sizes (copies, with gradient).</summary>
    public Tensor[] Split(ReadOnlySpan<int> sizes)
    {
        var total = 0;
        foreach (var s in sizes) total += s;
        if (total != Cols)
            throw new ArgumentException($"Split: sizes sum to {total} but the last dimension of {ShapeString} is {Cols}.", nameof(sizes));
        var parts = new Tensor[sizes.Length];
        var start = 0;
        for (var i = 0; i < sizes.Length; i++)
        {
            parts[i] = Narrow(start, sizes[i]);
            start += sizes[i];
        }
        return parts;
    }

    /// <summary>Concatenates two tensors along the last dimension; all other dimensions must match.</summary>
    public static Tensor Cat(Tensor a, Tensor b)
    {
        if (a._rank == 0 || a._rank != b._rank || a.Rows != b.Rows || !a.Shape[..^1].SequenceEqual(b.Shape[..^1]))
            throw new ArgumentException($"Cat: shapes {a.ShapeString} and {b.ShapeString} must match in all but the last dimension.");
        Span<int> s = stackalloc int[a._rank];
        a.Shape.CopyTo(s);
        int ca = a.Cols, cb = b.Cols;
        s[^1] = ca + cb;
        var y = TensorPool.Rent(s);
        var rows = a.Rows;
        var cols = ca + cb;
        for (var r = 0; r < rows; r++)
        {
            a.Data.Slice(r * ca, ca).CopyTo(y.Data.Slice(r * cols, ca));
            b.Data.Slice(r * cb, cb).CopyTo(y.Data.Slice(r * cols + ca, cb));
        }
        if (ShouldRecord(a, b)) y.Record(OpKind.Cat, a, b);
        return y;
    }

    /// <summary>Concatenates tensors along the last dimension.</summary>
    public static Tensor Cat(params ReadOnlySpan<Tensor> tensors)
    {
        if (tensors.Length == 0) throw new ArgumentException("Cat needs at least one tensor.", nameof(tensors));
        var y = tensors[0];
        for (var i = 1; i < tensors.Length; i++) y = Cat(y, tensors[i]);
        return y;
    }

    private Tensor View(int offset, ReadOnlySpan<int> shape)
    {
        var v = TensorPool.RentView(this, offset, shape);
        if (ShouldRecord(this))
        {
            v.Record(OpKind.View, this);
            v._i0 = offset - _offset;
        }
        return v;
    }
}
