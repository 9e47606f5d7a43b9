using RlExperiments.Agents.ContinuousControl;
using RlExperiments.Core;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Algorithms.Td3;

/// <summary>
/// Twin Delayed DDPG's hyperparameters (Fujimoto et al. 2018): twin critics with clipped double-Q, target policy
/// smoothing and delayed actor and target updates. Defaults are Stable-Baselines3's <c>TD3</c> defaults, which agree
/// with Tianshou's <c>TD3Params</c> (policy noise 0.2, noise clip 0.5, actor delay 2), with the exploration noise of
/// Tianshou's TD3 (<c>MaxActionScaledGaussian(0.1)</c>); the zoo's tuned values are in <see cref="Td3Presets"/>.
/// </summary>
public sealed record Td3Params : IOffPolicyParams
{
    /// <summary>Adam learning rate of the actor and the critics (SB3 and Tianshou: 1e-3). Allowed: finite, &gt; 0.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Replay-buffer capacity in transitions (SB3: 1,000,000). Allowed: ≥ 1.</summary>
    public int BufferSize { get; init; } = 1_000_000;

    /// <summary>Environment steps of uniform random actions before learning starts (SB3: 100). Allowed: ≥ 0.</summary>
    public int LearningStarts { get; init; } = 100;

    /// <summary>Transitions per gradient step (SB3: 256). Allowed: ≥ 1.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Polyak coefficient of the target actor and critics, θ' ← τθ + (1 − τ)θ' (SB3 and Tianshou: 0.005). Allowed: (0, 1].</summary>
    public double Tau { get; init; } = 0.005;

    /// <summary>Discount factor γ (SB3 and Tianshou: 0.99). Allowed: [0, 1].</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>Vector steps collected between training phases (SB3: 1). Allowed: ≥ 1.</summary>
    public int TrainFreq { get; init; } = 1;

    /// <summary>Gradient steps per training phase; −1 means one per environment step collected (SB3: 1). Allowed: ≥ 0 or −1.</summary>
    public int GradientSteps { get; init; } = 1;

    /// <summary>
    /// Standard deviation σ of the Gaussian exploration noise added to μ(s) ∈ (−1, 1) before clipping, i.e. relative to
    /// the Box's half-range (Tianshou's <c>MaxActionScaledGaussian(0.1)</c>, SB3's <c>NormalActionNoise(0, 0.1)</c> on the
    /// scaled action: 0.1). Allowed: finite, ≥ 0 (0 explores only through the warm-up).
    /// </summary>
    public double ExplorationNoise { get; init; } = 0.1;

    /// <summary>
    /// The exploration noise process σ scales: independent Gaussian each step (SB3's <c>NormalActionNoise</c>, the
    /// default) or Ornstein–Uhlenbeck (the zoo's <c>noise_type: 'ornstein-uhlenbeck'</c>). Allowed: a defined value.
    /// </summary>
    [RlExperiments.Core.OptionalInFile("added after main 2ec9ed5; missing means the default")]
    public ExplorationNoiseType NoiseType { get; init; } = ExplorationNoiseType.Normal;

    /// <summary>
    /// Standard deviation of the target policy smoothing noise added to μ'(s') ∈ (−1, 1), relative to the Box's
    /// half-range (SB3's <c>target_policy_noise</c>, Tianshou's <c>policy_noise</c>: 0.2). Allowed: finite, ≥ 0.
    /// </summary>
    public double PolicyNoise { get; init; } = 0.2;

    /// <summary>
    /// The smoothing noise is clipped to [−c, c], relative to the Box's half-range (SB3's <c>target_noise_clip</c>,
    /// Tianshou's <c>noise_clip</c>: 0.5). Allowed: finite, ≥ 0.
    /// </summary>
    public double NoiseClip { get; init; } = 0.5;

    /// <summary>
    /// Critic steps per actor step; the target networks are updated with the actor (SB3's <c>policy_delay</c>,
    /// Tianshou's <c>update_actor_freq</c>: 2). Allowed: ≥ 1.
    /// </summary>
    public int UpdateActorFreq { get; init; } = 2;

    /// <summary>Steps of the n-step return for the critic target (1, SB3's default). Allowed: ≥ 1.</summary>
    public int NStep { get; init; } = 1;

    /// <summary>Gradient clipping of actor and critics to this L2 norm; SB3's TD3 does not clip: <see cref="double.PositiveInfinity"/>. Allowed: &gt; 0.</summary>
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
        if (!(ExplorationNoise >= 0) || double.IsInfinity(ExplorationNoise)) Fail(nameof(ExplorationNoise), ExplorationNoise, "a finite number ≥ 0");
        if (!Enum.IsDefined(NoiseType)) Fail(nameof(NoiseType), NoiseType, $"one of {string.Join(", ", Enum.GetNames<ExplorationNoiseType>())}");
        if (!(PolicyNoise >= 0) || double.IsInfinity(PolicyNoise)) Fail(nameof(PolicyNoise), PolicyNoise, "a finite number ≥ 0");
        if (!(NoiseClip >= 0) || double.IsInfinity(NoiseClip)) Fail(nameof(NoiseClip), NoiseClip, "a finite number ≥ 0");
        if (UpdateActorFreq < 1) Fail(nameof(UpdateActorFreq), UpdateActorFreq, "≥ 1");
        if (NStep < 1) Fail(nameof(NStep), NStep, "≥ 1");
        if (!(MaxGradNorm > 0)) Fail(nameof(MaxGradNorm), MaxGradNorm, "> 0 (PositiveInfinity disables clipping)");
    }

    private static void Fail(string name, object value, string allowed) =>
        throw new ArgumentOutOfRangeException(name, value, $"Td3Params.{name} must be {allowed}; got {value}.");
}
