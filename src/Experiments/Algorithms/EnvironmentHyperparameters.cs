using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms;

/// <summary>
/// Hyperparameters of ARLBench's search spaces that configure the environment rather than the agent. The
/// configuration mappings (e.g. DQN's and SAC's) ignore
/// them because the params records have no such field; the caller building the environment (e.g. the AutoRL
/// environment) reads them here and applies them, e.g. as an observation-normalisation wrapper.
/// </summary>
public static class EnvironmentHyperparameters
{
    /// <summary>Name of ARLBench's observation-normalisation hyperparameter.</summary>
    public const string NormalizeObservationsKey = "normalize_observations";

    /// <summary>
    /// Whether the configuration asks for observations normalised with running statistics
    /// (<c>normalize_observations</c>); false when the key is absent.
    /// </summary>
    /// <param name="configuration">An HPO configuration (full or partial).</param>
    /// <exception cref="ArgumentException">The value is not a bool.</exception>
    public static bool NormalizeObservations(Configuration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.TryGetValue(NormalizeObservationsKey, out _) && MappingSupport.Bool(configuration, NormalizeObservationsKey);
    }
}
