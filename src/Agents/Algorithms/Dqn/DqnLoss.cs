namespace RlExperiments.Agents.Algorithms.Dqn;

/// <summary>The TD loss DQN minimises.</summary>
public enum DqnLoss
{
    /// <summary>Huber loss with δ = 1 (PyTorch's <c>smooth_l1_loss</c>; Stable-Baselines3's choice).</summary>
    Huber,

    /// <summary>Mean squared error (CleanRL's choice).</summary>
    Mse,
}
