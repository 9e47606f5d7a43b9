using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Benchmarks.EndToEnd;

/// <summary>
/// CleanRL's default settings of <c>cleanrl/dqn.py</c> and <c>cleanrl/ppo.py</c> (vwxyzjn/cleanrl) for CartPole-v1,
/// translated field by field into our params; <c>benchmarks/cleanrl_torch_reference.py</c> runs the same numbers.
/// </summary>
/// <remarks>
/// Where our agents differ from CleanRL's code (not its numbers): DQN's first 10,000 steps are uniform random here
/// (CleanRL's ε schedule is still at 0.96–1 there); PPO bootstraps truncated episodes from V(final observation)
/// (Stable-Baselines3's rule; CleanRL treats a truncation as a termination) and anneals the learning rate by the
/// environment steps at update time, one rollout later than CleanRL's per-iteration fraction.
/// </remarks>
public static class CleanRlSettings
{
    /// <summary>CleanRL's <c>total_timesteps</c> for both scripts: the cap of an end-to-end run and the horizon of the schedules.</summary>
    public const int TotalTimesteps = 500_000;

    /// <summary>The stopping rule: the mean return of the last <see cref="WindowEpisodes"/> training episodes reaches <see cref="TargetReturn"/>.</summary>
    public const int WindowEpisodes = 20;

    /// <summary>CartPole-v1's reward threshold.</summary>
    public const double TargetReturn = 475;

    /// <summary>
    /// <c>dqn.py</c>: Q-network 4-120-84-2 with ReLU, Adam lr 2.5e-4 (ε 1e-8), buffer 10,000, γ 0.99, τ 1 every 500
    /// steps, batch 128, ε 1 → 0.05 over half of 500k steps, learning starts after 10,000 steps, one update every 10
    /// steps, MSE loss, no gradient clipping, one environment.
    /// </summary>
    public static DqnParams Dqn { get; } = new()
    {
        LearningRate = 2.5e-4,
        BufferSize = 10_000,
        Gamma = 0.99,
        Tau = 1.0,
        TargetUpdateInterval = 500,
        BatchSize = 128,
        ExplorationInitialEps = 1.0,
        ExplorationFinalEps = 0.05,
        ExplorationFraction = 0.5,
        LearningStarts = 10_000,
        TrainFreq = 10,
        GradientSteps = 1,
        Loss = DqnLoss.Mse,
        MaxGradNorm = double.PositiveInfinity,
    };

    /// <summary>
    /// <c>ppo.py</c>: 4 environments × 128 steps, 4 epochs × 4 minibatches (of 128), separate 64-64 tanh actor and
    /// critic with orthogonal init (√2, head 0.01 / 1), Adam lr 2.5e-4 (ε 1e-5) annealed linearly to 0, γ 0.99,
    /// GAE λ 0.95, normalised advantages, clip 0.2 for the ratio and the value, entropy 0.01, value 0.5, gradient norm 0.5.
    /// </summary>
    public static PpoParams Ppo { get; } = new()
    {
        LearningRate = 2.5e-4,
        AnnealLearningRate = true,
        AdamEps = 1e-5,
        NumSteps = 128,
        BatchSize = 128,
        UpdateEpochs = 4,
        Gamma = 0.99,
        GaeLambda = 0.95,
        NormalizeAdvantage = true,
        ClipRange = 0.2,
        ClipRangeVf = 0.2,
        EntCoef = 0.01,
        VfCoef = 0.5,
        MaxGradNorm = 0.5,
    };

    /// <summary><c>dqn.py</c>'s hidden layers: 120 then 84 units.</summary>
    public static int[] DqnHidden => [120, 84];

    /// <summary>
    /// <c>dqn.py</c>'s Q-network: a ReLU MLP with <paramref name="hidden"/> layers, <see cref="DqnHidden"/> in dqn.py (the
    /// network is not a params field; the agent takes it).
    /// </summary>
    public static Func<RlExperiments.Core.Rng, Module> DqnNetwork(int observations, int actions, IReadOnlyList<int> hidden) =>
        rng => new Mlp(observations, hidden, actions, Activation.ReLU, rng);

    /// <summary><c>ppo.py</c>'s <c>num_envs</c>.</summary>
    public const int PpoNumEnvs = 4;
}
