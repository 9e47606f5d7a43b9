using System.Globalization;

namespace RlExperiments.Agents.Training;

/// <summary>
/// Running sums of named update metrics (e.g. <c>train/loss</c>) and the number of updates they cover: an agent declares
/// its tags once, in write order, adds one value per tag after every update, and writes the means since the last write
/// with <see cref="WriteTo"/>. Replaces hand-kept sums and positional checkpoint arrays; its state is saved by name.
/// </summary>
/// <remarks>
/// <see cref="Add"/> and <see cref="WriteTo"/> allocate nothing. Sums are plain <see cref="double"/> additions in update
/// order and means are sum / count, so results are reproducible bit for bit.
/// </remarks>
public sealed class MetricAccumulator
{
    private readonly string[] _tags;
    private readonly double[] _sums;

    /// <summary>Declares the metrics, in the order <see cref="Add"/> takes their values and <see cref="WriteTo"/> writes them.</summary>
    /// <param name="tags">The metric tags; at least one, non-empty and distinct.</param>
    /// <exception cref="ArgumentException">No tags, an empty tag or a repeated tag.</exception>
    public MetricAccumulator(params string[] tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (tags.Length == 0) throw new ArgumentException("A metric accumulator needs at least one tag.", nameof(tags));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            if (string.IsNullOrEmpty(tag)) throw new ArgumentException("Metric tags must not be null or empty.", nameof(tags));
            if (!seen.Add(tag)) throw new ArgumentException($"The metric tag '{tag}' is declared twice.", nameof(tags));
        }
        _tags = (string[])tags.Clone();
        _sums = new double[tags.Length];
    }

    /// <summary>The metric tags in declaration (and write) order.</summary>
    public IReadOnlyList<string> Tags => _tags;

    /// <summary>Updates accumulated since the last <see cref="WriteTo"/> or <see cref="Reset"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Adds one update's values, one per tag in declaration order, and counts the update.</summary>
    /// <exception cref="ArgumentException">Not exactly one value per tag.</exception>
    public void Add(params ReadOnlySpan<double> values)
    {
        if (values.Length != _sums.Length)
            throw new ArgumentException($"Expected {_sums.Length} values ({string.Join(", ", _tags)}); got {values.Length}.", nameof(values));
        for (var i = 0; i < _sums.Length; i++) _sums[i] += values[i];
        Count++;
    }

    /// <summary>The mean of <paramref name="tag"/> since the last write (NaN when no update was added).</summary>
    /// <exception cref="ArgumentException">An undeclared tag.</exception>
    public double Mean(string tag)
    {
        var i = IndexOf(tag);
        return Count > 0 ? _sums[i] / Count : double.NaN;
    }

    /// <summary>
    /// Writes the mean of every metric in declaration order at <paramref name="step"/> (nothing when no update was added
    /// since the last write), then resets the sums and the count.
    /// </summary>
    public void WriteTo(IMetricsSink sink, long step)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (Count > 0)
        {
            double count = Count;
            for (var i = 0; i < _sums.Length; i++) sink.Write(_tags[i], _sums[i] / count, step);
        }
        Reset();
    }

    /// <summary>Clears the sums and the count.</summary>
    public void Reset()
    {
        Array.Clear(_sums);
        Count = 0;
    }

    /// <summary>The count and the sums by tag (a copy), for a checkpoint.</summary>
    public MetricAccumulatorState GetState()
    {
        var sums = new Dictionary<string, double>(_tags.Length, StringComparer.Ordinal);
        for (var i = 0; i < _tags.Length; i++) sums[_tags[i]] = _sums[i];
        return new MetricAccumulatorState(Count, sums);
    }

    /// <summary>Restores a state from <see cref="GetState"/> of an accumulator with the same tags (in any order).</summary>
    /// <exception cref="ArgumentException">A negative count, a missing or unexpected tag, or a sum that is not finite; nothing is changed then.</exception>
    public void SetState(MetricAccumulatorState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Count < 0)
            throw new ArgumentException($"The metric count is {state.Count.ToString(CultureInfo.InvariantCulture)}; allowed: ≥ 0.", nameof(state));
        if (state.Sums is null) throw new ArgumentException("The metric sums are missing.", nameof(state));
        var missing = _tags.Where(t => !state.Sums.ContainsKey(t)).ToList();
        var unexpected = state.Sums.Keys.Where(k => Array.IndexOf(_tags, k) < 0).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new ArgumentException(
                $"The metric sums do not match the declared tags ({string.Join(", ", _tags)}): " +
                (missing.Count > 0 ? $"missing {string.Join(", ", missing)}" : "") +
                (missing.Count > 0 && unexpected.Count > 0 ? "; " : "") +
                (unexpected.Count > 0 ? $"unexpected {string.Join(", ", unexpected)}" : "") + ".", nameof(state));
        var bad = state.Sums.FirstOrDefault(p => !double.IsFinite(p.Value));
        if (bad.Key is not null)
            throw new ArgumentException($"The sum of '{bad.Key}' is {bad.Value.ToString(CultureInfo.InvariantCulture)}; allowed: a finite number.", nameof(state));
        for (var i = 0; i < _tags.Length; i++) _sums[i] = state.Sums[_tags[i]];
        Count = state.Count;
    }

    private int IndexOf(string tag)
    {
        var i = Array.IndexOf(_tags, tag);
        return i >= 0 ? i : throw new ArgumentException($"'{tag}' is not a declared metric; declared: {string.Join(", ", _tags)}.", nameof(tag));
    }
}
