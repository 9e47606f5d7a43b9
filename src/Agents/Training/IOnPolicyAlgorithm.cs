using RlExperiments.Agents.Buffers;

namespace RlExperiments.Agents.Training;

/// <summary>
/// An agent that learns from whole rollouts of its current policy (PPO, A2C, ...). The
/// <see cref="OnPolicyTrainer"/> steps the environments, fills a <see cref="RolloutBuffer"/> through
/// <see cref="ActForRollout"/>, bootstraps truncated episodes with <see cref="PredictValues"/>, computes GAE,
/// and hands the buffer to <see cref="Update"/>.
/// </summary>
/// <remarks>
/// The observations passed to <see cref="ActForRollout"/> and <see cref="PredictValues"/> are already
/// normalised by <see cref="IObservationNormalized.ObservationNormalizer"/> when there is one; <see cref="IAgent.Act"/> takes raw
/// observations and normalises them itself. All three allocate nothing in steady state.
/// </remarks>
public interface IOnPolicyAlgorithm : IAgent, ICheckpointable, IObservationNormalized
{
    /// <summary>How rollouts are collected and turned into advantages.</summary>
    OnPolicyRolloutSettings Rollout { get; }

    /// <summary>Gradient updates applied so far.</summary>
    long GradientSteps { get; }

    /// <summary>
    /// Samples exploring actions for a batch of (normalised) observations, writing the actions as stored in the
    /// buffer (a discrete action as its 0-based index; a continuous one unclipped), the critic's values and the
    /// log-probabilities of the sampled actions.
    /// </summary>
    void ActForRollout(ReadOnlySpan<float> observations, Span<float> actions, Span<float> values, Span<float> logProbs);

    /// <summary>Writes the critic's value of each (normalised) observation row into <paramref name="values"/>.</summary>
    void PredictValues(ReadOnlySpan<float> observations, Span<float> values);

    /// <summary>Runs the algorithm's update on a full buffer whose advantages are computed.</summary>
    /// <exception cref="NonFiniteException">The loss or gradient norm became NaN or infinite.</exception>
    OnPolicyUpdateStats Update(RolloutBuffer buffer, OnPolicyUpdateContext context);

    /// <summary>
    /// Writes the algorithm's metrics of the last <see cref="Update"/> (its losses, diagnostics and schedule values, e.g.
    /// <c>train/policy_loss</c>, <c>train/learning_rate</c>) at <paramref name="envStep"/>; the trainer calls it after every update and then writes
    /// <c>train/explained_variance</c>. Allocates nothing.
    /// </summary>
    void WriteMetrics(IMetricsSink sink, long envStep);
}
