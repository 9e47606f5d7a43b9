namespace RlExperiments.Agents.Buffers;

/// <summary>
/// A binary sum tree over <see cref="Capacity"/> non-negative leaf values (the segment tree of prioritised
/// replay, Schaul et al. 2016): setting a leaf is O(log n), and <see cref="Find"/> maps a prefix-sum mass in
/// [0, <see cref="Total"/>) to the leaf whose interval contains it, so a uniform mass samples leaf i with
/// probability <c>value_i / Total</c>. Sums are kept in double precision and recomputed from both children on
/// every update, so they do not drift.
/// </summary>
public sealed class SumTree
{
    private readonly double[] _nodes; // heap layout: root at 1, children of k at 2k and 2k + 1, leaves from _leafStart
    private readonly int _leafStart;

    /// <summary>Creates a tree of <paramref name="capacity"/> leaves, all zero.</summary>
    public SumTree(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _leafStart = 1;
        while (_leafStart < capacity) _leafStart <<= 1;
        _nodes = new double[2 * _leafStart];
    }

    /// <summary>Number of leaves.</summary>
    public int Capacity { get; }

    /// <summary>The sum of all leaves.</summary>
    public double Total => _nodes[1];

    /// <summary>The value of leaf <paramref name="index"/>; setting it updates the sums above it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside [0, Capacity) or the value is negative or not finite.</exception>
    public double this[int index]
    {
        get => _nodes[_leafStart + CheckIndex(index)];
        set
        {
            if (!(value >= 0) || double.IsPositiveInfinity(value))
                throw new ArgumentOutOfRangeException(nameof(value), value, "Sum-tree values must be finite and ≥ 0.");
            var node = _leafStart + CheckIndex(index);
            _nodes[node] = value;
            for (node >>= 1; node >= 1; node >>= 1) _nodes[node] = _nodes[2 * node] + _nodes[2 * node + 1];
        }
    }

    /// <summary>
    /// The leaf i with <c>Σ_{j&lt;i} value_j ≤ mass &lt; Σ_{j≤i} value_j</c>. Leaves of value 0 are never returned
    /// while the total is positive (a mass at or beyond <see cref="Total"/>, e.g. from rounding, yields the last
    /// positive leaf).
    /// </summary>
    public int Find(double mass)
    {
        var node = 1;
        while (node < _leafStart)
        {
            var left = 2 * node;
            if (mass < _nodes[left] || !(_nodes[left + 1] > 0))
            {
                node = left;
            }
            else
            {
                mass -= _nodes[left];
                node = left + 1;
            }
        }
        var index = node - _leafStart;
        return index < Capacity ? index : Capacity - 1;
    }

    private int CheckIndex(int index)
    {
        if ((uint)index >= (uint)Capacity)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be in [0, {Capacity}).");
        return index;
    }
}
