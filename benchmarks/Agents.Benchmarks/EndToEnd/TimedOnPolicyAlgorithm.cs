using System.Diagnostics;
using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Normalization;
using RlExperiments.Agents.Training;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Benchmarks.EndToEnd;

/// <summary>
/// Delegates to an on-policy algorithm and adds the time of <see cref="ActForRollout"/> and <see cref="PredictValues"/>
/// (acting) and of <see cref="Update"/> to a <see cref="PhaseClock"/>.
/// </summary>
public sealed class TimedOnPolicyAlgorithm(IOnPolicyAlgorithm inner, PhaseClock clock) : IOnPolicyAlgorithm
{
    /// <summary>The wrapped algorithm.</summary>
    public IOnPolicyAlgorithm Inner => inner;
    public Space ObservationSpace => inner.ObservationSpace;
    public Space ActionSpace => inner.ActionSpace;
    public IReadOnlyDictionary<string, Module> Networks => inner.Networks;
    public OnPolicyRolloutSettings Rollout => inner.Rollout;
    public ObservationNormalizer? ObservationNormalizer => inner.ObservationNormalizer;
    public long GradientSteps => inner.GradientSteps;
    public void Act(ReadOnlySpan<float> observations, Span<float> actions, bool deterministic) => inner.Act(observations, actions, deterministic);
    public void SaveCheckpoint(string directory) => inner.SaveCheckpoint(directory);
    public void LoadCheckpoint(string directory) => inner.LoadCheckpoint(directory);
    public void WriteMetrics(IMetricsSink sink, long envStep) => inner.WriteMetrics(sink, envStep);

    public void ActForRollout(ReadOnlySpan<float> observations, Span<float> actions, Span<float> values, Span<float> logProbs)
    {
        if (!clock.Enabled)
        {
            inner.ActForRollout(observations, actions, values, logProbs);
            return;
        }
        var start = Stopwatch.GetTimestamp();
        inner.ActForRollout(observations, actions, values, logProbs);
        var ticks = Stopwatch.GetTimestamp() - start;
        clock.ActTicks += ticks;
        clock.NetworkActTicks += ticks;
        clock.NetworkActCalls++;
    }

    public void PredictValues(ReadOnlySpan<float> observations, Span<float> values)
    {
        if (!clock.Enabled)
        {
            inner.PredictValues(observations, values);
            return;
        }
        var start = Stopwatch.GetTimestamp();
        inner.PredictValues(observations, values);
        clock.ActTicks += Stopwatch.GetTimestamp() - start;
    }

    public OnPolicyUpdateStats Update(RolloutBuffer buffer, OnPolicyUpdateContext context)
    {
        if (!clock.Enabled) return inner.Update(buffer, context);
        var start = Stopwatch.GetTimestamp();
        var stats = inner.Update(buffer, context);
        clock.UpdateTicks += Stopwatch.GetTimestamp() - start;
        clock.UpdateCalls++;
        return stats;
    }
}
