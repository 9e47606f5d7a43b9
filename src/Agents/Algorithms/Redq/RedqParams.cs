using RlExperiments.Core;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Algorithms.Redq;

/// <summary>
/// Randomized Ensembled Double Q-learning's hyperparameters (Chen et al. 2021, arXiv:2101.05982). Names and defaults are
/// Tianshou's <c>REDQParams</c> (ensemble 10, subset 2, actor delay 20, target mode "min", τ 0.005, γ 0.99, learning rates
/// 1e-3) with automatic α as Tianshou's <c>AutoAlphaFactoryDefault</c> (lr 3e-4, log α₀ = 0, target entropy −dim(A));
/// the replay schedule, which Tianshou keeps in its training config, is the REDQ paper's (batch 256, update-to-data
/// ratio G = 20, 5000 random steps, [256, 256] networks).
/// </summary>
/// <remarks>
/// Tianshou's names: the update-to-data ratio G, critic steps per environment step, is the trainer's
/// <c>update_per_step</c> (here <see cref="GradientSteps"/> with <see cref="TrainFreq"/> 1); <c>actor_delay</c>
/// (<see cref="ActorDelay"/>) is the number of critic steps per actor (and α) step. The paper's REDQ sets both to G,
/// i.e. one actor step per environment step.
/// </remarks>
public sealed record RedqParams : IOffPolicyParams
{
    /// <summary>Adam learning rate of the actor (Tianshou's <c>actor_lr</c>: 1e-3). Allowed: finite, &gt; 0.</summary>
    public double ActorLearningRate { get; init; } = 1e-3;

    /// <summary>Adam learning rate of the critic ensemble (Tianshou's <c>critic_lr</c>: 1e-3). Allowed: finite, &gt; 0.</summary>
    public double CriticLearningRate { get; init; } = 1e-3;

    /// <summary>Adam learning rate of log α with <see cref="AutoAlpha"/> (Tianshou's <c>AutoAlphaFactoryDefault.lr</c>: 3e-4). Allowed: finite, &gt; 0.</summary>
    public double AlphaLearningRate { get; init; } = 3e-4;

    /// <summary>Replay-buffer capacity in transitions (REDQ paper: 1,000,000). Allowed: ≥ 1.</summary>
    public int BufferSize { get; init; } = 1_000_000;

    /// <summary>Environment steps of uniform random actions before learning starts (REDQ paper: 5000). Allowed: ≥ 0.</summary>
    public int LearningStarts { get; init; } = 5_000;

    /// <summary>Transitions per gradient step (REDQ paper: 256). Allowed: ≥ 1.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Polyak coefficient of the target critics, θ' ← τθ + (1 − τ)θ', after every critic step (Tianshou: 0.005). Allowed: (0, 1].</summary>
    public double Tau { get; init; } = 0.005;

    /// <summary>Discount factor γ (Tianshou: 0.99). Allowed: [0, 1].</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>Vector steps collected between training phases (1). Allowed: ≥ 1.</summary>
    public int TrainFreq { get; init; } = 1;

    /// <summary>
    /// Critic (gradient) steps per training phase, the update-to-data ratio G with <see cref="TrainFreq"/> 1 (Tianshou's
    /// trainer <c>update_per_step</c>; REDQ paper: 20); −1 means one per environment step collected. Allowed: ≥ 0 or −1.
    /// </summary>
    public int GradientSteps { get; init; } = 20;

    /// <summary>Critics in the ensemble N (Tianshou's <c>ensemble_size</c>: 10). Allowed: ≥ 1.</summary>
    public int EnsembleSize { get; init; } = 10;

    /// <summary>Critics M drawn without replacement for each target (Tianshou's <c>subset_size</c>: 2). Allowed: 1 ≤ M ≤ <see cref="EnsembleSize"/>.</summary>
    public int SubsetSize { get; init; } = 2;

    /// <summary>Critic steps per actor and α step (Tianshou's <c>actor_delay</c>: 20). Allowed: ≥ 1.</summary>
    public int ActorDelay { get; init; } = 20;

    /// <summary>How the subset's target Q-values are aggregated (Tianshou's <c>target_mode</c>: "min"). Allowed: Min, Mean.</summary>
    public RedqTargetMode TargetMode { get; init; } = RedqTargetMode.Min;

    /// <summary>Whether α is learned towards <see cref="TargetEntropy"/> (REDQ paper: yes; Tianshou: with an <c>AutoAlphaFactory</c>).</summary>
    public bool AutoAlpha { get; init; } = true;

    /// <summary>The entropy coefficient α when <see cref="AutoAlpha"/> is false (Tianshou's <c>alpha</c>: 0.2). Allowed: finite, ≥ 0.</summary>
    public double Alpha { get; init; } = 0.2;

    /// <summary>Initial log α with <see cref="AutoAlpha"/> (Tianshou's <c>AutoAlphaFactoryDefault.log_alpha</c>: 0). Allowed: finite.</summary>
    public double InitialLogAlpha { get; init; }

    /// <summary>The entropy target of automatic α; null means −dim(A) (Tianshou's coefficient −1 times dim(A)). Allowed: finite or null.</summary>
    public double? TargetEntropy { get; init; }

    /// <summary>Steps of the n-step return (Tianshou's <c>n_step_return_horizon</c>: 1). Allowed: ≥ 1.</summary>
    public int NStep { get; init; } = 1;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid field and its allowed range.</summary>
    public void Validate()
    {
        Rate(nameof(ActorLearningRate), ActorLearningRate);
        Rate(nameof(CriticLearningRate), CriticLearningRate);
        Rate(nameof(AlphaLearningRate), AlphaLearningRate);
        if (BufferSize < 1) Fail(nameof(BufferSize), BufferSize, "≥ 1");
        if (LearningStarts < 0) Fail(nameof(LearningStarts), LearningStarts, "≥ 0");
        if (BatchSize < 1) Fail(nameof(BatchSize), BatchSize, "≥ 1");
        if (!(Tau > 0 && Tau <= 1)) Fail(nameof(Tau), Tau, "in (0, 1]");
        if (!(Gamma >= 0 && Gamma <= 1)) Fail(nameof(Gamma), Gamma, "in [0, 1]");
        if (TrainFreq < 1) Fail(nameof(TrainFreq), TrainFreq, "≥ 1");
        if (GradientSteps < -1 || GradientSteps > IOffPolicyParams.MaxGradientSteps) Fail(nameof(GradientSteps), GradientSteps, $"0..{IOffPolicyParams.MaxGradientSteps}, or −1 for one per environment step collected");
        if (EnsembleSize < 1) Fail(nameof(EnsembleSize), EnsembleSize, "≥ 1");
        if (SubsetSize < 1 || SubsetSize > EnsembleSize) Fail(nameof(SubsetSize), SubsetSize, $"in [1, EnsembleSize ({EnsembleSize})]");
        if (ActorDelay < 1) Fail(nameof(ActorDelay), ActorDelay, "≥ 1");
        if (!Enum.IsDefined(TargetMode)) Fail(nameof(TargetMode), TargetMode, "Min or Mean");
        if (!(Alpha >= 0) || double.IsInfinity(Alpha)) Fail(nameof(Alpha), Alpha, "a finite number ≥ 0");
        if (!double.IsFinite(InitialLogAlpha)) Fail(nameof(InitialLogAlpha), InitialLogAlpha, "finite");
        if (TargetEntropy is { } h && !double.IsFinite(h)) Fail(nameof(TargetEntropy), h, "finite, or null for −dim(A)");
        if (NStep < 1) Fail(nameof(NStep), NStep, "≥ 1");
    }

    private static void Rate(string name, double value)
    {
        if (!(value > 0) || double.IsInfinity(value)) Fail(name, value, "a finite number > 0");
    }

    private static void Fail(string name, object value, string allowed) =>
        throw new ArgumentOutOfRangeException(name, value, $"RedqParams.{name} must be {allowed}; got {value}.");
}
