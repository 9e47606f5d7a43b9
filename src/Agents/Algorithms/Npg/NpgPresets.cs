using RlExperiments.Agents.Presets;

namespace RlExperiments.Agents.Algorithms.Npg;

/// <summary>
/// NPG settings from Tianshou's test script <c>test/continuous/test_npg.py</c> (thu-ml/tianshou; neither
/// rl-baselines3-zoo nor Tianshou's <c>test/discrete</c> has NPG settings): 16 training envs, 2048 env steps per
/// collect (<see cref="RlExperiments.Agents.PolicyGradient.NaturalGradientParams.NumSteps"/> 128 per env), update_step_num_repetitions 2 (<see cref="RlExperiments.Agents.PolicyGradient.NaturalGradientParams.NumEpochs"/>),
/// batch_size 99999 (one step on the whole rollout, <see cref="RlExperiments.Agents.PolicyGradient.NaturalGradientParams.BatchSize"/> null), lr 1e-3, gamma 0.95,
/// gae_lambda 0.95, hidden_sizes [64, 64] with Tanh, advantage_normalization 1, optim_critic_iters 5,
/// trust_region_size 0.5, return_scaling 1. Two translations: Tianshou's <c>return_scaling</c> (critic targets divided by
/// the running std of returns) becomes <see cref="RlExperiments.Agents.PolicyGradient.NaturalGradientParams.NormalizeRewards"/> (rewards divided by the running std of
/// discounted returns; advantages are normalised afterwards either way), and the script's orthogonal init with gain 1 on
/// every layer becomes <see cref="RlExperiments.Agents.PolicyGradient.NaturalGradientParams.OrthoInit"/> (gains √2 hidden, 0.01 policy head, 1 value head).
/// </summary>
public static class NpgPresets
{
    /// <summary>The settings of <c>test/continuous/test_npg.py</c> (see the class summary).</summary>
    private static NpgParams TianshouTest => new()
    {
        NumSteps = 128, NumEpochs = 2, BatchSize = null, LearningRate = 1e-3, Gamma = 0.95, GaeLambda = 0.95, HiddenSizes = [64, 64],
        NormalizeAdvantage = true, OptimCriticIters = 5, TrustRegionSize = 0.5, NormalizeRewards = true, OrthoInit = true,
    };

    /// <summary>Pendulum-v1, the script's own task (5 epochs × 50000 steps, stopping at −250): the script's settings as they are.</summary>
    public static ZooPreset<NpgParams> PendulumV1 { get; } = new("NPG", "Pendulum-v1", TianshouTest, TotalTimesteps: 250_000, NumEnvs: 16);

    /// <summary>CartPole-v1: the same script's settings (no published NPG settings for CartPole exist).</summary>
    public static ZooPreset<NpgParams> CartPoleV1 { get; } = new("NPG", "CartPole-v1", TianshouTest, TotalTimesteps: 250_000, NumEnvs: 16);

    /// <summary>Every preset.</summary>
    public static IReadOnlyList<ZooPreset<NpgParams>> All { get; } = [CartPoleV1, PendulumV1];

    /// <summary>The preset for <paramref name="envId"/>.</summary>
    /// <exception cref="ArgumentException">No preset exists for the id; the message lists those that do.</exception>
    public static ZooPreset<NpgParams> For(string envId) => ZooPreset.Find(All, envId);
}
