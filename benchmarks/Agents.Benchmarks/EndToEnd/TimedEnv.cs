using System.Diagnostics;
using RlExperiments.Environments;
using RlExperiments.Environments.Wrappers;

namespace RlExperiments.Agents.Benchmarks.EndToEnd;

/// <summary>Adds the time spent in the wrapped environment's Step and Reset to <see cref="PhaseClock.EnvTicks"/>.</summary>
public sealed class TimedEnv(Env env, PhaseClock clock) : Wrapper(env)
{
    /// <inheritdoc />
    public override StepResult Step(int action, Span<float> observation)
    {
        if (!clock.Enabled) return Inner.Step(action, observation);
        var start = Stopwatch.GetTimestamp();
        var result = Inner.Step(action, observation);
        clock.EnvTicks += Stopwatch.GetTimestamp() - start;
        return result;
    }

    /// <inheritdoc />
    public override StepResult Step(ReadOnlySpan<float> action, Span<float> observation)
    {
        if (!clock.Enabled) return Inner.Step(action, observation);
        var start = Stopwatch.GetTimestamp();
        var result = Inner.Step(action, observation);
        clock.EnvTicks += Stopwatch.GetTimestamp() - start;
        return result;
    }

    /// <inheritdoc />
    public override EnvInfo Reset(Span<float> observation, int? seed = null, IReadOnlyDictionary<string, object?>? options = null)
    {
        if (!clock.Enabled) return Inner.Reset(observation, seed, options);
        var start = Stopwatch.GetTimestamp();
        var info = Inner.Reset(observation, seed, options);
        clock.EnvTicks += Stopwatch.GetTimestamp() - start;
        return info;
    }
}
