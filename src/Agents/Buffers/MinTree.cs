namespace RlExperiments.Agents.Buffers;

/// <summary>
/// A binary min tree over <see cref="Capacity"/> leaves (initially +∞): O(log n) updates and the minimum in
/// O(1). Prioritised replay uses it for the smallest priority, which gives the largest importance weight.
/// </summary>
public sealed class MinTree
{
    private readonly double[] _nodes;
    private readonly int _leafStart;

    /// <summary>Creates a tree of <paramref name="capacity"/> leaves, all +∞.</summary>
    public MinTree(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _leafStart = 1;
        while (_leafStart < capacity) _leafStart <<= 1;
        _nodes = new double[2 * _leafStart];
        Array.Fill(_nodes, double.PositiveInfinity);
    }

    /// <summary>Number of leaves.</summary>
    public int Capacity { get; }

    /// <summary>The smallest leaf (+∞ while every leaf is unset).</summary>
    public double Min => _nodes[1];

    /// <summary>The value of leaf <paramref name="index"/>; setting it updates the minima above it.</summary>
    public double this[int index]
    {
        get => _nodes[_leafStart + CheckIndex(index)];
        set
        {
            if (double.IsNaN(value))
                throw new ArgumentOutOfRangeException(nameof(value), value, "Min-tree values must not be NaN.");
            var node = _leafStart + CheckIndex(index);
            _nodes[node] = value;
            for (node >>= 1; node >= 1; node >>= 1) _nodes[node] = Math.Min(_nodes[2 * node], _nodes[2 * node + 1]);
        }
    }

    private int CheckIndex(int index)
    {
        if ((uint)index >= (uint)Capacity)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be in [0, {Capacity}).");
        return index;
    }
}
