using RlExperiments.Agents.Algorithms.Ddpg;
using RlExperiments.Tuning;
using static RlExperiments.Experiments.Algorithms.MappingSupport;

namespace RlExperiments.Experiments.Algorithms.Ddpg;

/// <summary>
/// Turns configurations of DDPG's spaces (<see cref="DdpgModule.SearchSpace"/>) into
/// <see cref="DdpgParams"/> and back: <c>buffer_size</c> → <see cref="DdpgParams.BufferSize"/>, <c>buffer_batch_size</c> →
/// <see cref="DdpgParams.BatchSize"/>, <c>learning_rate</c>, <c>gamma</c>, <c>tau</c>, <c>gradient_steps</c>,
/// <c>train_freq</c>, <c>learning_starts</c>, <c>exploration_noise</c> → the fields of the same name. Values are not
/// checked against the ranges; the resulting params are validated with <see cref="DdpgParams.Validate"/>.
/// </summary>
public static class DdpgConfigurationMapping
{
    private const string Algo = "DDPG";
    private static readonly ConfigurationSpace HpoSpace = new DdpgModule().SearchSpace();

    /// <summary>Builds params from an HPO configuration (the network is the model factories', see AlgorithmFactory.WithConfiguration), starting from <paramref name="basis"/>; absent keys keep the basis value.</summary>
    /// <param name="hpo">A full or partial configuration of <see cref="DdpgModule.SearchSpace"/>.</param>
    /// <param name="basis">Values of unmapped and absent fields; default <c>new DdpgParams()</c>.</param>
    /// <returns>Validated params.</returns>
    /// <exception cref="ArgumentException">An unknown key or a value of the wrong type.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The resulting params fail <see cref="DdpgParams.Validate"/>.</exception>
    public static DdpgParams ToParams(Configuration hpo, DdpgParams? basis = null)
    {
        CheckKnownKeys(hpo, HpoSpace, Algo, "HPO");
        var p = basis ?? new DdpgParams();
        var c = hpo;
        if (Has(c, "buffer_size")) p = p with { BufferSize = Int(c, "buffer_size") };
        if (Has(c, "buffer_batch_size")) p = p with { BatchSize = Int(c, "buffer_batch_size") };
        if (Has(c, "learning_rate")) p = p with { LearningRate = Double(c, "learning_rate") };
        if (Has(c, "gamma")) p = p with { Gamma = Double(c, "gamma") };
        if (Has(c, "tau")) p = p with { Tau = Double(c, "tau") };
        if (Has(c, "gradient_steps")) p = p with { GradientSteps = Int(c, "gradient_steps") };
        if (Has(c, "train_freq")) p = p with { TrainFreq = Int(c, "train_freq") };
        if (Has(c, "learning_starts")) p = p with { LearningStarts = Int(c, "learning_starts") };
        if (Has(c, "exploration_noise")) p = p with { ExplorationNoise = Double(c, "exploration_noise") };
        p.Validate();
        return p;
    }

    /// <summary>The HPO configuration of the params, keys in <see cref="DdpgModule.SearchSpace"/>'s order. Values may lie outside the ranges.</summary>
    /// <param name="p">Params to describe.</param>
    public static Configuration ToConfiguration(DdpgParams p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new Configuration(new KeyValuePair<string, object>[]
        {
            new("buffer_size", (long)p.BufferSize),
            new("buffer_batch_size", (long)p.BatchSize),
            new("learning_rate", p.LearningRate),
            new("gamma", p.Gamma),
            new("tau", p.Tau),
            new("gradient_steps", (long)p.GradientSteps),
            new("train_freq", (long)p.TrainFreq),
            new("learning_starts", (long)p.LearningStarts),
            new("exploration_noise", p.ExplorationNoise),
        });
    }
}
