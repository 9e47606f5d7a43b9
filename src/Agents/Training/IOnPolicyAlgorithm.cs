using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Normalization;

namespace RlExperiments.Agents.Training;

/// <summary>
/// An agent that learns from whole rollouts of its current policy (PPO, A2C, ...). The
/// <see cref="OnPolicyTrainer"/> steps the environments, fills a <see cref="RolloutBuffer"/> through
/// <see cref="ActForRollout"/>, bootstraps truncated episodes with <see cref="PredictValues"/>, computes GAE,
/// and hands the buffer to <see cref="Update"/>.
/// </summary>
/// <remarks>
/// The observations passed to <see cref="ActForRollout"/> and <see cref="PredictValues"/> are already
/// normalised by <see cref="ObservationNormalizer"/> when there is one; <see cref="IAgent.Act"/> takes raw
/// observations and normalises them itself. All three allocate nothing in steady state.
/// </remarks>
public interface IOnPolicyAlgorithm : IAgent
{
    /// <summary>How rollouts are collected and turned into advantages.</summary>
    OnPolicyRolloutSettings Rollout { get; }

    /// <summary>The observation normaliser the trainer updates with training observations, or null for none.</summary>
    ObservationNormalizer? ObservationNormalizer { get; }

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
    /// Writes into <paramref name="directory"/> everything the agent needs to continue training as if uninterrupted:
    /// networks and optimiser state as <c>.safetensors</c>, random streams, counters and normaliser statistics as
    /// <c>agent.json</c>, each file atomically.
    /// </summary>
    void SaveCheckpoint(string directory);

    /// <summary>
    /// Restores a checkpoint written by <see cref="SaveCheckpoint"/> of an agent built with the same spaces and
    /// parameters. Damaged or mismatched files raise <see cref="InvalidDataException"/> naming the file and the problem.
    /// </summary>
    void LoadCheckpoint(string directory);
}
