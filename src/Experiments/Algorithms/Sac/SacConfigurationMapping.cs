using RlExperiments.Agents.Algorithms.Sac;
using static RlExperiments.Experiments.Algorithms.MappingSupport;

using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Sac;

/// <summary>
/// Turns configurations of ARLBench's SAC spaces (<see cref="SacModule.SearchSpace"/>)
/// into <see cref="SacParams"/> and back.
/// </summary>
/// <remarks>
/// <para>Mapping (hyperparameter → field): <c>buffer_size</c> → <see cref="SacParams.BufferSize"/>,
/// <c>buffer_batch_size</c> → <see cref="SacParams.BatchSize"/>, <c>learning_rate</c>, <c>gamma</c>, <c>tau</c>,
/// <c>gradient_steps</c>, <c>train_freq</c>, <c>learning_starts</c>, <c>target_update_interval</c> (counted in
/// gradient steps here) → the fields of the same name, <c>alpha_auto</c> → <see cref="SacParams.AutoEntCoef"/>,
/// <c>alpha</c> (the fixed entropy coefficient, active only when <c>alpha_auto</c> is false) → <see cref="SacParams.EntCoef"/>.</para>
/// <para>There is no prioritised replay for SAC in this codebase: <c>buffer_prio_sampling = true</c> throws
/// <see cref="NotSupportedException"/>; <c>buffer_alpha</c>, <c>buffer_beta</c> and <c>buffer_epsilon</c> only matter
/// with prioritised sampling, so they are accepted and ignored (and <see cref="ToConfiguration"/> emits the space
/// defaults for them, with <c>buffer_prio_sampling = false</c>).</para>
/// <para><c>alpha = 0</c> (no entropy bonus) cannot be expressed (<see cref="SacParams.EntCoef"/> must be &gt; 0) and
/// throws <see cref="NotSupportedException"/>. With <c>alpha_auto = true</c>, <see cref="SacParams.EntCoef"/> (the
/// initial value of the learned coefficient) keeps the basis value.</para>
/// <para><c>use_target_network = false</c> sets <see cref="SacParams.Tau"/> = 1 and
/// <see cref="SacParams.TargetUpdateInterval"/> = 1: the target critics are copied from the online ones after every
/// gradient step, i.e. they equal the online critics. Inversely, <c>use_target_network</c> is false exactly when
/// Tau == 1 and TargetUpdateInterval == 1.</para>
/// <para><c>normalize_observations</c> is not in the space: the SAC agent does not normalise observations, so
/// <see cref="ToParams"/> refuses the key by name (whatever its value) rather than ignoring it, and
/// <see cref="ToConfiguration"/> does not emit it.</para>
/// <para>Values are not checked against ARLBench's ranges; the resulting params are validated with <see cref="SacParams.Validate"/>.</para>
/// </remarks>
public static class SacConfigurationMapping
{
    private const string Algo = "SAC";
    private static readonly ConfigurationSpace HpoSpace = new SacModule().SearchSpace();

    /// <summary>
    /// Builds params from an HPO configuration : starts from
    /// <paramref name="basis"/> and overrides every field whose hyperparameter is present; absent keys keep the basis value.
    /// </summary>
    /// <param name="hpo">A full or partial configuration of <see cref="SacModule.SearchSpace"/>.</param>
    /// <param name="basis">Values of unmapped and absent fields; default <c>new SacParams()</c>.</param>
    /// <returns>Validated params.</returns>
    /// <exception cref="ArgumentException">An unknown key, a value of the wrong type, or an inactive child given
    /// (<c>tau</c>/<c>target_update_interval</c> with <c>use_target_network = false</c>, <c>alpha</c> with <c>alpha_auto = true</c>).</exception>
    /// <exception cref="NotSupportedException"><c>buffer_prio_sampling</c> = true or <c>alpha</c> = 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The resulting params fail <see cref="SacParams.Validate"/>.</exception>
    public static SacParams ToParams(Configuration hpo, SacParams? basis = null)
    {
        ArgumentNullException.ThrowIfNull(hpo);
        if (hpo.TryGetValue(EnvironmentHyperparameters.NormalizeObservationsKey, out var normalize))
            throw new ArgumentException(
                $"Hyperparameter '{EnvironmentHyperparameters.NormalizeObservationsKey}' = {normalize} is not supported by SAC: its agent does not normalise observations (ARLBench's key is left out of its space); allowed: no such key.",
                EnvironmentHyperparameters.NormalizeObservationsKey);
        CheckKnownKeys(hpo, HpoSpace, Algo, "HPO");
        var p = basis ?? new SacParams();
        var c = hpo;
        if (Has(c, "buffer_size")) p = p with { BufferSize = Int(c, "buffer_size") };
        if (Has(c, "buffer_batch_size")) p = p with { BatchSize = Int(c, "buffer_batch_size") };
        if (Has(c, "buffer_prio_sampling") && Bool(c, "buffer_prio_sampling"))
            throw Unsupported(Algo, "buffer_prio_sampling", true, "false", "SAC has no prioritised replay in this codebase");
        foreach (var ignored in new[] { "buffer_alpha", "buffer_beta", "buffer_epsilon" })
            if (Has(c, ignored)) _ = Double(c, ignored); // type check only: meaningful only with prioritised sampling
        if (Has(c, "learning_rate")) p = p with { LearningRate = Double(c, "learning_rate") };
        if (Has(c, "gamma")) p = p with { Gamma = Double(c, "gamma") };
        var (tau, interval) = TargetNetwork(c, Algo);
        if (tau is { } t) p = p with { Tau = t };
        if (interval is { } i) p = p with { TargetUpdateInterval = i };
        if (Has(c, "gradient_steps")) p = p with { GradientSteps = Int(c, "gradient_steps") };
        if (Has(c, "train_freq")) p = p with { TrainFreq = Int(c, "train_freq") };
        if (Has(c, "learning_starts")) p = p with { LearningStarts = Int(c, "learning_starts") };
        if (Has(c, "alpha_auto")) p = p with { AutoEntCoef = Bool(c, "alpha_auto") };
        if (Has(c, "alpha"))
        {
            var v = Double(c, "alpha");
            if (Has(c, "alpha_auto") && Bool(c, "alpha_auto"))
                throw new ArgumentException(
                    $"SAC hyperparameter 'alpha' = {ConfigValues.Format(v)} is inactive when 'alpha_auto' = true (the coefficient is learned); omit it or set 'alpha_auto' = false.", "alpha");
            if (v == 0) throw Unsupported(Algo, "alpha", v, "> 0", "SacParams.EntCoef must be > 0, so SAC without entropy bonus cannot be expressed");
            p = p with { EntCoef = v };
        }
        p.Validate();
        return p;
    }

    /// <summary>
    /// The HPO configuration of the params, keys in <see cref="SacModule.SearchSpace"/>'s order: <c>buffer_prio_sampling</c>
    /// false with the space defaults of <c>buffer_alpha</c>/<c>buffer_beta</c>/<c>buffer_epsilon</c>; <c>tau</c> and
    /// <c>target_update_interval</c> omitted when <c>use_target_network</c> is false (Tau == 1 and TargetUpdateInterval == 1);
    /// <c>alpha</c> omitted when <c>alpha_auto</c> is true. Values may lie outside ARLBench's ranges.
    /// </summary>
    /// <param name="p">Params to describe.</param>
    public static Configuration ToConfiguration(SacParams p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var pairs = new List<KeyValuePair<string, object>>
        {
            new("buffer_size", (long)p.BufferSize),
            new("buffer_batch_size", (long)p.BatchSize),
            new("buffer_prio_sampling", false),
            new("buffer_alpha", HpoSpace.Get("buffer_alpha").Default),
            new("buffer_beta", HpoSpace.Get("buffer_beta").Default),
            new("buffer_epsilon", HpoSpace.Get("buffer_epsilon").Default),
            new("learning_rate", p.LearningRate),
            new("gamma", p.Gamma),
        };
        var use = UsesTargetNetwork(p.Tau, p.TargetUpdateInterval);
        pairs.Add(new(UseTargetNetworkKey, use));
        if (use) pairs.Add(new(TauKey, p.Tau));
        pairs.Add(new("gradient_steps", (long)p.GradientSteps));
        pairs.Add(new("train_freq", (long)p.TrainFreq));
        pairs.Add(new("learning_starts", (long)p.LearningStarts));
        if (use) pairs.Add(new(TargetUpdateIntervalKey, (long)p.TargetUpdateInterval));
        pairs.Add(new("alpha_auto", p.AutoEntCoef));
        if (!p.AutoEntCoef) pairs.Add(new("alpha", p.EntCoef));
        return new Configuration(pairs);
    }
}
