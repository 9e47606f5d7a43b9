using RlExperiments.Agents.Training;

namespace RlExperiments.Agents.Benchmarks.EndToEnd;

/// <summary>
/// The end-to-end stopping rule, plugged into the trainer as its metrics sink and step callback: it keeps the last
/// <c>window</c> <c>train/episode_return</c> values the trainer writes and stops training once there are that many and
/// their mean reaches <c>target</c>. Allocates nothing per step.
/// </summary>
public sealed class RecentReturnStop(int window, double target) : IMetricsSink, IStepCallback
{
    private readonly double[] _returns = new double[window];
    private int _count;
    private double _sum;

    /// <summary>Training episodes finished so far.</summary>
    public long Episodes { get; private set; }

    /// <summary>The mean of the last <c>window</c> episode returns (NaN before there are that many).</summary>
    public double Mean => _count == _returns.Length ? _sum / _count : double.NaN;

    /// <summary>Whether the mean has reached the target.</summary>
    public bool Reached { get; private set; }

    /// <inheritdoc />
    public void Write(string tag, double value, long envStep)
    {
        if (!string.Equals(tag, "train/episode_return", StringComparison.Ordinal)) return;
        var slot = (int)(Episodes % _returns.Length);
        if (_count == _returns.Length) _sum -= _returns[slot];
        else _count++;
        _returns[slot] = value;
        _sum += value;
        Episodes++;
        if (_count == _returns.Length && _sum / _count >= target) Reached = true;
    }

    /// <inheritdoc />
    public void Flush() { }

    /// <inheritdoc />
    public bool OnStep(in StepInfo info) => !Reached;

    /// <inheritdoc />
    public bool OnUpdate(in StepInfo info) => !Reached;
}
