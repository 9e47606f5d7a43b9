using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Tests.Training;

/// <summary>A network-free off-policy agent for CartPole that records how the trainer drives it.</summary>
internal sealed class StubOffPolicyAgent(int trainFreq, int gradientSteps, int learningStarts, int numEnvs = 1) : IOffPolicyAgent
{
    private readonly Rng _rng = new(1);

    private static readonly (Space Obs, Space Act) CartPole = Spaces();

    public Space ObservationSpace { get; } = CartPole.Obs;
    public Space ActionSpace { get; } = CartPole.Act;
    public IReadOnlyDictionary<string, Module> Networks { get; } = new Dictionary<string, Module>();
    public int TrainFreq { get; } = trainFreq;
    public int GradientSteps { get; } = gradientSteps;
    public int LearningStarts { get; } = learningStarts;
    public int NumEnvs { get; } = numEnvs;
    public ReplayBuffer Buffer { get; } = new(10_000, 4, 1, numEnvs);

    public int RandomExploreCalls;
    public int PolicyExploreCalls;
    public readonly List<long> UpdateEnvSteps = [];
    public long LastOnEnvSteps;
    public long TotalSeen;
    public int MetricWrites;
    public double LossToReport;

    private static (Space, Space) Spaces()
    {
        using var env = EnvRegistry.Default.Make("CartPole-v1");
        return (env.ObservationSpace, env.ActionSpace);
    }

    public void Act(ReadOnlySpan<float> observations, Span<float> actions, bool deterministic)
    {
        for (var i = 0; i < actions.Length; i++) actions[i] = observations[i * 4 + 2] > 0 ? 1 : 0; // lean-following heuristic
    }

    public void Explore(ReadOnlySpan<float> observations, Span<float> envActions, Span<float> bufferActions, bool uniformRandom)
    {
        if (uniformRandom) RandomExploreCalls++; else PolicyExploreCalls++;
        for (var i = 0; i < envActions.Length; i++) envActions[i] = _rng.NextInt(2);
        envActions.CopyTo(bufferActions);
    }

    public void OnEnvSteps(long envSteps, long totalEnvSteps)
    {
        LastOnEnvSteps = envSteps;
        TotalSeen = totalEnvSteps;
    }

    public UpdateStats Update(long envSteps, long gradientStep)
    {
        UpdateEnvSteps.Add(envSteps);
        return new UpdateStats(LossToReport, 1);
    }

    public void SaveCheckpoint(string directory) => Buffer.Save(directory);

    public void LoadCheckpoint(string directory) => Buffer.Load(directory);

    public void WriteMetrics(IMetricsSink sink, long envStep)
    {
        MetricWrites++;
        sink.Write("train/loss", LossToReport, envStep);
    }
}

/// <summary>Collects every metric written.</summary>
internal sealed class RecordingSink : IMetricsSink
{
    public readonly List<(string Tag, double Value, long Step)> Rows = [];
    public int Flushes;
    public void Write(string tag, double value, long envStep) => Rows.Add((tag, value, envStep));
    public void Flush() => Flushes++;
}
