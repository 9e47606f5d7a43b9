using RlExperiments.Agents.ContinuousControl;
using RlExperiments.Agents.Presets;

namespace RlExperiments.Agents.Algorithms.Td3;

/// <summary>
/// rl-baselines3-zoo's tuned TD3 hyperparameters (<c>hyperparams/td3.yml</c>, DLR-RM/rl-baselines3-zoo), as presets for
/// <see cref="Td3Params"/>; fields the zoo leaves out keep Stable-Baselines3's defaults.
/// </summary>
public static class Td3Presets
{
    /// <summary>
    /// Pendulum-v1: 2e4 steps, γ 0.98, buffer 200,000, learning starts 10,000, normal action noise σ 0.1, learning rate
    /// 1e-3, <c>net_arch</c> [400, 300], <c>train_freq: 1</c> and <c>gradient_steps: 1</c> (one gradient step per env step,
    /// as the zoo has had since its "Update TD3/DDPG defaults" change, DLR-RM/rl-baselines3-zoo#430, January 2024; before
    /// it, one episode of steps then as many gradient steps); batch 256 and τ 0.005 are SB3's defaults.
    /// </summary>
    public static ZooPreset<Td3Params> PendulumV1 { get; } = new("TD3", "Pendulum-v1", new Td3Params
    {
        Gamma = 0.98,
        BufferSize = 200_000,
        LearningStarts = 10_000,
        ExplorationNoise = 0.1,
        LearningRate = 1e-3,
        TrainFreq = 1,
        GradientSteps = 1,
    }, 20_000, NetArch: [400, 300]);

    /// <summary>
    /// MountainCarContinuous-v0: 3e5 steps, Ornstein–Uhlenbeck exploration noise σ 0.5 (<c>noise_type:
    /// 'ornstein-uhlenbeck'</c>, <c>noise_std: 0.5</c>), learning rate 1e-3, batch 256, <c>net_arch</c> [400, 300],
    /// one gradient step per step; everything else SB3's TD3 defaults (γ 0.99, buffer 1,000,000, learning starts 100).
    /// </summary>
    public static ZooPreset<Td3Params> MountainCarContinuousV0 { get; } = new("TD3", "MountainCarContinuous-v0", new Td3Params
    {
        ExplorationNoise = 0.5,
        NoiseType = ExplorationNoiseType.OrnsteinUhlenbeck,
        LearningRate = 1e-3,
        BatchSize = 256,
        TrainFreq = 1,
        GradientSteps = 1,
    }, 300_000, NetArch: [400, 300]);

    /// <summary>Every preset.</summary>
    public static IReadOnlyList<ZooPreset<Td3Params>> All { get; } = [PendulumV1, MountainCarContinuousV0];

    /// <summary>The preset for <paramref name="envId"/>.</summary>
    /// <exception cref="ArgumentException">No preset exists for the id; the message lists those that do.</exception>
    public static ZooPreset<Td3Params> For(string envId) => ZooPreset.Find(All, envId);
}
