using RlExperiments.Agents.Training;

namespace RlExperiments.AutoRL;

/// <summary>
/// Collects the metrics an AutoRL step's trainer writes: running mean and variance (Welford) per tag, the evaluations,
/// and forwards nothing. Reset at the start of every step.
/// </summary>
internal sealed class StepMetrics : IMetricsSink
{
    private readonly Dictionary<string, (long Count, double Mean, double M2, double Last)> _stats = new(StringComparer.Ordinal);

    public void Write(string tag, double value, long envStep)
    {
        if (double.IsNaN(value)) return;
        _stats.TryGetValue(tag, out var s);
        var count = s.Count + 1;
        var delta = value - s.Mean;
        var mean = s.Mean + delta / count;
        _stats[tag] = (count, mean, s.M2 + delta * (value - mean), value);
    }

    public void Flush() { }

    public void Clear() => _stats.Clear();

    /// <summary>Mean and population variance of a tag's values this step; NaN when none was written.</summary>
    public (double Mean, double Variance) Get(string tag) =>
        _stats.TryGetValue(tag, out var s) && s.Count > 0 ? (s.Mean, s.M2 / s.Count) : (double.NaN, double.NaN);

    /// <summary>The first of <paramref name="tags"/> that was written this step (mean, variance), or NaNs.</summary>
    public (double Mean, double Variance) First(params string[] tags)
    {
        foreach (var tag in tags)
            if (_stats.ContainsKey(tag)) return Get(tag);
        return (double.NaN, double.NaN);
    }

    /// <summary>The last value written for a tag this step, or NaN.</summary>
    public double Last(string tag) => _stats.TryGetValue(tag, out var s) ? s.Last : double.NaN;
}
