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

    /// <summary>The HPO keys, in <see cref="DdpgModule.SearchSpace"/>'s order; TD3's are these and its own three.</summary>
    internal static IReadOnlyList<ParamsKey> Keys { get; } =
    [
        ParamsKey.Int("buffer_size", nameof(DdpgParams.BufferSize)),
        ParamsKey.Int("buffer_batch_size", nameof(DdpgParams.BatchSize)),
        ParamsKey.Double("learning_rate", nameof(DdpgParams.LearningRate)),
        ParamsKey.Double("gamma", nameof(DdpgParams.Gamma)),
        ParamsKey.Double("tau", nameof(DdpgParams.Tau)),
        ParamsKey.Int("gradient_steps", nameof(DdpgParams.GradientSteps)),
        ParamsKey.Int("train_freq", nameof(DdpgParams.TrainFreq)),
        ParamsKey.Int("learning_starts", nameof(DdpgParams.LearningStarts)),
        ParamsKey.Double("exploration_noise", nameof(DdpgParams.ExplorationNoise)),
    ];

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
        p = ParamsKey.Apply(hpo, p, Keys);
        p.Validate();
        return p;
    }

    /// <summary>The HPO configuration of the params, keys in <see cref="DdpgModule.SearchSpace"/>'s order. Values may lie outside the ranges.</summary>
    /// <param name="p">Params to describe.</param>
    public static Configuration ToConfiguration(DdpgParams p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new Configuration(ParamsKey.Describe(p, Keys));
    }
}
