using System.Diagnostics;
using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Training;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Benchmarks.EndToEnd;

/// <summary>Delegates to an off-policy agent and adds the time of <see cref="Explore"/> and <see cref="Update"/> to a <see cref="PhaseClock"/>.</summary>
public sealed class TimedOffPolicyAgent(IOffPolicyAgent inner, PhaseClock clock) : IOffPolicyAgent
{
    /// <summary>The wrapped agent.</summary>
    public IOffPolicyAgent Inner => inner;
    public Space ObservationSpace => inner.ObservationSpace;
    public Space ActionSpace => inner.ActionSpace;
    public IReadOnlyDictionary<string, Module> Networks => inner.Networks;
    public int TrainFreq => inner.TrainFreq;
    public int GradientSteps => inner.GradientSteps;
    public int LearningStarts => inner.LearningStarts;
    public int NumEnvs => inner.NumEnvs;
    public ReplayBuffer Buffer => inner.Buffer;
    public void Act(ReadOnlySpan<float> observations, Span<float> actions, bool deterministic) => inner.Act(observations, actions, deterministic);
    public void OnEnvSteps(long envSteps, long totalEnvSteps) => inner.OnEnvSteps(envSteps, totalEnvSteps);
    public void WriteMetrics(IMetricsSink sink, long envStep) => inner.WriteMetrics(sink, envStep);
    public void SaveCheckpoint(string directory) => inner.SaveCheckpoint(directory);
    public void LoadCheckpoint(string directory) => inner.LoadCheckpoint(directory);

    public void Explore(ReadOnlySpan<float> observations, Span<float> envActions, Span<float> bufferActions, bool uniformRandom)
    {
        if (!clock.Enabled)
        {
            inner.Explore(observations, envActions, bufferActions, uniformRandom);
            return;
        }
        var start = Stopwatch.GetTimestamp();
        inner.Explore(observations, envActions, bufferActions, uniformRandom);
        var ticks = Stopwatch.GetTimestamp() - start;
        clock.ActTicks += ticks;
        if (uniformRandom) return;
        clock.NetworkActTicks += ticks;
        clock.NetworkActCalls++;
    }

    public UpdateStats Update(long envSteps, long gradientStep)
    {
        if (!clock.Enabled) return inner.Update(envSteps, gradientStep);
        var start = Stopwatch.GetTimestamp();
        var stats = inner.Update(envSteps, gradientStep);
        clock.UpdateTicks += Stopwatch.GetTimestamp() - start;
        clock.UpdateCalls++;
        return stats;
    }
}
