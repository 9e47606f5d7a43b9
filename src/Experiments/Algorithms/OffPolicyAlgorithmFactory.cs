using RlExperiments.Agents;
using RlExperiments.Agents.Training;

namespace RlExperiments.Experiments.Algorithms;

/// <summary>
/// The off-policy algorithms' shared part (DQN, SAC, ...; Tianshou's <c>OffPolicyAlgorithmFactory</c>): the sampling
/// settings they reject, how the sampling config overrides their replay schedule, the budget checks, and the trainer
/// that drives them (<see cref="OffPolicyTrainer"/>).
/// </summary>
public abstract record OffPolicyAlgorithmFactory : AlgorithmFactory
{
    /// <inheritdoc />
    public override void CheckApplicable(SamplingConfig sampling)
    {
        ArgumentNullException.ThrowIfNull(sampling);
        if (sampling.RepeatPerCollect is not null) Reject(AlgorithmName, nameof(sampling.RepeatPerCollect), sampling.RepeatPerCollect, "it is the number of passes over an on-policy rollout");
        if (sampling.EpisodePerCollect is not null) Reject(AlgorithmName, nameof(sampling.EpisodePerCollect), sampling.EpisodePerCollect, "the trainers collect by environment steps; use StepPerCollect");
        if (sampling.StartTimestepsRandom == false)
            throw new ArgumentException(
                $"SamplingConfig.{nameof(sampling.StartTimestepsRandom)} = false is not supported by {AlgorithmName}: the off-policy trainer fills the first StartTimesteps steps with uniform random actions; allowed: true or null.",
                nameof(sampling.StartTimestepsRandom));
    }

    /// <inheritdoc />
    public override ITrainer CreateTrainer(IAgent agent, TrainerEnvironments envs, TrainerConfig config, TrainerCallbacks callbacks,
        IMetricsSink metrics, int metricsInterval = 1000)
    {
        ArgumentNullException.ThrowIfNull(envs);
        var offPolicy = agent as IOffPolicyAgent
            ?? throw new ArgumentException($"{AlgorithmName}'s agent must be an {nameof(IOffPolicyAgent)}; got {agent?.GetType().Name ?? "null"}.", nameof(agent));
        return new OffPolicyTrainer(offPolicy, envs.Train, envs.Test, config, envs.Seeds, callbacks, metrics, metricsInterval);
    }

    /// <summary>
    /// The replay schedule after the sampling overrides (Tianshou's names onto Stable-Baselines3's): <c>BatchSize</c>,
    /// <c>BufferSize</c>, <c>StartTimesteps</c> → learning starts, <c>StepPerCollect</c> → train frequency per environment,
    /// <c>UpdatePerStep</c> → gradient steps per collect.
    /// </summary>
    protected static OffPolicySchedule ApplySampling(SamplingConfig sampling, int numTrainEnvs, OffPolicySchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(sampling);
        ArgumentNullException.ThrowIfNull(schedule);
        var freq = sampling.StepPerCollect is { } sp ? sp / numTrainEnvs : schedule.TrainFreq;
        var gradientSteps = sampling.UpdatePerStep is { } u
            ? (int)Math.Round(u * freq * numTrainEnvs, MidpointRounding.AwayFromZero)
            : schedule.GradientSteps;
        return new OffPolicySchedule(
            sampling.BatchSize ?? schedule.BatchSize,
            sampling.BufferSize ?? schedule.BufferSize,
            sampling.StartTimesteps ?? schedule.LearningStarts,
            freq,
            gradientSteps);
    }

    /// <summary>Throws when the schedule cannot run: a batch larger than the buffer, a buffer smaller than one vector step, or learning that would never start.</summary>
    protected static void CheckBudget(string owner, OffPolicySchedule schedule, ResolvedSampling resolved, bool train)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(resolved);
        if (schedule.BatchSize > schedule.BufferSize)
            throw new ArgumentException($"{owner}.BatchSize = {schedule.BatchSize} is invalid with BufferSize = {schedule.BufferSize}; allowed: at most the buffer size.", "BatchSize");
        if (schedule.BufferSize < resolved.NumTrainEnvs)
            throw new ArgumentException($"{owner}.BufferSize = {schedule.BufferSize} is invalid with NumTrainEnvs = {resolved.NumTrainEnvs}; allowed: at least the number of training environments.", "BufferSize");
        if (train && schedule.LearningStarts >= resolved.TotalSteps)
            throw new ArgumentException(
                $"{owner}.LearningStarts = {schedule.LearningStarts} is invalid: the run has only {resolved.TotalSteps} environment steps (NumEpochs {resolved.NumEpochs} × EpochNumSteps {resolved.EpochNumSteps}), so it would never learn; allowed: fewer than {resolved.TotalSteps} (set SamplingConfig.StartTimesteps).",
                "LearningStarts");
    }
}
