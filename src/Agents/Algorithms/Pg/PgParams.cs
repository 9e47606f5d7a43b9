using RlExperiments.Agents;
using RlExperiments.Agents.PolicyGradient;
using RlExperiments.Core;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Algorithms.Pg;

/// <summary>
/// Hyperparameters of the vanilla policy gradient, REINFORCE (Williams 1992). Names and defaults follow Tianshou's
/// <c>ReinforceParams</c> (<c>gamma</c> 0.99, <c>lr</c> 1e-3, <c>return_scaling</c> False) .NET-cased; what Tianshou keeps
/// in its training config (steps per collect, repeats per collect, batch size) is here too, with the network
/// described as Stable-Baselines3's <c>MlpPolicy</c> actor. An immutable record of plain values: it serialises as is.
/// </summary>
public sealed record PgParams : IRolloutParams
{
    /// <summary>Adam learning rate (Tianshou's <c>lr</c>); default 1e-3. Must be &gt; 0.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Anneal the learning rate linearly to 0 over the run (<c>lr · progress_remaining</c>); default false.</summary>
    public bool AnnealLearningRate { get; init; }

    /// <summary>
    /// Steps per environment per collect (Tianshou's <c>step_per_collect</c> / environments, SB3's <c>n_steps</c>); default 2048.
    /// Must be ≥ 1. Episodes still running at the end of a collect are cut there (their return counts the rewards seen so far).
    /// </summary>
    public int NumSteps { get; init; } = 2048;

    /// <summary>Discount factor γ (Tianshou's <c>gamma</c>); default 0.99. Must lie in [0, 1].</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>
    /// Scale the Monte-Carlo returns by running statistics of the returns seen so far (Tianshou's <c>return_scaling</c>,
    /// formerly <c>reward_normalization</c>): <c>(G − μ) / √(σ² + 1e-8)</c>, then μ and σ² take in the batch's raw returns;
    /// default false. The statistics are part of the agent's state.
    /// </summary>
    public bool ReturnScaling { get; init; }

    /// <summary>
    /// Passes over each collect per update; default 1. Must be ≥ 1. Stable-Baselines3 calls it <c>n_epochs</c>, CleanRL
    /// <c>update_epochs</c>, Tianshou <c>repeat_per_collect</c> (<c>SamplingConfig.RepeatPerCollect</c> sets it); named so as
    /// not to be confused with <c>SamplingConfig.NumEpochs</c>, the epochs of the whole run.
    /// </summary>
    [RlExperiments.Core.OptionalInFile("renamed from numEpochs after main 2ec9ed5; files with numEpochs still load")]
    public int UpdateEpochs { get; init; } = 1;

    /// <summary>
    /// Minibatch size (Tianshou's <c>batch_size</c>); null (default) means one gradient step on the whole collect per
    /// pass. Must be ≥ 1 when set.
    /// </summary>
    public int? BatchSize { get; init; }

    /// <summary>Gradients are clipped to this joint L2 norm; null (default, as Tianshou's PG) disables clipping. Must be &gt; 0 when set.</summary>
    public double? MaxGradNorm { get; init; }

    /// <summary>Initial log standard deviation of the state-independent Gaussian; default 0. Box actions only.</summary>
    public double LogStdInit { get; init; }

    /// <summary>Normalise observations with running statistics inside the agent (SB3 <c>VecNormalize(norm_obs=True)</c>); default false.</summary>
    public bool NormalizeObservations { get; init; }

    /// <summary>Clip bound of normalised observations; default 10. Must be &gt; 0.</summary>
    public double ObservationClip { get; init; } = 10.0;

    /// <summary>Adam's ε; default 1e-8 (PyTorch's, which Tianshou uses). Must be ≥ 0.</summary>
    public double AdamEps { get; init; } = 1e-8;

    /// <inheritdoc />
    int? IRolloutParams.MinibatchSize => BatchSize;

    /// <summary>Throws with the field's name and allowed range when a value is invalid.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range.</exception>
    public void Validate()
    {
        ParamChecks.Positive(nameof(LearningRate), LearningRate);
        ParamChecks.AtLeast(nameof(NumSteps), NumSteps, 1);
        ParamChecks.UnitInterval(nameof(Gamma), Gamma);
        ParamChecks.AtLeast(nameof(UpdateEpochs), UpdateEpochs, 1);
        if (BatchSize is { } b) ParamChecks.AtLeast(nameof(BatchSize), b, 1, " or null for the whole collect");
        if (MaxGradNorm is { } g) ParamChecks.Positive(nameof(MaxGradNorm), g, " or null for no clipping");
        ParamChecks.LogStd(LogStdInit);
        ParamChecks.Positive(nameof(ObservationClip), ObservationClip);
        ParamChecks.NonNegative(nameof(AdamEps), AdamEps);
    }
}
