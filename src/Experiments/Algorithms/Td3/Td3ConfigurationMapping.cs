using RlExperiments.Agents.Algorithms.Td3;
using RlExperiments.Tuning;
using static RlExperiments.Experiments.Algorithms.MappingSupport;

namespace RlExperiments.Experiments.Algorithms.Td3;

/// <summary>
/// Turns configurations of TD3's spaces (<see cref="Td3Module.SearchSpace"/>) into
/// <see cref="Td3Params"/> and back: <c>buffer_size</c> → <see cref="Td3Params.BufferSize"/>, <c>buffer_batch_size</c> →
/// <see cref="Td3Params.BatchSize"/>, <c>learning_rate</c>, <c>gamma</c>, <c>tau</c>, <c>gradient_steps</c>,
/// <c>train_freq</c>, <c>learning_starts</c>, <c>exploration_noise</c>, <c>policy_noise</c>, <c>noise_clip</c>, <c>update_actor_freq</c> → the fields of the same name. Values are not
/// checked against the ranges; the resulting params are validated with <see cref="Td3Params.Validate"/>.
/// </summary>
public static class Td3ConfigurationMapping
{
    private const string Algo = "TD3";
    private static readonly ConfigurationSpace HpoSpace = new Td3Module().SearchSpace();

    /// <summary>Builds params from an HPO configuration (the network is the model factories', see AlgorithmFactory.WithConfiguration), starting from <paramref name="basis"/>; absent keys keep the basis value.</summary>
    /// <param name="hpo">A full or partial configuration of <see cref="Td3Module.SearchSpace"/>.</param>
    /// <param name="basis">Values of unmapped and absent fields; default <c>new Td3Params()</c>.</param>
    /// <returns>Validated params.</returns>
    /// <exception cref="ArgumentException">An unknown key or a value of the wrong type.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The resulting params fail <see cref="Td3Params.Validate"/>.</exception>
    public static Td3Params ToParams(Configuration hpo, Td3Params? basis = null)
    {
        CheckKnownKeys(hpo, HpoSpace, Algo, "HPO");
        var p = basis ?? new Td3Params();
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
        if (Has(c, "policy_noise")) p = p with { PolicyNoise = Double(c, "policy_noise") };
        if (Has(c, "noise_clip")) p = p with { NoiseClip = Double(c, "noise_clip") };
        if (Has(c, "update_actor_freq")) p = p with { UpdateActorFreq = Int(c, "update_actor_freq") };
        p.Validate();
        return p;
    }

    /// <summary>The HPO configuration of the params, keys in <see cref="Td3Module.SearchSpace"/>'s order. Values may lie outside the ranges.</summary>
    /// <param name="p">Params to describe.</param>
    public static Configuration ToConfiguration(Td3Params p)
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
            new("policy_noise", p.PolicyNoise),
            new("noise_clip", p.NoiseClip),
            new("update_actor_freq", (long)p.UpdateActorFreq),
        });
    }
}
