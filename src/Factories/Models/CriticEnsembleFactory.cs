using RlExperiments.Agents.Networks;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;

namespace RlExperiments.Factories.Models;

/// <summary>
/// Creates REDQ's critic ensemble (Tianshou's <c>CriticEnsembleFactory</c>): E Q-networks on <c>[B, obs + act]</c>
/// evaluated together, <c>[E, B, 1]</c>. Data only; <see cref="Create"/> runs late, once the spaces are known. Derive from
/// it for your own architecture and allow-list the derived type for persistence.
/// </summary>
public abstract record CriticEnsembleFactory : IValidatable
{
    /// <summary>Creates the ensemble, initialising it from <paramref name="rng"/>.</summary>
    /// <param name="observationSpace">A Box observation space.</param>
    /// <param name="actionSpace">A Box action space.</param>
    /// <param name="ensembleSize">Members E.</param>
    /// <param name="rng">The initialisation stream.</param>
    /// <exception cref="ArgumentException">A space is not supported.</exception>
    public abstract EnsembleQCritic Create(Space observationSpace, Space actionSpace, int ensembleSize, Rng rng);

    /// <inheritdoc />
    public virtual void Validate() { }
}
