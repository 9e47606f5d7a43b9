namespace RlExperiments.AutoRL;

/// <summary>The algorithm an <see cref="AutoRLEnv"/> trains (ARLBench's <c>algorithm</c>).</summary>
public enum AutoRLAlgorithm
{
    /// <summary>Deep Q-learning (discrete actions).</summary>
    Dqn,
    /// <summary>Proximal policy optimisation (discrete or continuous actions).</summary>
    Ppo,
    /// <summary>Soft actor-critic (continuous actions).</summary>
    Sac,
}
