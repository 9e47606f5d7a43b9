using RlExperiments.Agents.Presets;

namespace RlExperiments.Agents.Algorithms.Trpo;

/// <summary>
/// rl-baselines3-zoo's TRPO hyperparameters for sb3-contrib's <c>TRPO</c> (<c>hyperparams/trpo.yml</c>,
/// DLR-RM/rl-baselines3-zoo), translated field by field. Fields the zoo leaves out take sb3-contrib's <c>TRPO</c>
/// defaults, as in the zoo: learning_rate 1e-3, n_steps 2048, batch_size 128, gamma 0.99, cg_max_steps 15,
/// cg_damping 0.1, line_search_shrinking_factor 0.8, line_search_max_iter 10, n_critic_updates 10, gae_lambda 0.95,
/// normalize_advantage true, target_kl 0.01, MlpPolicy (separate 64-64 Tanh actor and critic, orthogonal init,
/// log_std_init 0). sb3-contrib steps the actor once per rollout on the whole rollout (<see cref="RlExperiments.Agents.PolicyGradient.NaturalGradientParams.BatchSize"/>
/// null) and fits the critic with n_critic_updates passes over minibatches of batch_size
/// (<see cref="RlExperiments.Agents.PolicyGradient.NaturalGradientParams.OptimCriticIters"/>, <see cref="RlExperiments.Agents.PolicyGradient.NaturalGradientParams.CriticBatchSize"/>).
/// </summary>
public static class TrpoPresets
{
    /// <summary>sb3-contrib's TRPO defaults the zoo entries build on.</summary>
    private static TrpoParams Sb3Contrib => new()
    {
        LearningRate = 1e-3, NumSteps = 2048, BatchSize = null, CriticBatchSize = 128, Gamma = 0.99, CgIterations = 15, CgDamping = 0.1,
        BacktrackCoeff = 0.8, MaxBacktracks = 10, OptimCriticIters = 10, GaeLambda = 0.95, NormalizeAdvantage = true, MaxKl = 0.01,
        UpdateEpochs = 1, LogStdInit = 0,
    };

    /// <summary>CartPole-v1 (tuned): n_envs 2, n_timesteps 1e5, n_steps 512, batch_size 512, cg_damping 1e-3, gae_lambda 0.98, gamma 0.99, learning_rate 1e-3, n_critic_updates 20.</summary>
    public static ZooPreset<TrpoParams> CartPoleV1 { get; } = new("TRPO", "CartPole-v1",
        Sb3Contrib with { NumSteps = 512, CriticBatchSize = 512, CgDamping = 1e-3, GaeLambda = 0.98, Gamma = 0.99, LearningRate = 1e-3, OptimCriticIters = 20 },
        TotalTimesteps: 100_000, NumEnvs: 2);

    /// <summary>
    /// Pendulum-v1 (tuned): n_envs 2, n_timesteps 1e5, n_steps 1024, gamma 0.9, n_critic_updates 15. The zoo also sets
    /// use_sde true with sde_sample_freq 4 (generalised state-dependent exploration), which this framework does not have:
    /// the policy is the ordinary diagonal Gaussian with a state-independent log-std.
    /// </summary>
    public static ZooPreset<TrpoParams> PendulumV1 { get; } = new("TRPO", "Pendulum-v1",
        Sb3Contrib with { NumSteps = 1024, Gamma = 0.9, OptimCriticIters = 15 },
        TotalTimesteps: 100_000, NumEnvs: 2);

    /// <summary>Every preset.</summary>
    public static IReadOnlyList<ZooPreset<TrpoParams>> All { get; } = [CartPoleV1, PendulumV1];

    /// <summary>The preset for <paramref name="envId"/>.</summary>
    /// <exception cref="ArgumentException">No preset exists for the id; the message lists those that do.</exception>
    public static ZooPreset<TrpoParams> For(string envId) => ZooPreset.Find(All, envId);
}
