using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents;

/// <summary>
/// A trained or training policy: maps a batch of observations to actions. Collectors and evaluation
/// use only this, so they work for every algorithm.
/// </summary>
public interface IAgent
{
    /// <summary>The observation space of one environment.</summary>
    Space ObservationSpace { get; }

    /// <summary>The action space of one environment.</summary>
    Space ActionSpace { get; }

    /// <summary>
    /// Chooses actions for <c>observations.Length / ObservationSize</c> rows, writing them into
    /// <paramref name="actions"/>: one integer-valued float per row for a discrete space, or
    /// ActionSize floats per row in the Box's bounds for a continuous one. <paramref name="deterministic"/>
    /// selects the greedy/mean action (evaluation) instead of the exploring one. Allocates nothing.
    /// </summary>
    void Act(ReadOnlySpan<float> observations, Span<float> actions, bool deterministic);

    /// <summary>The networks whose weights define the policy, by name (e.g. "q", "actor"): what gets saved.</summary>
    IReadOnlyDictionary<string, Module> Networks { get; }
}
