using RlExperiments.Agents.Presets;

namespace RlExperiments.Agents.Algorithms.Dqn;

/// <summary>
/// rl-baselines3-zoo's tuned DQN hyperparameters (<c>hyperparams/dqn.yml</c>, DLR-RM/rl-baselines3-zoo), as presets for
/// <see cref="DqnParams"/>. Fields the zoo leaves out keep Stable-Baselines3's defaults, as the zoo does
/// (<c>policy_kwargs: net_arch</c> is the preset's <c>NetArch</c>, which the DQN module writes into its Q-network factory).
/// </summary>
public static class DqnPresets
{
    /// <summary>CartPole-v1 ("Almost Tuned"): 5e4 steps.</summary>
    public static ZooPreset<DqnParams> CartPoleV1 { get; } = new("DQN", "CartPole-v1", new DqnParams
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
    }, 50_000, NetArch: [256, 256]);

    /// <summary>Acrobot-v1 ("Tuned"): 1e5 steps.</summary>
    public static ZooPreset<DqnParams> AcrobotV1 { get; } = new("DQN", "Acrobot-v1", new DqnParams
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

    /// <summary>MountainCar-v0 ("Tuned"): 1.2e5 steps.</summary>
    public static ZooPreset<DqnParams> MountainCarV0 { get; } = new("DQN", "MountainCar-v0", new DqnParams
    {
        LearningRate = 4e-3,
        BatchSize = 128,
        BufferSize = 10_000,
        LearningStarts = 1000,
        Gamma = 0.98,
        TargetUpdateInterval = 600,
        TrainFreq = 16,
        GradientSteps = 8,
        ExplorationFraction = 0.2,
        ExplorationFinalEps = 0.07,
    }, 120_000, NetArch: [256, 256]);

    /// <summary>Every preset.</summary>
    public static IReadOnlyList<ZooPreset<DqnParams>> All { get; } = [CartPoleV1, AcrobotV1, MountainCarV0];

    /// <summary>The preset for <paramref name="envId"/>.</summary>
    /// <exception cref="ArgumentException">No preset exists for the id; the message lists those that do.</exception>
    public static ZooPreset<DqnParams> For(string envId) => ZooPreset.Find(All, envId);
}
