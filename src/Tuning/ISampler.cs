using RlExperiments.Core;

namespace RlExperiments.Tuning;

/// <summary>Proposes the next configuration to evaluate.</summary>
public interface ISampler
{
    /// <summary>Suggests a configuration of <paramref name="space"/> given the trials so far.</summary>
    /// <param name="space">Search space.</param>
    /// <param name="history">Previous trials (any state).</param>
    /// <param name="rng">Seeded random source.</param>
    Configuration Suggest(ConfigurationSpace space, IReadOnlyList<Trial> history, Rng rng);
}
