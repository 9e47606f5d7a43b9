using RlExperiments.Core;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Algorithms.Iqn;

/// <summary>
/// Implicit Quantile Network hyperparameters (Dabney et al. 2018, arXiv:1806.06923). The quantile fields keep
/// Tianshou's <c>IQNParams</c> names and defaults (<c>sample_size</c> 32, <c>online_sample_size</c> 8,
/// <c>target_sample_size</c> 8, <c>num_quantiles</c> 200, <c>num_cosines</c> 64, head <c>hidden_sizes</c> ()); the
/// replay, schedule, ε-greedy and target-network fields are DQN's (its params record, Stable-Baselines3's
/// defaults and semantics), so the rl-baselines3-zoo DQN/QR-DQN settings carry over. Tuned values are in
/// <see cref="IqnPresets"/>.
/// </summary>
public sealed record IqnParams : IOffPolicyParams
{
    /// <summary>Adam learning rate (Tianshou: 1e-3). Allowed: finite, &gt; 0.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Replay-buffer capacity in transitions (SB3: 1,000,000). Allowed: ≥ 1.</summary>
    public int BufferSize { get; init; } = 1_000_000;

    /// <summary>Environment steps of uniform random actions before learning starts (SB3: 100). Allowed: ≥ 0.</summary>
    public int LearningStarts { get; init; } = 100;

    /// <summary>Transitions per gradient step (SB3: 32). Allowed: ≥ 1.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Target-network update coefficient: 1 copies the online network, less is Polyak averaging (SB3: 1). Allowed: (0, 1].</summary>
    public double Tau { get; init; } = 1.0;

    /// <summary>Discount factor γ (0.99). Allowed: [0, 1].</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>Vector steps collected between training phases (SB3: 4). Allowed: ≥ 1.</summary>
    public int TrainFreq { get; init; } = 4;

    /// <summary>Gradient steps per training phase; −1 means one per environment step collected (SB3: 1). Allowed: ≥ 0 or −1.</summary>
    public int GradientSteps { get; init; } = 1;

    /// <summary>
    /// Environment steps between target-network updates, counted during collection as DQN's (SB3's
    /// <c>target_update_interval</c>: 10,000). Allowed: ≥ 1.
    /// </summary>
    public int TargetUpdateInterval { get; init; } = 10_000;

    /// <summary>Fraction of the training steps over which ε decays linearly (SB3: 0.1). Allowed: [0, 1].</summary>
    public double ExplorationFraction { get; init; } = 0.1;

    /// <summary>ε at the start (SB3: 1.0). Allowed: [0, 1].</summary>
    public double ExplorationInitialEps { get; init; } = 1.0;

    /// <summary>ε after the decay (SB3: 0.05). Allowed: [0, 1].</summary>
    public double ExplorationFinalEps { get; init; } = 0.05;

    /// <summary>Gradients are clipped to this joint L2 norm; Tianshou's IQN does not clip: <see cref="double.PositiveInfinity"/>. Allowed: &gt; 0.</summary>
    public double MaxGradNorm { get; init; } = double.PositiveInfinity;

    /// <summary>Quantile fractions sampled per state when exploring (Tianshou's <c>sample_size</c>: 32). Allowed: ≥ 2.</summary>
    public int SampleSize { get; init; } = 32;

    /// <summary>Quantile fractions N sampled per state for the online network in an update (Tianshou's <c>online_sample_size</c>: 8). Allowed: ≥ 2.</summary>
    public int OnlineSampleSize { get; init; } = 8;

    /// <summary>Quantile fractions N′ sampled per next state for the target network in an update (Tianshou's <c>target_sample_size</c>: 8). Allowed: ≥ 2.</summary>
    public int TargetSampleSize { get; init; } = 8;

    /// <summary>
    /// Quantile midpoints τ̂ₖ = (2k + 1)/(2K), k = 0..K−1, averaged for the greedy (deterministic) action, so evaluation
    /// needs no random numbers (Tianshou's <c>num_quantiles</c>: 200; Tianshou itself evaluates with
    /// <see cref="SampleSize"/> random fractions). Allowed: ≥ 2.
    /// </summary>
    public int NumQuantiles { get; init; } = 200;

    /// <summary>Steps of the n-step return (Tianshou's <c>n_step_return_horizon</c>: 1). Allowed: ≥ 1.</summary>
    public int NStep { get; init; } = 1;

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
        if (!(ExplorationFraction >= 0 && ExplorationFraction <= 1)) Fail(nameof(ExplorationFraction), ExplorationFraction, "in [0, 1]");
        if (!(ExplorationInitialEps >= 0 && ExplorationInitialEps <= 1)) Fail(nameof(ExplorationInitialEps), ExplorationInitialEps, "in [0, 1]");
        if (!(ExplorationFinalEps >= 0 && ExplorationFinalEps <= 1)) Fail(nameof(ExplorationFinalEps), ExplorationFinalEps, "in [0, 1]");
        if (!(MaxGradNorm > 0)) Fail(nameof(MaxGradNorm), MaxGradNorm, "> 0 (PositiveInfinity disables clipping)");
        if (SampleSize < 2) Fail(nameof(SampleSize), SampleSize, "≥ 2");
        if (OnlineSampleSize < 2) Fail(nameof(OnlineSampleSize), OnlineSampleSize, "≥ 2");
        if (TargetSampleSize < 2) Fail(nameof(TargetSampleSize), TargetSampleSize, "≥ 2");
        if (NumQuantiles < 2) Fail(nameof(NumQuantiles), NumQuantiles, "≥ 2");
        if (NStep < 1) Fail(nameof(NStep), NStep, "≥ 1");
    }

    private static void Fail(string name, object value, string allowed) =>
        throw new ArgumentOutOfRangeException(name, value, $"IqnParams.{name} must be {allowed}; got {value}.");
}
