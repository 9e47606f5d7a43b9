using RlExperiments.Core;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Algorithms.DiscreteSac;

/// <summary>
/// Discrete soft actor-critic's hyperparameters (Christodoulou 2019, arXiv:1910.07207). Names and defaults are Tianshou's
/// <c>DiscreteSACParams</c> (learning rates 1e-3, τ 0.005, γ 0.99, 1-step returns) with automatic α as Tianshou's
/// <c>AutoAlphaFactoryDefault</c> (lr 3e-4, log α₀ = 0, target entropy coefficient −1); the replay schedule, which
/// Tianshou keeps in its training config, is its <c>OffPolicyTrainingConfig</c>'s (batch 64, one update per step).
/// </summary>
public sealed record DiscreteSacParams : IOffPolicyParams
{
    /// <summary>Adam learning rate of the actor (Tianshou's <c>actor_lr</c>: 1e-3). Allowed: finite, &gt; 0.</summary>
    public double ActorLearningRate { get; init; } = 1e-3;

    /// <summary>Adam learning rate of both critics (Tianshou's <c>critic1_lr</c> and <c>critic2_lr</c>: 1e-3). Allowed: finite, &gt; 0.</summary>
    public double CriticLearningRate { get; init; } = 1e-3;

    /// <summary>Adam learning rate of log α with <see cref="AutoAlpha"/> (Tianshou's <c>AutoAlphaFactoryDefault.lr</c>: 3e-4). Allowed: finite, &gt; 0.</summary>
    public double AlphaLearningRate { get; init; } = 3e-4;

    /// <summary>Replay-buffer capacity in transitions (1,000,000). Allowed: ≥ 1.</summary>
    public int BufferSize { get; init; } = 1_000_000;

    /// <summary>Environment steps of uniform random actions before learning starts (100). Allowed: ≥ 0.</summary>
    public int LearningStarts { get; init; } = 100;

    /// <summary>Transitions per gradient step (Tianshou's <c>batch_size</c>: 64). Allowed: ≥ 1.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Polyak coefficient of the target critics, θ' ← τθ + (1 − τ)θ' (Tianshou: 0.005). Allowed: (0, 1].</summary>
    public double Tau { get; init; } = 0.005;

    /// <summary>Discount factor γ (Tianshou: 0.99). Allowed: [0, 1].</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>Vector steps collected between training phases (1). Allowed: ≥ 1.</summary>
    public int TrainFreq { get; init; } = 1;

    /// <summary>Gradient steps per training phase; −1 means one per environment step collected (1). Allowed: ≥ 0 or −1.</summary>
    public int GradientSteps { get; init; } = 1;

    /// <summary>Whether α is learned towards the target entropy (Tianshou: with an <c>AutoAlphaFactory</c>).</summary>
    public bool AutoAlpha { get; init; } = true;

    /// <summary>The entropy coefficient α when <see cref="AutoAlpha"/> is false (Tianshou's <c>alpha</c>: 0.2). Allowed: finite, ≥ 0.</summary>
    public double Alpha { get; init; } = 0.2;

    /// <summary>Initial log α with <see cref="AutoAlpha"/> (Tianshou's <c>log_alpha</c>: 0). Allowed: finite.</summary>
    public double InitialLogAlpha { get; init; }

    /// <summary>
    /// The target entropy is this coefficient times log|A| (Tianshou's <c>AutoAlphaFactoryDefault.target_entropy_coefficient</c>:
    /// −1). Allowed: finite.
    /// </summary>
    /// <remarks>
    /// A categorical policy's entropy lies in [0, log|A|]. With −1 the target −log|A| is below anything the policy can
    /// reach, so the entropy always exceeds it and α only shrinks: entropy regularisation fades out as training goes on
    /// (Tianshou's "trade-off between exploration and exploitation"). The commonly used 0.98·log|A| (Christodoulou 2019;
    /// Tianshou's <c>test_discrete_sac.py --auto_alpha</c>) asks for an almost uniform policy instead, so α grows whenever
    /// the policy becomes decisive — strong exploration, but on small tasks it holds the policy near uniform (the reason
    /// the Tianshou test notes "better not to use auto alpha in CartPole").
    /// </remarks>
    public double TargetEntropyCoefficient { get; init; } = -1.0;

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
        if (!(Alpha >= 0) || double.IsInfinity(Alpha)) Fail(nameof(Alpha), Alpha, "a finite number ≥ 0");
        if (!double.IsFinite(InitialLogAlpha)) Fail(nameof(InitialLogAlpha), InitialLogAlpha, "finite");
        if (!double.IsFinite(TargetEntropyCoefficient)) Fail(nameof(TargetEntropyCoefficient), TargetEntropyCoefficient, "finite");
        if (NStep < 1) Fail(nameof(NStep), NStep, "≥ 1");
    }

    private static void Rate(string name, double value)
    {
        if (!(value > 0) || double.IsInfinity(value)) Fail(name, value, "a finite number > 0");
    }

    private static void Fail(string name, object value, string allowed) =>
        throw new ArgumentOutOfRangeException(name, value, $"DiscreteSacParams.{name} must be {allowed}; got {value}.");
}
