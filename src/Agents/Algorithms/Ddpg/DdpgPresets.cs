using RlExperiments.Agents.Presets;

namespace RlExperiments.Agents.Algorithms.Ddpg;

/// <summary>
/// rl-baselines3-zoo's tuned DDPG hyperparameters (<c>hyperparams/ddpg.yml</c>, DLR-RM/rl-baselines3-zoo), as presets for
/// <see cref="DdpgParams"/>; fields the zoo leaves out keep Stable-Baselines3's defaults.
/// </summary>
public static class DdpgPresets
{
    /// <summary>
    /// Pendulum-v1: 2e4 steps, γ 0.98, buffer 200,000, learning starts 10,000, normal action noise σ 0.1, learning rate
    /// 1e-3, <c>net_arch</c> [400, 300], <c>train_freq: 1</c> and <c>gradient_steps: 1</c> (one gradient step per env step,
    /// as the zoo has had since its "Update TD3/DDPG defaults" change, DLR-RM/rl-baselines3-zoo#430, January 2024; before
    /// it, one episode of steps then as many gradient steps); batch 256 and τ 0.005 are SB3's defaults.
    /// </summary>
    public static ZooPreset<DdpgParams> PendulumV1 { get; } = new("DDPG", "Pendulum-v1", new DdpgParams
    {
        Gamma = 0.98,
        BufferSize = 200_000,
        LearningStarts = 10_000,
        ExplorationNoise = 0.1,
        LearningRate = 1e-3,
        TrainFreq = 1,
        GradientSteps = 1,
    }, 20_000, NetArch: [400, 300]);

    /// <summary>Every preset.</summary>
    public static IReadOnlyList<ZooPreset<DdpgParams>> All { get; } = [PendulumV1];

    /// <summary>The preset for <paramref name="envId"/>.</summary>
    /// <exception cref="ArgumentException">No preset exists for the id; the message lists those that do.</exception>
    public static ZooPreset<DdpgParams> For(string envId) => ZooPreset.Find(All, envId);
}
