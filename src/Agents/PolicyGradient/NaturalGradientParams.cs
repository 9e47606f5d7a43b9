using RlExperiments.Agents;
using RlExperiments.Core;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.PolicyGradient;

/// <summary>
/// The hyperparameters NPG and TRPO share (Tianshou's <c>NPGParams</c>, which <c>TRPOParams</c> extends), .NET-cased.
/// Defaults are Tianshou's where it has them (<c>lr</c> 1e-3 for the critic's Adam, <c>gae_lambda</c> 0.95,
/// <c>advantage_normalization</c> true, <c>optim_critic_iters</c> 5, conjugate gradient with 10 iterations and damping 0.1)
/// and Stable-Baselines3's <c>TRPO</c> otherwise (<c>n_steps</c> 2048, <c>net_arch</c> [64, 64] with Tanh). Immutable
/// records of plain values: they serialise as is.
/// </summary>
public abstract record NaturalGradientParams : IActorCriticParams, IRolloutParams
{
    /// <summary>The critic's Adam learning rate (Tianshou's <c>lr</c>); default 1e-3. Must be &gt; 0. The actor is moved by the natural-gradient step, not by an optimiser.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Steps per environment per rollout (<c>n_steps</c>); SB3's default 2048. Must be ≥ 1.</summary>
    public int NumSteps { get; init; } = 2048;

    /// <summary>Discount factor γ; default 0.99. Must lie in [0, 1].</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>GAE λ; default 0.95. Must lie in [0, 1].</summary>
    public double GaeLambda { get; init; } = 0.95;

    /// <summary>Normalise advantages to zero mean and unit std per minibatch (Tianshou's <c>advantage_normalization</c>); default true. Needs minibatches of ≥ 2.</summary>
    public bool NormalizeAdvantage { get; init; } = true;

    /// <summary>
    /// Passes over each rollout per update (of the critic); default 1. Must be ≥ 1. Stable-Baselines3 calls it
    /// <c>n_epochs</c>, CleanRL <c>update_epochs</c>, Tianshou <c>repeat_per_collect</c> (<c>SamplingConfig.RepeatPerCollect</c>
    /// sets it); named so as not to be confused with <c>SamplingConfig.NumEpochs</c>, the epochs of the whole run.
    /// </summary>
    [RlExperiments.Core.OptionalInFile("renamed from numEpochs after main 2ec9ed5; files with numEpochs still load")]
    public int UpdateEpochs { get; init; } = 1;

    /// <summary>Minibatch size of each natural-gradient step; null (default) means one step on the whole rollout per pass (Tianshou's MuJoCo examples). Must be ≥ 1 when set.</summary>
    public int? BatchSize { get; init; }

    /// <summary>
    /// Adam steps of the critic on each actor minibatch (Tianshou's <c>optim_critic_iters</c>), or, when
    /// <see cref="CriticBatchSize"/> is set, passes of the critic over the whole rollout (sb3-contrib's <c>n_critic_updates</c>);
    /// default 5. Must be ≥ 1.
    /// </summary>
    public int OptimCriticIters { get; init; } = 5;

    /// <summary>
    /// Null (default): the critic takes <see cref="OptimCriticIters"/> Adam steps on each actor minibatch, right after the
    /// actor's step (Tianshou's <c>NPG</c>/<c>TRPO</c>). Set: after the actor's steps, the critic makes
    /// <see cref="OptimCriticIters"/> shuffled passes over the rollout in minibatches of this size, one Adam step each
    /// (sb3-contrib's <c>TRPO</c> with <c>batch_size</c>). Must be ≥ 1 when set.
    /// </summary>
    [RlExperiments.Core.OptionalInFile("added after main 2ec9ed5; missing means the default")]
    public int? CriticBatchSize { get; init; }

    /// <summary>Conjugate-gradient iterations solving <c>F x = g</c>; default 10 (Tianshou's). Must be ≥ 1.</summary>
    public int CgIterations { get; init; } = 10;

    /// <summary>Damping c of the Fisher matrix, <c>F + c·I</c>; default 0.1 (Tianshou's and SB3's <c>cg_damping</c>). Must be ≥ 0.</summary>
    public double CgDamping { get; init; } = 0.1;

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
    public virtual void Validate()
    {
        ParamChecks.Positive(nameof(LearningRate), LearningRate);
        ParamChecks.AtLeast(nameof(NumSteps), NumSteps, 1);
        ParamChecks.UnitInterval(nameof(Gamma), Gamma);
        ParamChecks.UnitInterval(nameof(GaeLambda), GaeLambda);
        ParamChecks.AtLeast(nameof(UpdateEpochs), UpdateEpochs, 1);
        if (BatchSize is { } b)
            ParamChecks.AtLeast(nameof(BatchSize), b, NormalizeAdvantage ? 2 : 1,
                NormalizeAdvantage ? " (advantage normalisation needs at least 2 samples per minibatch), or null for the whole rollout" : " or null for the whole rollout");
        ParamChecks.AtLeast(nameof(OptimCriticIters), OptimCriticIters, 1);
        if (CriticBatchSize is { } cb) ParamChecks.AtLeast(nameof(CriticBatchSize), cb, 1, " or null for the actor's minibatches");
        ParamChecks.AtLeast(nameof(CgIterations), CgIterations, 1);
        ParamChecks.NonNegative(nameof(CgDamping), CgDamping);
        ParamChecks.LogStd(LogStdInit);
        ParamChecks.Positive(nameof(ObservationClip), ObservationClip);
        ParamChecks.Positive(nameof(RewardClip), RewardClip);
    }
}
