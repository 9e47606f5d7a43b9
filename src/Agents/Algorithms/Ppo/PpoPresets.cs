using RlExperiments.Agents.Presets;

namespace RlExperiments.Agents.Algorithms.Ppo;

/// <summary>
/// rl-baselines3-zoo's tuned PPO hyperparameters (<c>hyperparams/ppo.yml</c>, DLR-RM/rl-baselines3-zoo), translated
/// field by field; every field the zoo leaves out keeps Stable-Baselines3's default, as in the zoo.
/// <c>lin_x</c> becomes the value x with the matching Anneal flag; <c>normalize: true</c> becomes
/// <see cref="PpoParams.NormalizeObservations"/> and <see cref="PpoParams.NormalizeRewards"/> (the zoo wraps the
/// training envs in <c>VecNormalize</c> with both on and the algorithm's γ).
/// </summary>
public static class PpoPresets
{
    /// <summary>
    /// CartPole-v1 (zoo "Tuned"): n_envs 8, n_timesteps 1e5, n_steps 32, batch_size 256, gae_lambda 0.8,
    /// gamma 0.98, n_epochs 20, ent_coef 0.0, learning_rate lin_0.001, clip_range lin_0.2.
    /// </summary>
    public static ZooPreset<PpoParams> CartPoleV1 { get; } = new("PPO", "CartPole-v1", new PpoParams
    {
        NumSteps = 32,
        BatchSize = 256,
        GaeLambda = 0.8,
        Gamma = 0.98,
        UpdateEpochs = 20,
        EntCoef = 0.0,
        LearningRate = 1e-3,
        AnnealLearningRate = true,
        ClipRange = 0.2,
        AnnealClipRange = true,
    }, TotalTimesteps: 100_000, NumEnvs: 8);

    /// <summary>
    /// Acrobot-v1: normalize true, n_envs 16, n_timesteps 1e6, n_steps 256, gae_lambda 0.94, gamma 0.99,
    /// n_epochs 4, ent_coef 0.0 (batch_size 64, learning_rate 3e-4 and clip_range 0.2 are SB3's defaults).
    /// </summary>
    public static ZooPreset<PpoParams> AcrobotV1 { get; } = new("PPO", "Acrobot-v1", new PpoParams
    {
        NormalizeObservations = true,
        NormalizeRewards = true,
        NumSteps = 256,
        GaeLambda = 0.94,
        Gamma = 0.99,
        UpdateEpochs = 4,
        EntCoef = 0.0,
    }, TotalTimesteps: 1_000_000, NumEnvs: 16);

    /// <summary>
    /// Pendulum-v1 (zoo "Tuned", <c>hyperparams/ppo.yml</c> at DLR-RM/rl-baselines3-zoo commit 00128b5): n_envs 4,
    /// n_timesteps 1e5, n_steps 1024, gae_lambda 0.95, gamma 0.9, n_epochs 10, ent_coef 0.0, learning_rate 1e-3,
    /// clip_range 0.2 (batch_size 64 is SB3's default). The zoo also sets <c>use_sde: True, sde_sample_freq: 4</c>
    /// (generalised state-dependent exploration), which this framework does not have: the policy keeps SB3's
    /// state-independent Gaussian. Measured (learning benchmark rows <c>ppo_pendulum</c>, <c>ppo_pendulum_200k</c>, seeds
    /// 0–4, 10 deterministic episodes): median final return −196 after 1e5 steps (4 of 5 seeds above −250), −151 after 2e5
    /// (5 of 5).
    /// </summary>
    public static ZooPreset<PpoParams> PendulumV1 { get; } = new("PPO", "Pendulum-v1", new PpoParams
    {
        NumSteps = 1024,
        GaeLambda = 0.95,
        Gamma = 0.9,
        UpdateEpochs = 10,
        EntCoef = 0.0,
        LearningRate = 1e-3,
        ClipRange = 0.2,
    }, TotalTimesteps: 100_000, NumEnvs: 4);

    /// <summary>Every preset.</summary>
    public static IReadOnlyList<ZooPreset<PpoParams>> All { get; } = [CartPoleV1, AcrobotV1, PendulumV1];

    /// <summary>The preset for <paramref name="envId"/>.</summary>
    /// <exception cref="ArgumentException">No preset exists for the id; the message lists those that do.</exception>
    public static ZooPreset<PpoParams> For(string envId) => ZooPreset.Find(All, envId);
}
