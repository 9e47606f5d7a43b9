using RlExperiments.Agents.Algorithms.Td3;
using RlExperiments.Experiments.Algorithms.Ddpg;
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

    // The HPO keys, in Td3Module.SearchSpace's order: DDPG's (TD3's params have the same fields) and TD3's own.
    private static readonly IReadOnlyList<ParamsKey> Keys =
    [
        .. DdpgConfigurationMapping.Keys,
        ParamsKey.Double("policy_noise", nameof(Td3Params.PolicyNoise)),
        ParamsKey.Double("noise_clip", nameof(Td3Params.NoiseClip)),
        ParamsKey.Int("update_actor_freq", nameof(Td3Params.UpdateActorFreq)),
    ];

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
        p = ParamsKey.Apply(hpo, p, Keys);
        p.Validate();
        return p;
    }

    /// <summary>The HPO configuration of the params, keys in <see cref="Td3Module.SearchSpace"/>'s order. Values may lie outside the ranges.</summary>
    /// <param name="p">Params to describe.</param>
    public static Configuration ToConfiguration(Td3Params p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new Configuration(ParamsKey.Describe(p, Keys));
    }
}
