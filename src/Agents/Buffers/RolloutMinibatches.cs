using RlExperiments.Core;

namespace RlExperiments.Agents.Buffers;

/// <summary>
/// Shuffled minibatches over a <see cref="RolloutBuffer"/> (Stable-Baselines3's <c>RolloutBuffer.get(batch_size)</c>):
/// each <see cref="Shuffle"/> draws a fresh permutation of all transitions, and minibatch i holds permutation
/// entries <c>[i·B, (i+1)·B)</c>, so one pass over <see cref="Count"/> minibatches visits every transition
/// exactly once. Obtained from <see cref="RolloutBuffer.Minibatches"/>; allocation-free after creation.
/// </summary>
public sealed class RolloutMinibatches
{
    private readonly RolloutBuffer _buffer;
    private readonly int[] _permutation;
    private readonly RolloutMinibatch _full;
    private readonly RolloutMinibatch? _remainder;

    internal RolloutMinibatches(RolloutBuffer buffer, int batchSize)
    {
        _buffer = buffer;
        BatchSize = batchSize;
        _permutation = new int[buffer.Capacity];
        for (var i = 0; i < _permutation.Length; i++) _permutation[i] = i;
        Count = (buffer.Capacity + batchSize - 1) / batchSize;
        _full = new RolloutMinibatch(batchSize, buffer.ObservationSize, buffer.ActionSize);
        var rest = buffer.Capacity % batchSize;
        if (rest != 0) _remainder = new RolloutMinibatch(rest, buffer.ObservationSize, buffer.ActionSize);
    }

    /// <summary>Transitions per minibatch (the last one may hold fewer).</summary>
    public int BatchSize { get; }

    /// <summary>Minibatches per pass: ⌈capacity / batch size⌉.</summary>
    public int Count { get; }

    /// <summary>Draws a new uniformly random order of the buffer's transitions (call once per update epoch).</summary>
    public void Shuffle(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (var i = 0; i < _permutation.Length; i++) _permutation[i] = i;
        rng.Shuffle(_permutation.AsSpan());
    }

    /// <summary>
    /// Fills and returns minibatch <paramref name="index"/> of the current order. The returned object is reused
    /// by the next call, so finish with it first.
    /// </summary>
    public RolloutMinibatch Get(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var start = index * BatchSize;
        var batch = index == Count - 1 && _remainder is not null ? _remainder : _full;
        _buffer.Gather(_permutation.AsSpan(start, batch.Size), batch);
        return batch;
    }
}
