using RlExperiments.Agents;
using RlExperiments.Core;
using RlExperiments.Tensors.Nn;

using RlExperiments.Agents.PolicyGradient;

namespace RlExperiments.Agents.Algorithms.Ppo;

/// <summary>
/// Hyperparameters of proximal policy optimisation (Schulman et al. 2017). Defaults are Stable-Baselines3's
/// <c>PPO</c> with <c>MlpPolicy</c>, so settings tuned there (e.g. rl-baselines3-zoo, see <see cref="PpoPresets"/>)
/// carry over unchanged. An immutable record of plain values: it serialises as is.
/// </summary>
public sealed record PpoParams : IActorCriticParams, IRolloutParams
{
    /// <summary>Adam learning rate; SB3 default 3e-4. Must be &gt; 0.</summary>
    public double LearningRate { get; init; } = 3e-4;

    /// <summary>
    /// Anneal the learning rate linearly to 0 over the run (SB3/zoo <c>lin_&lt;lr&gt;</c>:
    /// <c>lr · progress_remaining</c>, with progress_remaining = 1 − env_steps / total_steps); default false.
    /// </summary>
    public bool AnnealLearningRate { get; init; }

    /// <summary>Steps per environment per rollout (<c>n_steps</c>); SB3 default 2048. Must be ≥ 1.</summary>
    public int NumSteps { get; init; } = 2048;

    /// <summary>
    /// Minibatch size (<c>batch_size</c>); SB3 default 64. Must be ≥ 1, and ≥ 2 with <see cref="NormalizeAdvantage"/>.
    /// A value above the rollout size (NumSteps × environments) means one minibatch of the whole rollout.
    /// </summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>
    /// Passes over the rollout per update; SB3 default 10. Must be ≥ 1. Stable-Baselines3 calls it <c>n_epochs</c>, CleanRL
    /// <c>update_epochs</c>, Tianshou <c>repeat_per_collect</c> (<c>SamplingConfig.RepeatPerCollect</c> sets it); named so as
    /// not to be confused with <c>SamplingConfig.NumEpochs</c>, the epochs of the whole run (this field was <c>NumEpochs</c>
    /// before; old experiment.json files still load).
    /// </summary>
    [RlExperiments.Core.OptionalInFile("renamed from numEpochs after main 2ec9ed5; files with numEpochs still load")]
    public int UpdateEpochs { get; init; } = 10;

    /// <summary>Discount factor γ; default 0.99. Must lie in [0, 1].</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>GAE λ; default 0.95. Must lie in [0, 1].</summary>
    public double GaeLambda { get; init; } = 0.95;

    /// <summary>Clip range ε of the surrogate objective (<c>clip_range</c>); default 0.2. Must be &gt; 0.</summary>
    public double ClipRange { get; init; } = 0.2;

    /// <summary>Anneal <see cref="ClipRange"/> linearly to 0 over the run (zoo <c>lin_0.2</c>); default false.</summary>
    public bool AnnealClipRange { get; init; }

    /// <summary>
    /// Clip range of the value function around the old values (<c>clip_range_vf</c>); null (default) disables
    /// value clipping. Note that it depends on the reward scale. Must be &gt; 0 when set.
    /// </summary>
    public double? ClipRangeVf { get; init; }

    /// <summary>Normalise advantages per minibatch to zero mean and unit std (<c>normalize_advantage</c>); default true.</summary>
    public bool NormalizeAdvantage { get; init; } = true;

    /// <summary>Entropy bonus coefficient (<c>ent_coef</c>); default 0. Must be ≥ 0.</summary>
    public double EntCoef { get; init; }

    /// <summary>Value loss coefficient (<c>vf_coef</c>); default 0.5. Must be ≥ 0.</summary>
    public double VfCoef { get; init; } = 0.5;

    /// <summary>Gradients are clipped to this joint L2 norm (<c>max_grad_norm</c>); default 0.5. Must be &gt; 0.</summary>
    public double MaxGradNorm { get; init; } = 0.5;

    /// <summary>
    /// Target KL divergence (<c>target_kl</c>): an update stops its epochs at the first minibatch whose
    /// approximate KL exceeds 1.5 × this value (that minibatch's step is skipped). Null (default) disables it.
    /// Must be &gt; 0 when set.
    /// </summary>
    public double? TargetKl { get; init; }

    /// <summary>Initial log standard deviation of the state-independent Gaussian (<c>log_std_init</c>); default 0. Continuous actions only.</summary>
    public double LogStdInit { get; init; }

    /// <summary>
    /// Normalise observations with running statistics inside the agent (SB3 <c>VecNormalize(norm_obs=True)</c>,
    /// the zoo's <c>normalize: true</c>); default false. The statistics are part of the agent's state.
    /// </summary>
    public bool NormalizeObservations { get; init; }

    /// <summary>Clip bound of normalised observations (VecNormalize <c>clip_obs</c>); default 10. Must be &gt; 0.</summary>
    public double ObservationClip { get; init; } = 10.0;

    /// <summary>
    /// Scale training rewards by the running std of discounted returns (SB3 <c>VecNormalize(norm_reward=True)</c>,
    /// part of the zoo's <c>normalize: true</c>); default false.
    /// </summary>
    public bool NormalizeRewards { get; init; }

    /// <summary>Clip bound of scaled rewards (VecNormalize <c>clip_reward</c>); default 10. Must be &gt; 0.</summary>
    public double RewardClip { get; init; } = 10.0;

    /// <summary>Adam's ε; SB3's PPO uses 1e-5 (PyTorch's default is 1e-8). Must be ≥ 0.</summary>
    public double AdamEps { get; init; } = 1e-5;

    /// <inheritdoc />
    int? IRolloutParams.MinibatchSize => BatchSize;

    /// <summary>Throws with the field's name and allowed range when a value is invalid.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range.</exception>
    public void Validate()
    {
        Positive(nameof(LearningRate), LearningRate);
        AtLeast(nameof(NumSteps), NumSteps, 1);
        AtLeast(nameof(BatchSize), BatchSize, NormalizeAdvantage ? 2 : 1,
            NormalizeAdvantage ? " (advantage normalisation needs at least 2 samples per minibatch)" : "");
        AtLeast(nameof(UpdateEpochs), UpdateEpochs, 1);
        UnitInterval(nameof(Gamma), Gamma);
        UnitInterval(nameof(GaeLambda), GaeLambda);
        Positive(nameof(ClipRange), ClipRange);
        if (ClipRangeVf is { } vf) Positive(nameof(ClipRangeVf), vf, " or null to disable value clipping");
        NonNegative(nameof(EntCoef), EntCoef);
        NonNegative(nameof(VfCoef), VfCoef);
        Positive(nameof(MaxGradNorm), MaxGradNorm);
        if (TargetKl is { } kl) Positive(nameof(TargetKl), kl, " or null to disable the early stop");
        if (!double.IsFinite(LogStdInit))
            throw new ArgumentOutOfRangeException(nameof(LogStdInit), LogStdInit, "LogStdInit must be a finite number.");
        Positive(nameof(ObservationClip), ObservationClip);
        Positive(nameof(RewardClip), RewardClip);
        NonNegative(nameof(AdamEps), AdamEps);
    }

    private static void Positive(string name, double value, string hint = "")
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0{hint}.");
    }

    private static void NonNegative(string name, double value)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number ≥ 0.");
    }

    private static void UnitInterval(string name, double value)
    {
        if (!(value >= 0 && value <= 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in [0, 1].");
    }

    private static void AtLeast(string name, int value, int min, string hint = "")
    {
        if (value < min)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be ≥ {min}{hint}.");
    }
}
