namespace RlExperiments.Agents.Training;

/// <summary>
/// A trainer's counters at the end of an epoch, for checkpoints: restoring it (with the agent's and the environments'
/// own checkpoint state) continues the run exactly. JSON-friendly.
/// </summary>
/// <param name="Epoch">Epochs completed.</param>
/// <param name="EnvSteps">Environment steps taken.</param>
/// <param name="GradientSteps">Gradient updates applied.</param>
/// <param name="BestTestReturn">The best mean test return so far (NaN when none).</param>
/// <param name="BestEpoch">The epoch of the best test return (−1 when none).</param>
/// <param name="LastTestReturn">The last mean test return (NaN when none).</param>
/// <param name="StepsSinceTrain">Off-policy: vector steps since the last training round.</param>
/// <param name="LastMetricsStep">The environment step of the last update-metrics write.</param>
/// <param name="RewardStatistics">On-policy with reward normalisation: the return statistics; else null.</param>
/// <param name="RewardReturns">On-policy with reward normalisation: the running discounted returns per environment; else null.</param>
public sealed record TrainerState(
    int Epoch, long EnvSteps, long GradientSteps, double BestTestReturn, int BestEpoch, double LastTestReturn,
    int StepsSinceTrain, long LastMetricsStep,
    RlExperiments.Environments.Wrappers.RunningMeanStdState? RewardStatistics = null, double[]? RewardReturns = null);

/// <summary>A trainer whose counters can be checkpointed and resumed (<see cref="OffPolicyTrainer"/>, <see cref="OnPolicyTrainer"/>).</summary>
public interface IResumableTrainer
{
    /// <summary>The counters now (call at the end of an epoch).</summary>
    TrainerState GetState();

    /// <summary>Continue after <paramref name="state"/>'s epoch when run (the caller restores the agent and environments).</summary>
    void Resume(TrainerState state);

    /// <summary>
    /// Makes the run a new segment on top of <paramref name="state"/>'s counters instead of a fresh start: environment
    /// and gradient steps continue from the state, the environments are not reset (they keep running, or the caller
    /// restores them), epochs count from 1 again and epoch e ends at <c>state.EnvSteps + e · EpochNumSteps</c>. This is how
    /// an AutoRL step trains its budget with a new configuration and the carried-over agent.
    /// </summary>
    void ContinueFrom(TrainerState state);

    /// <summary>
    /// The environment steps, counted from the very start, over which the schedules anneal (ε, PER β, learning-rate and
    /// clip-range annealing). Default: null, meaning the run's own end (<see cref="TrainerConfig.TotalSteps"/>, after the
    /// steps of a <see cref="ContinueFrom"/> state). Set it before running; it must not end before the run does.
    /// </summary>
    long? ScheduleTotalSteps { get; set; }
}
