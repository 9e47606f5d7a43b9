using RlExperiments.Agents.Presets;

namespace RlExperiments.Agents.Algorithms.Npg;

/// <summary>
/// NPG settings from Tianshou's published scripts (thu-ml/tianshou; neither rl-baselines3-zoo nor Tianshou's
/// <c>test/discrete</c> has NPG settings). CartPole-v1 takes <c>test/continuous/test_npg.py</c>'s, Pendulum-v1
/// <c>examples/mujoco/mujoco_npg.py</c>'s (test_npg.py's own Pendulum settings, trust_region_size 0.5, end 500k steps
/// far below −250 on 5 seeds of 5 here: −904, −779, −1033, −348, −1248). Two translations apply to both: Tianshou's
/// <c>return_scaling</c> (critic targets divided by the running std of returns) becomes
/// <see cref="RlExperiments.Agents.PolicyGradient.NaturalGradientParams.NormalizeRewards"/> (rewards divided by the running
/// std of discounted returns; advantages are normalised afterwards either way), and the networks are NPG's default
/// ones, [64, 64] Tanh with orthogonal initialisation (gains √2 hidden, 0.01 policy head, 1 value head).
/// </summary>
public static class NpgPresets
{
    /// <summary>
    /// <c>test/continuous/test_npg.py</c>: 16 training envs, 2048 env steps per collect (NumSteps 128 per env),
    /// update_step_num_repetitions 2 (UpdateEpochs), batch_size 99999 (one step on the whole rollout, BatchSize null), lr 1e-3,
    /// gamma 0.95, gae_lambda 0.95, hidden_sizes [64, 64] with Tanh, advantage_normalization 1, optim_critic_iters 5,
    /// trust_region_size 0.5, return_scaling 1. The script orthogonally initialises every layer with gain 1.
    /// </summary>
    private static NpgParams TianshouTest => new()
    {
        NumSteps = 128, UpdateEpochs = 2, BatchSize = null, LearningRate = 1e-3, Gamma = 0.95, GaeLambda = 0.95,
        NormalizeAdvantage = true, OptimCriticIters = 5, TrustRegionSize = 0.5, NormalizeRewards = true,
    };

    /// <summary>
    /// <c>examples/mujoco/mujoco_npg.py</c>: 16 training envs, 1024 env steps per collect (NumSteps 64 per env),
    /// update_step_num_repetitions 1, batch_size None (the whole rollout), lr 1e-3, gamma 0.99, gae_lambda 0.95,
    /// hidden_sizes [64, 64] with Tanh, return_scaling true, advantage_normalization true, optim_critic_iters 20,
    /// trust_region_size 0.1, observation normalisation on (<c>obs_norm=True</c>), sigma_param initialised to −0.5, orthogonal
    /// init √2 with the mean head scaled by 0.01. Not carried over: lr_decay (the critic's learning rate stays at 1e-3), and
    /// Tianshou's action scaling (its Gaussian lives in [−1, 1] and is scaled to the bounds, so its initial σ is e^−0.5 of the
    /// half-range; here e^−0.5 in the environment's units).
    /// </summary>
    private static NpgParams TianshouMujoco => new()
    {
        NumSteps = 64, UpdateEpochs = 1, BatchSize = null, LearningRate = 1e-3, Gamma = 0.99, GaeLambda = 0.95,
        NormalizeAdvantage = true, OptimCriticIters = 20, TrustRegionSize = 0.1, NormalizeRewards = true, NormalizeObservations = true,
        LogStdInit = -0.5,
    };

    /// <summary>Pendulum-v1: <c>examples/mujoco/mujoco_npg.py</c>'s settings (see <see cref="TianshouMujoco"/>), 16 envs.</summary>
    public static ZooPreset<NpgParams> PendulumV1 { get; } = new("NPG", "Pendulum-v1", TianshouMujoco, TotalTimesteps: 500_000, NumEnvs: 16);

    /// <summary>CartPole-v1: <c>test/continuous/test_npg.py</c>'s settings (see <see cref="TianshouTest"/>), 16 envs.</summary>
    public static ZooPreset<NpgParams> CartPoleV1 { get; } = new("NPG", "CartPole-v1", TianshouTest, TotalTimesteps: 200_000, NumEnvs: 16);

    /// <summary>Every preset.</summary>
    public static IReadOnlyList<ZooPreset<NpgParams>> All { get; } = [CartPoleV1, PendulumV1];

    /// <summary>The preset for <paramref name="envId"/>.</summary>
    /// <exception cref="ArgumentException">No preset exists for the id; the message lists those that do.</exception>
    public static ZooPreset<NpgParams> For(string envId) => ZooPreset.Find(All, envId);
}
