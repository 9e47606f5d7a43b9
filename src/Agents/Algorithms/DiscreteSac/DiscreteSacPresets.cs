using RlExperiments.Agents.Presets;

namespace RlExperiments.Agents.Algorithms.DiscreteSac;

/// <summary>Published discrete SAC settings as presets for <see cref="DiscreteSacParams"/>.</summary>
public static class DiscreteSacPresets
{
    /// <summary>
    /// CartPole-v1, 100k steps: Tianshou's <c>test/discrete/test_discrete_sac.py</c> (thu-ml/tianshou) — buffer 20,000,
    /// actor lr 1e-4, critic lr 1e-3, γ 0.95, τ 0.005, fixed α 0.05 (the test leaves <c>--auto_alpha</c> off: "better not
    /// to use auto alpha in CartPole"), 3-step returns, batch 64, [64, 64] networks, one gradient step per 10 environment
    /// steps (<c>update_per_step</c> 0.1).
    /// </summary>
    public static ZooPreset<DiscreteSacParams> CartPoleV1 { get; } = new("DiscreteSAC", "CartPole-v1", new DiscreteSacParams
    {
        BufferSize = 20_000,
        ActorLearningRate = 1e-4,
        CriticLearningRate = 1e-3,
        Gamma = 0.95,
        Tau = 0.005,
        AutoAlpha = false,
        Alpha = 0.05,
        NStep = 3,
        BatchSize = 64,
        HiddenSizes = [64, 64],
        TrainFreq = 10,
        GradientSteps = 1,
        LearningStarts = 0,
    }, 100_000);

    /// <summary>
    /// Acrobot-v1, 100k steps: the CartPole-v1 settings of Tianshou's <c>test_discrete_sac.py</c> (Tianshou has no Acrobot
    /// script) with γ 0.99, the discount of Acrobot's long episodes in rl-baselines3-zoo and Tianshou's defaults.
    /// </summary>
    public static ZooPreset<DiscreteSacParams> AcrobotV1 { get; } = new("DiscreteSAC", "Acrobot-v1", CartPoleV1.Params with { Gamma = 0.99 }, 100_000);

    /// <summary>Every preset.</summary>
    public static IReadOnlyList<ZooPreset<DiscreteSacParams>> All { get; } = [CartPoleV1, AcrobotV1];

    /// <summary>The preset for <paramref name="envId"/>.</summary>
    /// <exception cref="ArgumentException">No preset exists for the id; the message lists those that do.</exception>
    public static ZooPreset<DiscreteSacParams> For(string envId) => ZooPreset.Find(All, envId);
}
