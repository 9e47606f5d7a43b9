namespace RlExperiments.AutoRL;

/// <summary>What <see cref="AutoRLEnv.Step"/> returns (Gymnasium's five-tuple).</summary>
/// <param name="Observation">The step index (1-based, steps done this episode), the environment steps trained so far, then the state features in the configured order.</param>
/// <param name="Objectives">The objectives by ARLBench name (<c>reward_mean</c>, <c>reward_std</c>, <c>runtime</c>, <c>cpu_time</c>, <c>emissions</c>), with the configured sign convention.</param>
/// <param name="Terminated">Always false: training an agent has no terminal state.</param>
/// <param name="Truncated">True after the episode's <see cref="AutoRLEnvConfig.NSteps"/>-th step; call <see cref="AutoRLEnv.Reset"/> next.</param>
/// <param name="Info">The training curve and raw measurements.</param>
public sealed record AutoRLStepResult(
    double[] Observation,
    IReadOnlyDictionary<string, double> Objectives,
    bool Terminated,
    bool Truncated,
    AutoRLStepInfo Info);
