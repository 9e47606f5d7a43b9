using RlExperiments.Agents.PolicyGradient;
using RlExperiments.Tuning;
using static RlExperiments.Experiments.Algorithms.MappingSupport;

namespace RlExperiments.Experiments.Algorithms;

/// <summary>
/// What the natural-gradient modules (NPG, TRPO) share: the sampling overrides, the space check, the network their
/// actor and critic factories describe, and the search-space keys of <see cref="NaturalGradientParams"/>.
/// </summary>
internal static class NaturalGradientSupport
{
    /// <summary>
    /// The keys NPG and TRPO share with ARLBench's PPO space: <c>learning_rate</c> (ARLBench's range, default Tianshou's
    /// 1e-3), <c>n_steps</c> {256, …, 4096} (default SB3's TRPO 2048; the zoo's TRPO settings use 512..2048), <c>gamma</c>,
    /// <c>gae_lambda</c> 0.8..0.9999 (0.95), <c>normalize_advantage</c> (on, Tianshou's) and <c>normalize_observations</c> (off).
    /// </summary>
    public static Hyperparameter[] SharedHyperparameters() =>
    [
        new FloatHyperparameter("learning_rate", 1e-6, 0.1, 1e-3, log: true),
        new CategoricalHyperparameter("n_steps", new object[] { 256L, 512L, 1024L, 2048L, 4096L }, 2048L),
        SearchSpaceParts.Gamma(),
        new FloatHyperparameter("gae_lambda", 0.8, 0.9999, 0.95),
        new CategoricalHyperparameter("normalize_advantage", SearchSpaceParts.Bools, true),
        SearchSpaceParts.NormalizeObservations(),
    ];

    /// <summary>Applies the shared keys present in <paramref name="c"/> to <paramref name="p"/>.</summary>
    public static T ApplyShared<T>(Configuration c, T p) where T : NaturalGradientParams
    {
        NaturalGradientParams q = p;
        if (Has(c, "learning_rate")) q = q with { LearningRate = Double(c, "learning_rate") };
        if (Has(c, "n_steps")) q = q with { NumSteps = Int(c, "n_steps") };
        if (Has(c, "gamma")) q = q with { Gamma = Double(c, "gamma") };
        if (Has(c, "gae_lambda")) q = q with { GaeLambda = Double(c, "gae_lambda") };
        if (Has(c, "normalize_advantage")) q = q with { NormalizeAdvantage = Bool(c, "normalize_advantage") };
        if (Has(c, EnvironmentHyperparameters.NormalizeObservationsKey))
            q = q with { NormalizeObservations = Bool(c, EnvironmentHyperparameters.NormalizeObservationsKey) };
        return (T)q;
    }

    /// <summary>The shared keys' values, in <see cref="SharedHyperparameters"/>' order.</summary>
    public static KeyValuePair<string, object>[] SharedConfiguration(NaturalGradientParams p) =>
    [
        new("learning_rate", p.LearningRate),
        new("n_steps", (long)p.NumSteps),
        new("gamma", p.Gamma),
        new("gae_lambda", p.GaeLambda),
        new("normalize_advantage", p.NormalizeAdvantage),
        new(EnvironmentHyperparameters.NormalizeObservationsKey, p.NormalizeObservations),
    ];
}
