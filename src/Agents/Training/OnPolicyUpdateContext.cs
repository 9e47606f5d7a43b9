namespace RlExperiments.Agents.Training;

/// <summary>Where training stands when an on-policy update runs.</summary>
/// <param name="EnvSteps">Environment steps taken so far, this rollout included.</param>
/// <param name="TotalEnvSteps">The planned number of environment steps of the run (for schedules).</param>
public readonly record struct OnPolicyUpdateContext(long EnvSteps, long TotalEnvSteps)
{
    /// <summary>
    /// Stable-Baselines3's <c>progress_remaining</c>: <c>1 − EnvSteps / TotalEnvSteps</c>, clamped to [0, 1],
    /// the factor of linearly annealed schedules.
    /// </summary>
    public double ProgressRemaining => TotalEnvSteps <= 0 ? 1.0 : Math.Clamp(1.0 - (double)EnvSteps / TotalEnvSteps, 0.0, 1.0);
}
