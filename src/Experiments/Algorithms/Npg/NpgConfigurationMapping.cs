using RlExperiments.Agents.Algorithms.Npg;
using RlExperiments.Tuning;
using static RlExperiments.Experiments.Algorithms.MappingSupport;

namespace RlExperiments.Experiments.Algorithms.Npg;

/// <summary>
/// Turns configurations of NPG's spaces (<see cref="NpgModule.SearchSpace"/>, <see cref="NpgModule.NasSpace"/>) into
/// <see cref="NpgParams"/> and back: <c>learning_rate</c>, <c>n_steps</c> → NumSteps, <c>gamma</c>, <c>gae_lambda</c>,
/// <c>normalize_advantage</c>, <c>normalize_observations</c>, <c>trust_region_size</c> → <see cref="NpgParams.TrustRegionSize"/>.
/// Values are not checked against the ranges; the resulting params are validated with <see cref="NpgParams.Validate"/>.
/// </summary>
public static class NpgConfigurationMapping
{
    private const string Algo = "NPG";
    private static readonly ConfigurationSpace HpoSpace = new NpgModule().SearchSpace();
    private static readonly ConfigurationSpace NasSpace = new NpgModule().NasSpace();

    /// <summary>Builds params from an HPO configuration (and optionally a NAS one), starting from <paramref name="basis"/>; absent keys keep the basis value.</summary>
    /// <param name="hpo">A full or partial configuration of <see cref="NpgModule.SearchSpace"/>.</param>
    /// <param name="basis">Values of unmapped and absent fields; default <c>new NpgParams()</c>.</param>
    /// <param name="nas">Optional (partial) configuration of <see cref="NpgModule.NasSpace"/>: <c>hidden_size</c> h → HiddenSizes [h, h], <c>activation</c> tanh|relu.</param>
    /// <returns>Validated params.</returns>
    /// <exception cref="ArgumentException">An unknown key or a value of the wrong type.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The resulting params fail <see cref="NpgParams.Validate"/>.</exception>
    public static NpgParams ToParams(Configuration hpo, NpgParams? basis = null, Configuration? nas = null)
    {
        CheckKnownKeys(hpo, HpoSpace, Algo, "HPO");
        var p = NaturalGradientSupport.ApplyShared(hpo, basis ?? new NpgParams());
        if (Has(hpo, "trust_region_size")) p = p with { TrustRegionSize = Double(hpo, "trust_region_size") };
        var (hidden, act) = Nas(nas, NasSpace, Algo);
        if (hidden is { } h) p = p with { HiddenSizes = [h, h] };
        if (act is { } a) p = p with { Activation = a };
        p.Validate();
        return p;
    }

    /// <summary>The HPO configuration of the params, keys in <see cref="NpgModule.SearchSpace"/>'s order. Values may lie outside the ranges.</summary>
    /// <param name="p">Params to describe.</param>
    public static Configuration ToConfiguration(NpgParams p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new Configuration(NaturalGradientSupport.SharedConfiguration(p).Append(new("trust_region_size", p.TrustRegionSize)));
    }

    /// <summary>The NAS configuration (<c>activation</c>, <c>hidden_size</c>) of the params.</summary>
    /// <param name="p">Params whose HiddenSizes are two equal widths and whose Activation is Tanh or ReLU.</param>
    /// <exception cref="ArgumentException">HiddenSizes is not [h, h], or the activation is neither Tanh nor ReLU.</exception>
    public static Configuration ToNasConfiguration(NpgParams p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return ToNas(p.HiddenSizes, p.Activation, Algo);
    }
}
