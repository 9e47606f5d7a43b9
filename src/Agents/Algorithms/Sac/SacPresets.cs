using RlExperiments.Agents.Presets;

namespace RlExperiments.Agents.Algorithms.Sac;

/// <summary>
/// rl-baselines3-zoo's tuned SAC hyperparameters (<c>hyperparams/sac.yml</c>, DLR-RM/rl-baselines3-zoo), as presets for
/// <see cref="SacParams"/>; fields the zoo leaves out keep Stable-Baselines3's defaults.
/// </summary>
public static class SacPresets
{
    /// <summary>Pendulum-v1: 2e4 steps, learning rate 1e-3, everything else SB3's SAC defaults.</summary>
    public static ZooPreset<SacParams> PendulumV1 { get; } = new("SAC", "Pendulum-v1", new SacParams
    {
        LearningRate = 1e-3,
    }, 20_000);

    /// <summary>Every preset.</summary>
    public static IReadOnlyList<ZooPreset<SacParams>> All { get; } = [PendulumV1];

    /// <summary>The preset for <paramref name="envId"/>.</summary>
    /// <exception cref="ArgumentException">No preset exists for the id; the message lists those that do.</exception>
    public static ZooPreset<SacParams> For(string envId) => ZooPreset.Find(All, envId);
}
