namespace RlExperiments.AutoRL;

/// <summary>
/// What an <see cref="AutoRLEnv"/> step reports (ARLBench's <c>objectives</c>); the names in
/// <see cref="AutoRLStepResult.Objectives"/> are ARLBench's: <c>reward_mean</c>, <c>reward_std</c>, <c>runtime</c>,
/// <c>cpu_time</c>, <c>emissions</c>.
/// </summary>
public enum AutoRLObjective
{
    /// <summary>Mean return of the step's last evaluation (natural direction: higher is better).</summary>
    RewardMean,
    /// <summary>Standard deviation (population, as NumPy's <c>np.std</c>) of the last evaluation's returns (lower is better). ARLBench computes the mean here by mistake.</summary>
    RewardStd,
    /// <summary>Wall-clock seconds spent training in the step, evaluations and checkpoints excluded (lower is better).</summary>
    Runtime,
    /// <summary>CPU seconds the training thread used in the step, evaluations and checkpoints excluded (lower is better).</summary>
    CpuTime,
    /// <summary>
    /// Grams of CO₂-equivalent for the energy the CPU package used while training (RAPL counter × the configured carbon
    /// intensity; lower is better). Only where the machine exposes an energy counter; otherwise the environment refuses it
    /// at construction. ARLBench's tracker stops before training starts, so it measures nothing.
    /// </summary>
    Emissions,
}
