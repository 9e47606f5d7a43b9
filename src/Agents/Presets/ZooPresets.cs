using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Algorithms.Sac;

namespace RlExperiments.Agents.Presets;

/// <summary>
/// rl-baselines3-zoo's tuned hyperparameters (DLR-RM/rl-baselines3-zoo, <c>hyperparams/dqn.yml</c> and
/// <c>hyperparams/sac.yml</c>), as presets for <see cref="DqnParams"/> and <see cref="SacParams"/>. Fields the zoo
/// leaves out keep Stable-Baselines3's defaults, as the zoo does (<c>policy_kwargs: net_arch</c> maps to
/// <c>HiddenSizes</c>).
/// </summary>
public static class ZooPresets
{
    /// <summary>DQN on CartPole-v1 ("Almost Tuned"): 5e4 steps.</summary>
    public static ZooPreset<DqnParams> DqnCartPole { get; } = new("DQN", "CartPole-v1", new DqnParams
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
        HiddenSizes = [256, 256],
    }, 50_000);

    /// <summary>DQN on Acrobot-v1 ("Tuned"): 1e5 steps.</summary>
    public static ZooPreset<DqnParams> DqnAcrobot { get; } = new("DQN", "Acrobot-v1", new DqnParams
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
        HiddenSizes = [256, 256],
    }, 100_000);

    /// <summary>DQN on MountainCar-v0 ("Tuned"): 1.2e5 steps.</summary>
    public static ZooPreset<DqnParams> DqnMountainCar { get; } = new("DQN", "MountainCar-v0", new DqnParams
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
        HiddenSizes = [256, 256],
    }, 120_000);

    /// <summary>SAC on Pendulum-v1: 2e4 steps, learning rate 1e-3, everything else SB3's SAC defaults.</summary>
    public static ZooPreset<SacParams> SacPendulum { get; } = new("SAC", "Pendulum-v1", new SacParams
    {
        LearningRate = 1e-3,
    }, 20_000);

    /// <summary>Every DQN preset.</summary>
    public static IReadOnlyList<ZooPreset<DqnParams>> AllDqn { get; } = [DqnCartPole, DqnAcrobot, DqnMountainCar];

    /// <summary>Every SAC preset.</summary>
    public static IReadOnlyList<ZooPreset<SacParams>> AllSac { get; } = [SacPendulum];

    /// <summary>The DQN preset for <paramref name="envId"/>.</summary>
    /// <exception cref="ArgumentException">No DQN preset exists for that id (the message lists those that do).</exception>
    public static ZooPreset<DqnParams> Dqn(string envId) => Find(AllDqn, envId, "DQN");

    /// <summary>The SAC preset for <paramref name="envId"/>.</summary>
    /// <exception cref="ArgumentException">No SAC preset exists for that id (the message lists those that do).</exception>
    public static ZooPreset<SacParams> Sac(string envId) => Find(AllSac, envId, "SAC");

    private static ZooPreset<T> Find<T>(IReadOnlyList<ZooPreset<T>> presets, string envId, string algorithm)
    {
        foreach (var p in presets)
            if (string.Equals(p.EnvId, envId, StringComparison.Ordinal)) return p;
        throw new ArgumentException(
            $"There is no {algorithm} zoo preset for '{envId}'. Presets exist for: {string.Join(", ", presets.Select(p => p.EnvId))}.", nameof(envId));
    }
}
