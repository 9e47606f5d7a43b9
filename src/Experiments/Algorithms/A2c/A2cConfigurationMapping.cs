using RlExperiments.Agents.Algorithms.A2c;
using RlExperiments.Tuning;
using static RlExperiments.Experiments.Algorithms.MappingSupport;

namespace RlExperiments.Experiments.Algorithms.A2c;

/// <summary>
/// Turns configurations of A2C's spaces (<see cref="A2cModule.SearchSpace"/>) into
/// <see cref="A2cParams"/> and back: <c>learning_rate</c> → <see cref="A2cParams.LearningRate"/>, <c>n_steps</c> →
/// <see cref="A2cParams.NumSteps"/>, <c>gamma</c>, <c>gae_lambda</c>, <c>ent_coef</c>, <c>vf_coef</c>, <c>max_grad_norm</c>,
/// <c>normalize_observations</c> → <see cref="A2cParams.NormalizeObservations"/>. <c>max_grad_norm</c> = 0 cannot be
/// expressed (<see cref="A2cParams.MaxGradNorm"/> must be &gt; 0) and throws <see cref="NotSupportedException"/>. Values are
/// not checked against the ranges; the resulting params are validated with <see cref="A2cParams.Validate"/>.
/// </summary>
public static class A2cConfigurationMapping
{
    private const string Algo = "A2C";
    private static readonly ConfigurationSpace HpoSpace = new A2cModule().SearchSpace();

    /// <summary>Builds params from an HPO configuration (the network is the model factories', see AlgorithmFactory.WithConfiguration), starting from <paramref name="basis"/>; absent keys keep the basis value.</summary>
    /// <param name="hpo">A full or partial configuration of <see cref="A2cModule.SearchSpace"/>.</param>
    /// <param name="basis">Values of unmapped and absent fields; default <c>new A2cParams()</c>.</param>
    /// <returns>Validated params.</returns>
    /// <exception cref="ArgumentException">An unknown key or a value of the wrong type.</exception>
    /// <exception cref="NotSupportedException"><c>max_grad_norm</c> = 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The resulting params fail <see cref="A2cParams.Validate"/>.</exception>
    public static A2cParams ToParams(Configuration hpo, A2cParams? basis = null)
    {
        CheckKnownKeys(hpo, HpoSpace, Algo, "HPO");
        var p = basis ?? new A2cParams();
        var c = hpo;
        if (Has(c, "learning_rate")) p = p with { LearningRate = Double(c, "learning_rate") };
        if (Has(c, "n_steps")) p = p with { NumSteps = Int(c, "n_steps") };
        if (Has(c, "gamma")) p = p with { Gamma = Double(c, "gamma") };
        if (Has(c, "gae_lambda")) p = p with { GaeLambda = Double(c, "gae_lambda") };
        if (Has(c, "ent_coef")) p = p with { EntCoef = Double(c, "ent_coef") };
        if (Has(c, "vf_coef")) p = p with { VfCoef = Double(c, "vf_coef") };
        if (Has(c, "max_grad_norm"))
        {
            var v = Double(c, "max_grad_norm");
            if (v == 0) throw Unsupported(Algo, "max_grad_norm", v, "> 0", "A2cParams.MaxGradNorm must be finite and > 0 and cannot express clipping to norm 0 nor 'no clipping'");
            p = p with { MaxGradNorm = v };
        }
        if (Has(c, EnvironmentHyperparameters.NormalizeObservationsKey))
            p = p with { NormalizeObservations = Bool(c, EnvironmentHyperparameters.NormalizeObservationsKey) };
        p.Validate();
        return p;
    }

    /// <summary>The HPO configuration of the params, keys in <see cref="A2cModule.SearchSpace"/>'s order. Values may lie outside the ranges.</summary>
    /// <param name="p">Params to describe.</param>
    public static Configuration ToConfiguration(A2cParams p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new Configuration(new KeyValuePair<string, object>[]
        {
            new("learning_rate", p.LearningRate),
            new("n_steps", (long)p.NumSteps),
            new("gamma", p.Gamma),
            new("gae_lambda", p.GaeLambda),
            new("ent_coef", p.EntCoef),
            new("vf_coef", p.VfCoef),
            new("max_grad_norm", p.MaxGradNorm),
            new(EnvironmentHyperparameters.NormalizeObservationsKey, p.NormalizeObservations),
        });
    }
}
