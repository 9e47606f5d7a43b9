using RlExperiments.Agents.Algorithms.Pg;
using RlExperiments.Tuning;
using static RlExperiments.Experiments.Algorithms.MappingSupport;

namespace RlExperiments.Experiments.Algorithms.Pg;

/// <summary>
/// Turns configurations of PG's spaces (<see cref="PgModule.SearchSpace"/>) into
/// <see cref="PgParams"/> and back: <c>learning_rate</c> → <see cref="PgParams.LearningRate"/>, <c>gamma</c>,
/// <c>n_steps</c> → <see cref="PgParams.NumSteps"/>, <c>normalize_observations</c> → <see cref="PgParams.NormalizeObservations"/>.
/// Values are not checked against the ranges; the resulting params are validated with <see cref="PgParams.Validate"/>.
/// </summary>
public static class PgConfigurationMapping
{
    private const string Algo = "PG";
    private static readonly ConfigurationSpace HpoSpace = new PgModule().SearchSpace();

    /// <summary>Builds params from an HPO configuration (the network is the model factories', see AlgorithmFactory.WithConfiguration), starting from <paramref name="basis"/>; absent keys keep the basis value.</summary>
    /// <param name="hpo">A full or partial configuration of <see cref="PgModule.SearchSpace"/>.</param>
    /// <param name="basis">Values of unmapped and absent fields; default <c>new PgParams()</c>.</param>
    /// <returns>Validated params.</returns>
    /// <exception cref="ArgumentException">An unknown key or a value of the wrong type.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The resulting params fail <see cref="PgParams.Validate"/>.</exception>
    public static PgParams ToParams(Configuration hpo, PgParams? basis = null)
    {
        CheckKnownKeys(hpo, HpoSpace, Algo, "HPO");
        var p = basis ?? new PgParams();
        var c = hpo;
        if (Has(c, "learning_rate")) p = p with { LearningRate = Double(c, "learning_rate") };
        if (Has(c, "gamma")) p = p with { Gamma = Double(c, "gamma") };
        if (Has(c, "n_steps")) p = p with { NumSteps = Int(c, "n_steps") };
        if (Has(c, EnvironmentHyperparameters.NormalizeObservationsKey))
            p = p with { NormalizeObservations = Bool(c, EnvironmentHyperparameters.NormalizeObservationsKey) };
        p.Validate();
        return p;
    }

    /// <summary>The HPO configuration of the params, keys in <see cref="PgModule.SearchSpace"/>'s order. Values may lie outside the ranges.</summary>
    /// <param name="p">Params to describe.</param>
    public static Configuration ToConfiguration(PgParams p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new Configuration(new KeyValuePair<string, object>[]
        {
            new("learning_rate", p.LearningRate),
            new("gamma", p.Gamma),
            new("n_steps", (long)p.NumSteps),
            new(EnvironmentHyperparameters.NormalizeObservationsKey, p.NormalizeObservations),
        });
    }
}
