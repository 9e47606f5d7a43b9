using RlExperiments.Agents.Presets;

namespace RlExperiments.Agents.Algorithms.Redq;

/// <summary>Published REDQ settings as presets for <see cref="RedqParams"/>.</summary>
public static class RedqPresets
{
    /// <summary>
    /// Pendulum-v1, 10k steps: Tianshou's <c>test/continuous/test_redq.py</c> (thu-ml/tianshou) — buffer 20,000, subset 2,
    /// actor lr 1e-4, critic lr 1e-3, γ 0.99, τ 0.005, 1000 random start steps, <c>update_per_step</c> 3 with
    /// <c>actor_delay</c> 3 (three critic steps and one actor step per environment step), batch 64, [64, 64] networks,
    /// 1-step returns — with the REDQ paper's (Chen et al. 2021, arXiv:2101.05982) ensemble of N = 10 critics (the test
    /// uses 4) and automatic α (target entropy −dim(A), α lr 3e-4 as the test's <c>--auto_alpha</c>).
    /// </summary>
    public static ZooPreset<RedqParams> PendulumV1 { get; } = new("REDQ", "Pendulum-v1", new RedqParams
    {
        BufferSize = 20_000,
        EnsembleSize = 10,
        SubsetSize = 2,
        ActorLearningRate = 1e-4,
        CriticLearningRate = 1e-3,
        AlphaLearningRate = 3e-4,
        Gamma = 0.99,
        Tau = 0.005,
        LearningStarts = 1_000,
        GradientSteps = 3,
        ActorDelay = 3,
        BatchSize = 64,
    }, 10_000, NetArch: [64, 64]);

    /// <summary>Every preset.</summary>
    public static IReadOnlyList<ZooPreset<RedqParams>> All { get; } = [PendulumV1];

    /// <summary>The preset for <paramref name="envId"/>.</summary>
    /// <exception cref="ArgumentException">No preset exists for the id; the message lists those that do.</exception>
    public static ZooPreset<RedqParams> For(string envId) => ZooPreset.Find(All, envId);
}
