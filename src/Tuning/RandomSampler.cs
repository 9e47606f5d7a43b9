using RlExperiments.Core;

namespace RlExperiments.Tuning;

/// <summary>Samples independently from the space's prior (uniform / log-uniform / uniform over choices).</summary>
public sealed class RandomSampler : ISampler
{
    /// <inheritdoc />
    public Configuration Suggest(ConfigurationSpace space, IReadOnlyList<Trial> history, Rng rng) => space.Sample(rng);
}
