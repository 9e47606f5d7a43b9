using RlExperiments.Agents.Algorithms.Trpo;
using RlExperiments.Tuning;
using static RlExperiments.Experiments.Algorithms.MappingSupport;

namespace RlExperiments.Experiments.Algorithms.Trpo;

/// <summary>
/// Turns configurations of TRPO's spaces (<see cref="TrpoModule.SearchSpace"/>) into
/// <see cref="TrpoParams"/> and back: <c>learning_rate</c>, <c>n_steps</c> → NumSteps, <c>gamma</c>, <c>gae_lambda</c>,
/// <c>normalize_advantage</c>, <c>normalize_observations</c>, <c>max_kl</c> → <see cref="TrpoParams.MaxKl"/>.
/// Values are not checked against the ranges; the resulting params are validated with <see cref="TrpoParams.Validate"/>.
/// </summary>
public static class TrpoConfigurationMapping
{
    private const string Algo = "TRPO";
    private static readonly ConfigurationSpace HpoSpace = new TrpoModule().SearchSpace();

    /// <summary>Builds params from an HPO configuration (the network is the model factories', see AlgorithmFactory.WithConfiguration), starting from <paramref name="basis"/>; absent keys keep the basis value.</summary>
    /// <param name="hpo">A full or partial configuration of <see cref="TrpoModule.SearchSpace"/>.</param>
    /// <param name="basis">Values of unmapped and absent fields; default <c>new TrpoParams()</c>.</param>
    /// <returns>Validated params.</returns>
    /// <exception cref="ArgumentException">An unknown key or a value of the wrong type.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The resulting params fail <see cref="TrpoParams.Validate"/>.</exception>
    public static TrpoParams ToParams(Configuration hpo, TrpoParams? basis = null)
    {
        CheckKnownKeys(hpo, HpoSpace, Algo, "HPO");
        var p = NaturalGradientSupport.ApplyShared(hpo, basis ?? new TrpoParams());
        if (Has(hpo, "max_kl")) p = p with { MaxKl = Double(hpo, "max_kl") };
        p.Validate();
        return p;
    }

    /// <summary>The HPO configuration of the params, keys in <see cref="TrpoModule.SearchSpace"/>'s order. Values may lie outside the ranges.</summary>
    /// <param name="p">Params to describe.</param>
    public static Configuration ToConfiguration(TrpoParams p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new Configuration(NaturalGradientSupport.SharedConfiguration(p).Append(new("max_kl", p.MaxKl)));
    }
}
