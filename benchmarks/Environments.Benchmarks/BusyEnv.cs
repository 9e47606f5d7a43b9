using System.Diagnostics;
using RlExperiments.Environments;
using RlExperiments.Environments.Spaces;

namespace RlExperiments.Environments.Benchmarks;

/// <summary>
/// A synthetic environment whose step burns a fixed amount of CPU (busy loop), standing in for an expensive
/// simulator, to find where <c>ParallelVectorEnv</c> starts paying off. Episodes last 100 steps.
/// </summary>
public sealed class BusyEnv : Env
{
    private readonly EnvInfo _info = new();
    private readonly long _ticks;
    private int _t;

    public BusyEnv(double microseconds) => _ticks = (long)(microseconds * Stopwatch.Frequency / 1e6);

    public override Space ObservationSpace { get; } = new Box(-1f, 1f, 4);
    public override Space ActionSpace { get; } = new Discrete(2);
    public override EnvInfo Info => _info;

    public override EnvInfo Reset(Span<float> observation, int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        _t = 0;
        observation.Clear();
        return _info;
    }

    public override StepResult Step(int action, Span<float> observation)
    {
        var end = Stopwatch.GetTimestamp() + _ticks;
        var x = 0.0;
        while (Stopwatch.GetTimestamp() < end)
            x += 1e-9;
        observation[0] = (float)x;
        observation[1] = action;
        return new StepResult(1.0, ++_t >= 100, false);
    }

    public override StepResult Step(ReadOnlySpan<float> action, Span<float> observation) =>
        throw new InvalidOperationException("BusyEnv has a discrete action space.");
}
