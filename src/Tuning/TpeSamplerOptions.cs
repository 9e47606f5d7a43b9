using System.Globalization;

namespace RlExperiments.Tuning;

/// <summary>
/// Settings of a <see cref="TpeSampler"/>, named and defaulted as Optuna 4's <c>TPESampler</c> arguments, so a study
/// here and one in Optuna with the same settings run the same algorithm. Optuna's other knobs are fixed at its
/// defaults (they are deprecated there): <c>consider_endpoints</c> false, <c>consider_magic_clip</c> true,
/// <c>gamma</c> = <see cref="TpeSampler.Gamma"/>, <c>weights</c> = Optuna's <c>default_weights</c>.
/// </summary>
public sealed record TpeSamplerOptions
{
    /// <summary>
    /// Random trials (from the space's prior) before TPE starts: complete and pruned trials count (≥ 0; default 10,
    /// Optuna's <c>n_startup_trials</c>). Fewer leave the Parzen estimators too few observations to be better than chance.
    /// </summary>
    public int StartupTrials { get; init; } = 10;

    /// <summary>
    /// Candidates drawn from l(x) per suggestion, of which the one with the largest l(x)/g(x) is taken (≥ 1; default 24,
    /// Optuna's <c>n_ei_candidates</c>). More exploit harder; fewer explore more.
    /// </summary>
    public int EiCandidates { get; init; } = 24;

    /// <summary>
    /// Weight of the prior kernel (uniform-ish over the range: mid-range centre, the whole range as σ) relative to one
    /// observation's (&gt; 0; default 1.0, Optuna's). It keeps every region reachable however the observations cluster.
    /// </summary>
    public double PriorWeight { get; init; } = 1.0;

    /// <summary>
    /// Optuna's <c>multivariate</c>: the hyperparameters every finished trial has are modelled by one Parzen estimator
    /// whose kernels each span all of them (one kernel per observation), so correlated good values are suggested
    /// together; the others (conditional ones) are sampled independently. Each dimension of a kernel has the bandwidth
    /// of the independent estimator, as in Optuna 5 (Optuna 4 used one Scott's-rule bandwidth, which did worse). Default
    /// false, as in Optuna 4; Optuna 5 turns it on for single-objective studies, and on benchmarks/Samplers.Benchmarks it
    /// is as good as or better than the independent estimator on every objective from 25 trials on.
    /// </summary>
    public bool Multivariate { get; init; }

    /// <summary>
    /// Optuna's <c>group</c> (needs <see cref="Multivariate"/>): the conditional space is split into groups of
    /// hyperparameters that always appear together in finished trials, and each group gets its own joint estimator, so
    /// conditional hyperparameters are modelled jointly too. Default false, as in Optuna.
    /// </summary>
    public bool Group { get; init; }

    /// <summary>
    /// Optuna's <c>constant_liar</c>: trials still running (in this process or any worker sharing the storage) count
    /// as bad observations (they join g(x), never l(x)), so workers suggesting at the same time spread out instead of all
    /// suggesting the best-looking point. Default false, as in Optuna: it changes nothing for one sequential worker
    /// (nothing else is running when it suggests), and with many workers it trades a little exploitation for diversity.
    /// </summary>
    public bool ConstantLiar { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field, its value and what is allowed.</summary>
    public void Validate()
    {
        if (StartupTrials < 0) throw Invalid(nameof(StartupTrials), StartupTrials.ToString(CultureInfo.InvariantCulture), "an integer ≥ 0");
        if (EiCandidates < 1) throw Invalid(nameof(EiCandidates), EiCandidates.ToString(CultureInfo.InvariantCulture), "an integer ≥ 1");
        if (!(PriorWeight > 0) || double.IsInfinity(PriorWeight))
            throw Invalid(nameof(PriorWeight), PriorWeight.ToString("R", CultureInfo.InvariantCulture), "a finite number > 0");
        if (Group && !Multivariate) throw Invalid(nameof(Group), "true", "true only together with Multivariate = true (as in Optuna)");
    }

    private static ArgumentException Invalid(string field, string value, string allowed) =>
        new($"TpeSamplerOptions.{field} = {value} is invalid; allowed: {allowed}.", field);
}
