namespace RlExperiments.Tensors.Kernels;

/// <summary>
/// Splits elementwise work over the concatenated elements of a list of tensors (an optimiser's parameters, a target
/// network's weights) into one contiguous share per thread, so that an Adam step or a soft update over SAC's 134k
/// critic weights runs on both cores while a 9k-weight DQN network stays on one.
/// </summary>
/// <remarks>
/// A share that ends inside a tensor ends on a multiple of <see cref="Alignment"/> elements from the tensor's start,
/// with at least that many elements after it, so every element is computed by the same vector or scalar code, with the
/// same operands, whatever the number of shares: the results are the same bits on any thread count.
/// </remarks>
internal sealed class ElementShares
{
    /// <summary>
    /// Below this many elements in all the work runs on the calling thread. An Adam step costs 0.25 to 0.65 ns per weight
    /// on one core (DQN's 9k weights in 2.3 µs, SAC's 134k critic weights in 87 µs), so below 32k it takes under about
    /// 10 µs, which handing half to a worker (a wake-up, a barrier) would mostly eat.
    /// </summary>
    public const int MinParallelElements = 32_768;

    /// <summary>Shares split a tensor only at multiples of this many elements (a multiple of every vector width).</summary>
    public const int Alignment = 64;

    private readonly int[] _lengths;
    private readonly long _total;

    /// <summary>Records the tensors' lengths (their shapes must not change afterwards; parameters' never do).</summary>
    public ElementShares(IReadOnlyList<Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        _lengths = new int[tensors.Count];
        for (int i = 0; i < _lengths.Length; i++)
        {
            _lengths[i] = tensors[i].Count;
            _total += _lengths[i];
        }
    }

    /// <summary>How many shares to split into: the engine's thread count when there is enough work, else 1.</summary>
    public int Parts => _total >= MinParallelElements ? GemmThreading.ThreadCount : 1;

    /// <summary>The pieces (tensor index, start, length) of share <paramref name="part"/> of <paramref name="parts"/>, in order.</summary>
    public PieceEnumerator Pieces(int part, int parts)
    {
        if (parts < 1 || part < 0 || part >= parts)
        {
            throw new ArgumentOutOfRangeException(nameof(part), part, $"part must lie in [0, {parts}) with parts ≥ 1.");
        }

        var (fromTensor, fromOffset) = Boundary(part, parts);
        var (toTensor, toOffset) = Boundary(part + 1, parts);
        return new PieceEnumerator(_lengths, fromTensor, fromOffset, toTensor, toOffset);
    }

    // Where share k starts (share `parts` "starts" at the end): the element at k/parts of the total, moved back to an
    // aligned offset within its tensor. Shares k − 1 and k agree on it, so the shares tile the elements exactly.
    private (int Tensor, int Offset) Boundary(int k, int parts)
    {
        if (k == 0)
        {
            return (0, 0);
        }

        if (k >= parts)
        {
            return (_lengths.Length, 0);
        }

        long target = _total * k / parts;
        long start = 0;
        for (int t = 0; t < _lengths.Length; t++)
        {
            if (target < start + _lengths[t])
            {
                // A piece shorter than a vector would take a library's scalar path, which may round differently from
                // its vector path (fused multiply-adds): split a tensor only where at least Alignment elements remain.
                int offset = (int)(target - start) / Alignment * Alignment;
                return _lengths[t] - offset >= Alignment ? (t, offset) : (t + 1, 0);
            }

            start += _lengths[t];
        }

        return (_lengths.Length, 0);
    }

    /// <summary>One contiguous run of elements of one tensor.</summary>
    public readonly record struct Piece(int Tensor, int Start, int Length);

    /// <summary>Enumerates a share's pieces without allocating (a <c>foreach</c> over <see cref="Pieces"/>).</summary>
    public ref struct PieceEnumerator
    {
        private readonly int[] _lengths;
        private readonly int _fromTensor;
        private readonly int _fromOffset;
        private readonly int _toTensor;
        private readonly int _toOffset;
        private int _tensor;
        private Piece _current;

        internal PieceEnumerator(int[] lengths, int fromTensor, int fromOffset, int toTensor, int toOffset)
        {
            _lengths = lengths;
            _fromTensor = fromTensor;
            _fromOffset = fromOffset;
            _toTensor = toTensor;
            _toOffset = toOffset;
            _tensor = fromTensor - 1;
            _current = default;
        }

        /// <summary>The current piece.</summary>
        public readonly Piece Current => _current;

        /// <summary>This enumerator (for <c>foreach</c>).</summary>
        public readonly PieceEnumerator GetEnumerator() => this;

        /// <summary>Moves to the next non-empty piece.</summary>
        public bool MoveNext()
        {
            while (++_tensor < _lengths.Length && _tensor <= _toTensor)
            {
                int from = _tensor == _fromTensor ? _fromOffset : 0;
                int to = _tensor == _toTensor ? _toOffset : _lengths[_tensor];
                if (to > from)
                {
                    _current = new Piece(_tensor, from, to - from);
                    return true;
                }
            }

            return false;
        }
    }
}
