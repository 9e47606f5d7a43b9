namespace RlExperiments.AutoRL;

/// <summary>
/// Extra observation entries an <see cref="AutoRLEnv"/> step returns after the two step counters, for controllers that
/// change the configuration during training. Statistics are over the step's training phases (each phase's mean over its
/// gradient updates; on-policy: each rollout's update). ARLBench offers only <see cref="GradInfo"/>.
/// </summary>
public enum AutoRLStateFeature
{
    /// <summary>Two entries: mean and variance of the gradient norm (before clipping).</summary>
    GradInfo,
    /// <summary>Two entries: mean and variance of the loss (DQN: TD loss; SAC: critic loss; PPO: policy loss).</summary>
    LossInfo,
    /// <summary>Two entries: mean and variance of the absolute TD error (DQN, SAC; PPO: value loss).</summary>
    TdErrorInfo,
    /// <summary>One entry: the mean policy entropy (PPO, SAC; DQN: the exploration ε at the end of the step).</summary>
    Entropy,
    /// <summary>One entry: the mean return of the step's last evaluation.</summary>
    TestReturn,
}
