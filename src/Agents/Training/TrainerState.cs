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
