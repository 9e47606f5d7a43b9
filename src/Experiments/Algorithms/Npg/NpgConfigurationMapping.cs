using RlExperiments.Agents.Algorithms.Npg;
using RlExperiments.Tuning;
using static RlExperiments.Experiments.Algorithms.MappingSupport;

namespace RlExperiments.Experiments.Algorithms.Npg;

/// <summary>
/// Turns configurations of NPG's spaces (<see cref="NpgModule.SearchSpace"/>) into
/// <see cref="NpgParams"/> and back: <c>learning_rate</c>, <c>n_steps</c> → NumSteps, <c>gamma</c>, <c>gae_lambda</c>,
/// <c>normalize_advantage</c>, <c>normalize_observations</c>, <c>trust_region_size</c> → <see cref="NpgParams.TrustRegionSize"/>.
/// Values are not checked against the ranges; the resulting params are validated with <see cref="NpgParams.Validate"/>.
/// </summary>
public static class NpgConfigurationMapping
{
    private const string Algo = "NPG";
    private static readonly ConfigurationSpace HpoSpace = new NpgModule().SearchSpace();

    /// <summary>Builds params from an HPO configuration (the network is the model factories', see AlgorithmFactory.WithConfiguration), starting from <paramref name="basis"/>; absent keys keep the basis value.</summary>
    /// <param name="hpo">A full or partial configuration of <see cref="NpgModule.SearchSpace"/>.</param>
    /// <param name="basis">Values of unmapped and absent fields; default <c>new NpgParams()</c>.</param>
    /// <returns>Validated params.</returns>
    /// <exception cref="ArgumentException">An unknown key or a value of the wrong type.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The resulting params fail <see cref="NpgParams.Validate"/>.</exception>
    public static NpgParams ToParams(Configuration hpo, NpgParams? basis = null)
    {
        CheckKnownKeys(hpo, HpoSpace, Algo, "HPO");
        var p = NaturalGradientSupport.ApplyShared(hpo, basis ?? new NpgParams());
        if (Has(hpo, "trust_region_size")) p = p with { TrustRegionSize = Double(hpo, "trust_region_size") };
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
}
