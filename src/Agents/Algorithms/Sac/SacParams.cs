using RlExperiments.Core;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Algorithms.Sac;

/// <summary>
/// Soft Actor-Critic's hyperparameters (Haarnoja et al. 2018, with automatic entropy tuning). Defaults are
/// Stable-Baselines3's <c>SAC</c> defaults; the zoo's tuned values are in <see cref="SacPresets"/>.
/// </summary>
public sealed record SacParams : IOffPolicyParams
{
    /// <summary>Adam learning rate of the actor, the critics and the entropy coefficient (SB3: 3e-4).</summary>
    public double LearningRate { get; init; } = 3e-4;

    /// <summary>Replay-buffer capacity in transitions (SB3: 1,000,000).</summary>
    public int BufferSize { get; init; } = 1_000_000;

    /// <summary>Environment steps of uniform random actions before learning starts (SB3: 100).</summary>
    public int LearningStarts { get; init; } = 100;

    /// <summary>Transitions per gradient step (SB3: 256).</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Polyak coefficient of the target critics, θ' ← τθ + (1 − τ)θ' (SB3: 0.005).</summary>
    public double Tau { get; init; } = 0.005;

    /// <summary>Discount factor γ (SB3: 0.99).</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>Vector steps collected between training phases (SB3: 1).</summary>
    public int TrainFreq { get; init; } = 1;

    /// <summary>Gradient steps per training phase; −1 means one per environment step collected (SB3: 1).</summary>
    public int GradientSteps { get; init; } = 1;

    /// <summary>Gradient steps between target-critic updates (SB3: 1).</summary>
    public int TargetUpdateInterval { get; init; } = 1;

    /// <summary>Whether the entropy coefficient α is learned (SB3's <c>ent_coef="auto"</c>: true).</summary>
    public bool AutoEntCoef { get; init; } = true;

    /// <summary>The entropy coefficient α: its initial value when <see cref="AutoEntCoef"/> (SB3's "auto" starts at 1.0), else the fixed value.</summary>
    public double EntCoef { get; init; } = 1.0;

    /// <summary>The entropy target of automatic tuning; null means −dim(A) (SB3's "auto").</summary>
    public double? TargetEntropy { get; init; }

    /// <summary>Steps of the n-step return for the critic target (1, SB3's default).</summary>
    public int NStep { get; init; } = 1;

    /// <summary>Gradient clipping of actor and critics to this joint L2 norm; SB3's SAC does not clip: <see cref="double.PositiveInfinity"/>.</summary>
    public double MaxGradNorm { get; init; } = double.PositiveInfinity;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid field and its allowed range.</summary>
    public void Validate()
    {
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) Fail(nameof(LearningRate), LearningRate, "a finite number > 0");
        if (BufferSize < 1) Fail(nameof(BufferSize), BufferSize, "≥ 1");
        if (LearningStarts < 0) Fail(nameof(LearningStarts), LearningStarts, "≥ 0");
        if (BatchSize < 1) Fail(nameof(BatchSize), BatchSize, "≥ 1");
        if (!(Tau > 0 && Tau <= 1)) Fail(nameof(Tau), Tau, "in (0, 1]");
        if (!(Gamma >= 0 && Gamma <= 1)) Fail(nameof(Gamma), Gamma, "in [0, 1]");
        if (TrainFreq < 1) Fail(nameof(TrainFreq), TrainFreq, "≥ 1");
        if (GradientSteps < -1 || GradientSteps > IOffPolicyParams.MaxGradientSteps) Fail(nameof(GradientSteps), GradientSteps, $"0..{IOffPolicyParams.MaxGradientSteps}, or −1 for one per environment step collected");
        if (TargetUpdateInterval < 1) Fail(nameof(TargetUpdateInterval), TargetUpdateInterval, "≥ 1");
        if (!(EntCoef > 0) || double.IsInfinity(EntCoef)) Fail(nameof(EntCoef), EntCoef, "a finite number > 0");
        if (TargetEntropy is { } h && !double.IsFinite(h)) Fail(nameof(TargetEntropy), h, "finite, or null for −dim(A)");
        if (NStep < 1) Fail(nameof(NStep), NStep, "≥ 1");
        if (!(MaxGradNorm > 0)) Fail(nameof(MaxGradNorm), MaxGradNorm, "> 0 (PositiveInfinity disables clipping)");
    }

    private static void Fail(string name, object value, string allowed) =>
        throw new ArgumentOutOfRangeException(name, value, $"SacParams.{name} must be {allowed}; got {value}.");
}
