using RlExperiments.Agents.Algorithms.Pg;
using RlExperiments.Tuning;
using static RlExperiments.Experiments.Algorithms.MappingSupport;

namespace RlExperiments.Experiments.Algorithms.Pg;

/// <summary>
/// Turns configurations of PG's spaces (<see cref="PgModule.SearchSpace"/>, <see cref="PgModule.NasSpace"/>) into
/// <see cref="PgParams"/> and back: <c>learning_rate</c> → <see cref="PgParams.LearningRate"/>, <c>gamma</c>,
/// <c>n_steps</c> → <see cref="PgParams.NumSteps"/>, <c>normalize_observations</c> → <see cref="PgParams.NormalizeObservations"/>.
/// Values are not checked against the ranges; the resulting params are validated with <see cref="PgParams.Validate"/>.
/// </summary>
public static class PgConfigurationMapping
{
    private const string Algo = "PG";
    private static readonly ConfigurationSpace HpoSpace = new PgModule().SearchSpace();
    private static readonly ConfigurationSpace NasSpace = new PgModule().NasSpace();

    /// <summary>Builds params from an HPO configuration (and optionally a NAS one), starting from <paramref name="basis"/>; absent keys keep the basis value.</summary>
    /// <param name="hpo">A full or partial configuration of <see cref="PgModule.SearchSpace"/>.</param>
    /// <param name="basis">Values of unmapped and absent fields; default <c>new PgParams()</c>.</param>
    /// <param name="nas">Optional (partial) configuration of <see cref="PgModule.NasSpace"/>: <c>hidden_size</c> h → HiddenSizes [h, h], <c>activation</c> tanh|relu.</param>
    /// <returns>Validated params.</returns>
    /// <exception cref="ArgumentException">An unknown key or a value of the wrong type.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The resulting params fail <see cref="PgParams.Validate"/>.</exception>
    public static PgParams ToParams(Configuration hpo, PgParams? basis = null, Configuration? nas = null)
    {
        CheckKnownKeys(hpo, HpoSpace, Algo, "HPO");
        var p = basis ?? new PgParams();
        var c = hpo;
        if (Has(c, "learning_rate")) p = p with { LearningRate = Double(c, "learning_rate") };
        if (Has(c, "gamma")) p = p with { Gamma = Double(c, "gamma") };
        if (Has(c, "n_steps")) p = p with { NumSteps = Int(c, "n_steps") };
        if (Has(c, EnvironmentHyperparameters.NormalizeObservationsKey))
            p = p with { NormalizeObservations = Bool(c, EnvironmentHyperparameters.NormalizeObservationsKey) };
        var (hidden, act) = Nas(nas, NasSpace, Algo);
        if (hidden is { } h) p = p with { HiddenSizes = [h, h] };
        if (act is { } a) p = p with { Activation = a };
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

    /// <summary>The NAS configuration (<c>activation</c>, <c>hidden_size</c>) of the params.</summary>
    /// <param name="p">Params whose HiddenSizes are two equal widths and whose Activation is Tanh or ReLU.</param>
    /// <exception cref="ArgumentException">HiddenSizes is not [h, h], or the activation is neither Tanh nor ReLU.</exception>
    public static Configuration ToNasConfiguration(PgParams p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return ToNas(p.HiddenSizes, p.Activation, Algo);
    }
}
