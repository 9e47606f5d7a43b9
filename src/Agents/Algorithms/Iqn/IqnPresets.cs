using RlExperiments.Agents.Presets;

namespace RlExperiments.Agents.Algorithms.Iqn;

/// <summary>
/// Tuned IQN settings. rl-baselines3-zoo has no IQN; its QR-DQN file (<c>hyperparams/qrdqn.yml</c>,
/// DLR-RM/rl-baselines3-zoo), the closest distributional relative with the same replay and ε-greedy schedule, gives
/// the schedule, learning rate, buffer, target interval and <c>net_arch</c> (the preprocess network here). The quantile
/// settings stay Tianshou's (<c>test/discrete/test_iqn.py</c>: 64 cosines, 8/8 quantile fractions in the update, 32
/// when exploring).
/// </summary>
public static class IqnPresets
{
    /// <summary>
    /// CartPole-v1: qrdqn.yml's CartPole-v1 entry (lr 2.3e-3, batch 64, buffer 100,000, learning starts 1,000, γ 0.99,
    /// target every 10 steps, train every 256 steps with 128 gradient steps, ε 1 → 0.04 over 16 % of training,
    /// <c>net_arch</c> [256, 256]), run for the 1e5 steps (the zoo's QR-DQN runs 5e4).
    /// </summary>
    public static ZooPreset<IqnParams> CartPoleV1 { get; } = new("IQN", "CartPole-v1", new IqnParams
    {
        LearningRate = 2.3e-3,
        BatchSize = 64,
        BufferSize = 100_000,
        LearningStarts = 1000,
        Gamma = 0.99,
        TargetUpdateInterval = 10,
        TrainFreq = 256,
        GradientSteps = 128,
        ExplorationFraction = 0.16,
        ExplorationFinalEps = 0.04,
    }, 100_000, NetArch: [256, 256]);

    /// <summary>
    /// Acrobot-v1: qrdqn.yml's Acrobot-v1 entry (lr 6.3e-4, batch 128, buffer 50,000, learning starts 0, γ 0.99,
    /// target every 250 steps, train every 4 steps with one gradient step per step, ε 1 → 0.1 over 12 % of training,
    /// <c>net_arch</c> [256, 256]), 1e5 steps.
    /// </summary>
    public static ZooPreset<IqnParams> AcrobotV1 { get; } = new("IQN", "Acrobot-v1", new IqnParams
    {
        LearningRate = 6.3e-4,
        BatchSize = 128,
        BufferSize = 50_000,
        LearningStarts = 0,
        Gamma = 0.99,
        TargetUpdateInterval = 250,
        TrainFreq = 4,
        GradientSteps = -1,
        ExplorationFraction = 0.12,
        ExplorationFinalEps = 0.1,
    }, 100_000, NetArch: [256, 256]);

    /// <summary>Every preset.</summary>
    public static IReadOnlyList<ZooPreset<IqnParams>> All { get; } = [CartPoleV1, AcrobotV1];

    /// <summary>The preset for <paramref name="envId"/>.</summary>
    /// <exception cref="ArgumentException">No preset exists for the id; the message lists those that do.</exception>
    public static ZooPreset<IqnParams> For(string envId) => ZooPreset.Find(All, envId);
}
