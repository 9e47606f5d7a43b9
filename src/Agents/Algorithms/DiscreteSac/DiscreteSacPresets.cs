using RlExperiments.Agents.Presets;

namespace RlExperiments.Agents.Algorithms.DiscreteSac;

/// <summary>Published discrete SAC settings as presets for <see cref="DiscreteSacParams"/>.</summary>
public static class DiscreteSacPresets
{
    /// <summary>
    /// CartPole-v1, 100k steps: Tianshou's <c>test/discrete/test_discrete_sac.py</c> (thu-ml/tianshou) — buffer 20,000,
    /// actor lr 1e-4, critic lr 1e-3, τ 0.005, fixed α 0.05 (the test leaves <c>--auto_alpha</c> off: "better not to use
    /// auto alpha in CartPole"), 3-step returns, batch 64, [64, 64] networks, 10 environment steps per collect — with two
    /// changes, because the test only asks for a return of 170 within 50k steps: γ 0.99 instead of 0.95 (Tianshou's and
    /// rl-baselines3-zoo's default) and one gradient step per environment step instead of <c>update_per_step</c> 0.1. With
    /// the test's own values the 100k-step returns were 340, 205, 302, 199, 242 (seeds 0–4); with one step per environment
    /// step but γ 0.95, 500, 256, 188.
    /// </summary>
    public static ZooPreset<DiscreteSacParams> CartPoleV1 { get; } = new("DiscreteSAC", "CartPole-v1", new DiscreteSacParams
    {
        BufferSize = 20_000,
        ActorLearningRate = 1e-4,
        CriticLearningRate = 1e-3,
        Gamma = 0.99,
        Tau = 0.005,
        AutoAlpha = false,
        Alpha = 0.05,
        NStep = 3,
        BatchSize = 64,
        TrainFreq = 10,
        GradientSteps = 10,
        LearningStarts = 0,
    }, 100_000, NetArch: [64, 64]);

    /// <summary>
    /// Acrobot-v1, 100k steps: the CartPole-v1 settings above (Tianshou has no discrete SAC script for Acrobot).
    /// </summary>
    public static ZooPreset<DiscreteSacParams> AcrobotV1 { get; } = new("DiscreteSAC", "Acrobot-v1", CartPoleV1.Params, 100_000);

    /// <summary>Every preset.</summary>
    public static IReadOnlyList<ZooPreset<DiscreteSacParams>> All { get; } = [CartPoleV1, AcrobotV1];

    /// <summary>The preset for <paramref name="envId"/>.</summary>
    /// <exception cref="ArgumentException">No preset exists for the id; the message lists those that do.</exception>
    public static ZooPreset<DiscreteSacParams> For(string envId) => ZooPreset.Find(All, envId);
}
