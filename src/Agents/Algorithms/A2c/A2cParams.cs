using RlExperiments.Agents;
using RlExperiments.Agents.PolicyGradient;
using RlExperiments.Core;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Algorithms.A2c;

/// <summary>
/// Hyperparameters of synchronous advantage actor-critic (A2C; Mnih et al. 2016, synchronous as in OpenAI Baselines).
/// Names follow Tianshou's <c>A2CParams</c> .NET-cased; defaults are Tianshou's where it has them (<c>vf_coef</c> 0.5,
/// <c>ent_coef</c> 0.01, <c>gae_lambda</c> 0.95) and Stable-Baselines3's <c>A2C</c> otherwise (<c>learning_rate</c> 7e-4,
/// <c>n_steps</c> 5, <c>max_grad_norm</c> 0.5, RMSprop with α 0.99 and ε 1e-5, no advantage normalisation). An
/// immutable record of plain values: it serialises as is.
/// </summary>
public sealed record A2cParams : IActorCriticParams, IRolloutParams
{
    /// <summary>Learning rate; SB3 default 7e-4. Must be &gt; 0.</summary>
    public double LearningRate { get; init; } = 7e-4;

    /// <summary>Anneal the learning rate linearly to 0 over the run (zoo <c>lin_&lt;lr&gt;</c>); default false.</summary>
    public bool AnnealLearningRate { get; init; }

    /// <summary>Steps per environment per rollout (<c>n_steps</c>); SB3 default 5. Must be ≥ 1.</summary>
    public int NumSteps { get; init; } = 5;

    /// <summary>Discount factor γ; default 0.99. Must lie in [0, 1].</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>GAE λ; Tianshou's default 0.95 (SB3's is 1.0, plain n-step returns). Must lie in [0, 1].</summary>
    public double GaeLambda { get; init; } = 0.95;

    /// <summary>Entropy bonus coefficient (<c>ent_coef</c>); Tianshou's default 0.01 (SB3's is 0). Must be ≥ 0.</summary>
    public double EntCoef { get; init; } = 0.01;

    /// <summary>Value loss coefficient (<c>vf_coef</c>); default 0.5. Must be ≥ 0.</summary>
    public double VfCoef { get; init; } = 0.5;

    /// <summary>Gradients are clipped to this joint L2 norm (<c>max_grad_norm</c>); SB3 default 0.5. Must be &gt; 0.</summary>
    public double MaxGradNorm { get; init; } = 0.5;

    /// <summary>Normalise advantages to zero mean and unit std per minibatch (<c>normalize_advantage</c>); default false. Needs minibatches of ≥ 2.</summary>
    public bool NormalizeAdvantage { get; init; }

    /// <summary>
    /// Passes over each rollout per update; default 1, one update per rollout. Must be ≥ 1. Stable-Baselines3 calls it
    /// <c>n_epochs</c>, CleanRL <c>update_epochs</c>, Tianshou <c>repeat_per_collect</c> (<c>SamplingConfig.RepeatPerCollect</c>
    /// sets it); named so as not to be confused with <c>SamplingConfig.NumEpochs</c>, the epochs of the whole run.
    /// </summary>
    [RlExperiments.Core.OptionalInFile("renamed from numEpochs after main 2ec9ed5; files with numEpochs still load")]
    public int UpdateEpochs { get; init; } = 1;

    /// <summary>Minibatch size; null (default) means no minibatching: one gradient step on the whole rollout per pass. Must be ≥ 1 when set.</summary>
    public int? BatchSize { get; init; }

    /// <summary>
    /// The default optimiser (when the experiment sets no optimiser factory): RMSprop (SB3's <c>use_rms_prop</c>, default
    /// true) with α = <see cref="RmsPropAlpha"/> and ε = <see cref="OptimizerEps"/>, or Adam with ε = <see cref="OptimizerEps"/> when false.
    /// </summary>
    public bool UseRmsProp { get; init; } = true;

    /// <summary>RMSprop's smoothing constant α; SB3 default 0.99. Must lie in [0, 1).</summary>
    public double RmsPropAlpha { get; init; } = 0.99;

    /// <summary>The default optimiser's ε (SB3's <c>rms_prop_eps</c>, and the ε SB3 gives Adam); default 1e-5. Must be ≥ 0.</summary>
    public double OptimizerEps { get; init; } = 1e-5;

    /// <summary>Initial log standard deviation of the state-independent Gaussian; default 0. Box actions only.</summary>
    public double LogStdInit { get; init; }

    /// <summary>Normalise observations with running statistics inside the agent (SB3 <c>VecNormalize(norm_obs=True)</c>); default false.</summary>
    public bool NormalizeObservations { get; init; }

    /// <summary>Clip bound of normalised observations; default 10. Must be &gt; 0.</summary>
    public double ObservationClip { get; init; } = 10.0;

    /// <summary>Scale training rewards by the running std of discounted returns (SB3 <c>VecNormalize(norm_reward=True)</c>); default false.</summary>
    public bool NormalizeRewards { get; init; }

    /// <summary>Clip bound of scaled rewards; default 10. Must be &gt; 0.</summary>
    public double RewardClip { get; init; } = 10.0;

    /// <inheritdoc />
    int? IRolloutParams.MinibatchSize => BatchSize;

    /// <summary>Throws with the field's name and allowed range when a value is invalid.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range.</exception>
    public void Validate()
    {
        ParamChecks.Positive(nameof(LearningRate), LearningRate);
        ParamChecks.AtLeast(nameof(NumSteps), NumSteps, 1);
        ParamChecks.UnitInterval(nameof(Gamma), Gamma);
        ParamChecks.UnitInterval(nameof(GaeLambda), GaeLambda);
        ParamChecks.NonNegative(nameof(EntCoef), EntCoef);
        ParamChecks.NonNegative(nameof(VfCoef), VfCoef);
        ParamChecks.Positive(nameof(MaxGradNorm), MaxGradNorm);
        ParamChecks.AtLeast(nameof(UpdateEpochs), UpdateEpochs, 1);
        if (BatchSize is { } b)
            ParamChecks.AtLeast(nameof(BatchSize), b, NormalizeAdvantage ? 2 : 1,
                NormalizeAdvantage ? " (advantage normalisation needs at least 2 samples per minibatch), or null for the whole rollout" : " or null for the whole rollout");
        if (!(RmsPropAlpha >= 0 && RmsPropAlpha < 1))
            throw new ArgumentOutOfRangeException(nameof(RmsPropAlpha), RmsPropAlpha, $"{nameof(RmsPropAlpha)} must lie in [0, 1).");
        ParamChecks.NonNegative(nameof(OptimizerEps), OptimizerEps);
        ParamChecks.LogStd(LogStdInit);
        ParamChecks.Positive(nameof(ObservationClip), ObservationClip);
        ParamChecks.Positive(nameof(RewardClip), RewardClip);
    }
}
