namespace RlExperiments.Tuning;

/// <summary>The sampler a <see cref="HyperparameterOptimizer"/> uses (rlberry's <c>sampler_method</c>).</summary>
public enum SamplerKind
{
    /// <summary><see cref="TpeSampler"/> in the study direction (rlberry's "optuna_default").</summary>
    Tpe,
    /// <summary><see cref="RandomSampler"/>.</summary>
    Random,
    /// <summary><see cref="GridSampler"/>; the study stops early when every grid point was tried.</summary>
    Grid,
    /// <summary><see cref="CmaEsSampler"/> in the study direction (Optuna's CmaEsSampler defaults; categoricals at random).</summary>
    CmaEs,
}
