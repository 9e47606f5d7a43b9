using RlExperiments.Agents.Presets;

namespace RlExperiments.Agents.Algorithms.A2c;

/// <summary>
/// rl-baselines3-zoo's A2C hyperparameters (<c>hyperparams/a2c.yml</c>, DLR-RM/rl-baselines3-zoo), translated field by
/// field. Every field the zoo leaves out takes Stable-Baselines3's <c>A2C</c> default, as in the zoo; where
/// <see cref="A2cParams"/>' default is Tianshou's instead (<c>gae_lambda</c>, <c>ent_coef</c>) the preset sets SB3's
/// (<c>gae_lambda</c> 1.0; <c>ent_coef</c> is given by the zoo). <c>normalize: true</c> becomes
/// <see cref="A2cParams.NormalizeObservations"/> and <see cref="A2cParams.NormalizeRewards"/> (the zoo's VecNormalize).
/// </summary>
public static class A2cPresets
{
    /// <summary>SB3's A2C defaults the zoo entries build on (learning_rate 7e-4, n_steps 5, gae_lambda 1.0, RMSprop).</summary>
    private static A2cParams Sb3 => new() { LearningRate = 7e-4, NumSteps = 5, Gamma = 0.99, GaeLambda = 1.0, VfCoef = 0.5, MaxGradNorm = 0.5, UseRmsProp = true };

    /// <summary>CartPole-v1: n_envs 8, n_timesteps 5e5, ent_coef 0.0 (everything else SB3's defaults).</summary>
    public static ZooPreset<A2cParams> CartPoleV1 { get; } = new("A2C", "CartPole-v1", Sb3 with { EntCoef = 0.0 },
        TotalTimesteps: 500_000, NumEnvs: 8);

    /// <summary>Acrobot-v1: normalize true, n_envs 16, n_timesteps 5e5, ent_coef 0.0 (everything else SB3's defaults).</summary>
    public static ZooPreset<A2cParams> AcrobotV1 { get; } = new("A2C", "Acrobot-v1",
        Sb3 with { EntCoef = 0.0, NormalizeObservations = true, NormalizeRewards = true },
        TotalTimesteps: 500_000, NumEnvs: 16);

    /// <summary>Every preset.</summary>
    public static IReadOnlyList<ZooPreset<A2cParams>> All { get; } = [CartPoleV1, AcrobotV1];

    /// <summary>The preset for <paramref name="envId"/>.</summary>
    /// <exception cref="ArgumentException">No preset exists for the id; the message lists those that do.</exception>
    public static ZooPreset<A2cParams> For(string envId) => ZooPreset.Find(All, envId);
}
