using RlExperiments.Agents.Algorithms.Trpo;
using RlExperiments.Tuning;
using static RlExperiments.Experiments.Algorithms.MappingSupport;

namespace RlExperiments.Experiments.Algorithms.Trpo;

/// <summary>
/// Turns configurations of TRPO's spaces (<see cref="TrpoModule.SearchSpace"/>, <see cref="TrpoModule.NasSpace"/>) into
/// <see cref="TrpoParams"/> and back: <c>learning_rate</c>, <c>n_steps</c> → NumSteps, <c>gamma</c>, <c>gae_lambda</c>,
/// <c>normalize_advantage</c>, <c>normalize_observations</c>, <c>max_kl</c> → <see cref="TrpoParams.MaxKl"/>.
/// Values are not checked against the ranges; the resulting params are validated with <see cref="TrpoParams.Validate"/>.
/// </summary>
public static class TrpoConfigurationMapping
{
    private const string Algo = "TRPO";
    private static readonly ConfigurationSpace HpoSpace = new TrpoModule().SearchSpace();
    private static readonly ConfigurationSpace NasSpace = new TrpoModule().NasSpace();

    /// <summary>Builds params from an HPO configuration (and optionally a NAS one), starting from <paramref name="basis"/>; absent keys keep the basis value.</summary>
    /// <param name="hpo">A full or partial configuration of <see cref="TrpoModule.SearchSpace"/>.</param>
    /// <param name="basis">Values of unmapped and absent fields; default <c>new TrpoParams()</c>.</param>
    /// <param name="nas">Optional (partial) configuration of <see cref="TrpoModule.NasSpace"/>: <c>hidden_size</c> h → HiddenSizes [h, h], <c>activation</c> tanh|relu.</param>
    /// <returns>Validated params.</returns>
    /// <exception cref="ArgumentException">An unknown key or a value of the wrong type.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The resulting params fail <see cref="TrpoParams.Validate"/>.</exception>
    public static TrpoParams ToParams(Configuration hpo, TrpoParams? basis = null, Configuration? nas = null)
    {
        CheckKnownKeys(hpo, HpoSpace, Algo, "HPO");
        var p = NaturalGradientSupport.ApplyShared(hpo, basis ?? new TrpoParams());
        if (Has(hpo, "max_kl")) p = p with { MaxKl = Double(hpo, "max_kl") };
        var (hidden, act) = Nas(nas, NasSpace, Algo);
        if (hidden is { } h) p = p with { HiddenSizes = [h, h] };
        if (act is { } a) p = p with { Activation = a };
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

    /// <summary>The NAS configuration (<c>activation</c>, <c>hidden_size</c>) of the params.</summary>
    /// <param name="p">Params whose HiddenSizes are two equal widths and whose Activation is Tanh or ReLU.</param>
    /// <exception cref="ArgumentException">HiddenSizes is not [h, h], or the activation is neither Tanh nor ReLU.</exception>
    public static Configuration ToNasConfiguration(TrpoParams p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return ToNas(p.HiddenSizes, p.Activation, Algo);
    }
}
