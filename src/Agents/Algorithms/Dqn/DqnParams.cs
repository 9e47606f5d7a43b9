using RlExperiments.Core;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Algorithms.Dqn;

/// <summary>
/// DQN's hyperparameters (Mnih et al. 2015, with the usual extensions). Defaults are Stable-Baselines3's
/// <c>DQN</c> defaults except where noted; the tuned per-environment values of rl-baselines3-zoo are in
/// <see cref="DqnPresets"/>.
/// </summary>
public sealed record DqnParams : IOffPolicyParams
{
    /// <summary>Adam learning rate (SB3: 1e-4).</summary>
    public double LearningRate { get; init; } = 1e-4;

    /// <summary>Replay-buffer capacity in transitions (SB3: 1,000,000).</summary>
    public int BufferSize { get; init; } = 1_000_000;

    /// <summary>Environment steps of uniform random actions before learning starts (SB3 ≥ 2.0: 100).</summary>
    public int LearningStarts { get; init; } = 100;

    /// <summary>Transitions per gradient step (SB3: 32).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Target-network update coefficient: 1 copies the online network (hard update), less than 1 is Polyak averaging (SB3: 1).</summary>
    public double Tau { get; init; } = 1.0;

    /// <summary>Discount factor γ (SB3: 0.99).</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>Vector steps collected between training phases (SB3: 4).</summary>
    public int TrainFreq { get; init; } = 4;

    /// <summary>Gradient steps per training phase; −1 means one per environment step collected (SB3: 1).</summary>
    public int GradientSteps { get; init; } = 1;

    /// <summary>
    /// Environment steps between target-network updates (SB3: 10,000). As in SB3 it is counted in environment steps
    /// during collection (every <c>max(TargetUpdateInterval / numEnvs, 1)</c> vector steps), not in gradient steps.
    /// </summary>
    public int TargetUpdateInterval { get; init; } = 10_000;

    /// <summary>Fraction of the training steps over which ε decays linearly (SB3: 0.1).</summary>
    public double ExplorationFraction { get; init; } = 0.1;

    /// <summary>ε at the start (SB3: 1.0).</summary>
    public double ExplorationInitialEps { get; init; } = 1.0;

    /// <summary>ε after the decay (SB3: 0.05).</summary>
    public double ExplorationFinalEps { get; init; } = 0.05;

    /// <summary>Gradients are clipped to this joint L2 norm (SB3: 10); <see cref="double.PositiveInfinity"/> disables clipping.</summary>
    public double MaxGradNorm { get; init; } = 10;

    /// <summary>Double DQN (van Hasselt et al. 2016): the online network picks the next action, the target network evaluates it. SB3 has none: false.</summary>
    public bool DoubleDqn { get; init; }

    /// <summary>Steps of the n-step return (1 = one-step TD, SB3's default).</summary>
    public int NStep { get; init; } = 1;

    /// <summary>The TD loss (SB3: Huber).</summary>
    public DqnLoss Loss { get; init; } = DqnLoss.Huber;

    /// <summary>Prioritised experience replay (Schaul et al. 2016). Default false.</summary>
    public bool PrioritizedReplay { get; init; }

    /// <summary>PER prioritisation exponent α (Schaul et al.: 0.6).</summary>
    public double PriorityAlpha { get; init; } = 0.6;

    /// <summary>PER initial importance-sampling exponent β₀, annealed linearly to 1 over training (Schaul et al.: 0.4).</summary>
    public double PriorityBeta0 { get; init; } = 0.4;

    /// <summary>PER constant added to |δ| (1e-6).</summary>
    public double PriorityEps { get; init; } = 1e-6;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid field and its allowed range.</summary>
    public void Validate()
    {
        Positive(LearningRate, nameof(LearningRate));
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
        if (NStep < 1) Fail(nameof(NStep), NStep, "≥ 1");
        if (!Enum.IsDefined(Loss)) Fail(nameof(Loss), Loss, "Huber or Mse");
        if (!(PriorityAlpha >= 0) || double.IsInfinity(PriorityAlpha)) Fail(nameof(PriorityAlpha), PriorityAlpha, "a finite number ≥ 0");
        if (!(PriorityBeta0 >= 0 && PriorityBeta0 <= 1)) Fail(nameof(PriorityBeta0), PriorityBeta0, "in [0, 1]");
        if (!(PriorityEps > 0) || double.IsInfinity(PriorityEps)) Fail(nameof(PriorityEps), PriorityEps, "a finite number > 0");
    }

    private static void Positive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value)) Fail(name, value, "a finite number > 0");
    }

    private static void Fail(string name, object value, string allowed) =>
        throw new ArgumentOutOfRangeException(name, value, $"DqnParams.{name} must be {allowed}; got {value}.");
}
