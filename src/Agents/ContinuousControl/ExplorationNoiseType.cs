namespace RlExperiments.Agents.ContinuousControl;

/// <summary>
/// The exploration noise the deterministic-policy agents (DDPG, TD3) add to μ(s) ∈ (−1, 1), as rl-baselines3-zoo's
/// <c>noise_type</c>: independent Gaussian noise per step, or temporally correlated Ornstein–Uhlenbeck noise, which
/// keeps pushing in one direction for many steps (what sparse-reward tasks such as MountainCarContinuous-v0 need).
/// </summary>
public enum ExplorationNoiseType
{
    /// <summary>σ·ε with ε ~ N(0, 1) each step (SB3's <c>NormalActionNoise</c>, the zoo's <c>'normal'</c>).</summary>
    Normal,

    /// <summary>
    /// xₜ₊₁ = xₜ + θ(0 − xₜ)dt + σ√dt·ε with θ 0.15 and dt 0.01, starting at 0 and reset to 0 when the environment's
    /// episode ends (SB3's <c>OrnsteinUhlenbeckActionNoise</c> defaults, the zoo's <c>'ornstein-uhlenbeck'</c>).
    /// </summary>
    OrnsteinUhlenbeck,
}
