using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Training;

namespace RlExperiments.Agents;

/// <summary>
/// An agent the off-policy training loop (<see cref="OffPolicyTrainer"/>) can drive, with Stable-Baselines3's
/// schedule: collect <see cref="TrainFreq"/> vector steps into <see cref="Buffer"/>, then apply
/// <see cref="GradientSteps"/> updates, taking uniform random actions for the first <see cref="LearningStarts"/>
/// environment steps and training only after them.
/// </summary>
public interface IOffPolicyAgent : IAgent, ICheckpointable
{
    /// <summary>Vector steps collected between training phases.</summary>
    int TrainFreq { get; }

    /// <summary>Gradient updates per training phase; −1 means as many as environment steps were collected.</summary>
    int GradientSteps { get; }

    /// <summary>Environment steps taken with uniform random actions before learning starts.</summary>
    int LearningStarts { get; }

    /// <summary>Environments per vector step the agent (and its buffer) was built for.</summary>
    int NumEnvs { get; }

    /// <summary>The replay buffer the agent samples from.</summary>
    ReplayBuffer Buffer { get; }

    /// <summary>
    /// Chooses exploring actions for the rows of <paramref name="observations"/>: the behaviour policy, or uniform
    /// random actions when <paramref name="uniformRandom"/> (the warm-up before learning starts).
    /// <paramref name="envActions"/> receives what the environment is stepped with (a discrete index, or a vector in
    /// the Box's bounds), <paramref name="bufferActions"/> what is stored for replay (the same index, or the action
    /// scaled to (−1, 1)). Allocates nothing.
    /// </summary>
    void Explore(ReadOnlySpan<float> observations, Span<float> envActions, Span<float> bufferActions, bool uniformRandom);

    /// <summary>
    /// Called after every vector step with the environment steps taken so far and planned in total: the agent updates
    /// its schedules (exploration ε, PER β) and anything counted in environment steps (DQN's target network).
    /// </summary>
    void OnEnvSteps(long envSteps, long totalEnvSteps);

    /// <summary>
    /// One gradient update on a batch sampled from <see cref="Buffer"/>. Throws <see cref="NonFiniteException"/>
    /// (before changing any weight) when a loss or gradient norm is not finite. Allocates nothing in steady state.
    /// </summary>
    UpdateStats Update(long envSteps, long gradientStep);

    /// <summary>
    /// Writes the means of the update metrics accumulated since the last call (then resets them) and the current
    /// schedule values, e.g. <c>train/loss</c>, <c>train/epsilon</c>, <c>train/learning_rate</c>.
    /// </summary>
    void WriteMetrics(IMetricsSink sink, long envStep);
}
