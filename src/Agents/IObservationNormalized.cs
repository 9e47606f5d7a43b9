using RlExperiments.Agents.Normalization;

namespace RlExperiments.Agents;

/// <summary>
/// An agent that may normalise observations with running statistics, which belong to its policy: they are saved and
/// restored with its weights and updated by the trainer with training observations.
/// </summary>
public interface IObservationNormalized
{
    /// <summary>The observation normaliser, or null when the agent does not normalise observations.</summary>
    ObservationNormalizer? ObservationNormalizer { get; }
}
