using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Factories.Models;

/// <summary>
/// Creates IQN's preprocess network ψ (Tianshou's <c>IntermediateModuleFactory</c> given to
/// <c>with_preprocess_network_factory</c>): observations <c>[B, obs]</c> → a feature vector <c>[B, f]</c>, which the
/// quantile embedding multiplies. Data only; <see cref="Create"/> runs once the spaces are known. Derive from it for your
/// own architecture and allow-list the derived type for persistence.
/// </summary>
public abstract record PreprocessNetworkFactory : IModelFactory
{
    /// <summary>Creates the network, initialising it from <paramref name="rng"/> (the experiment's initialisation stream).</summary>
    /// <param name="observationSpace">A Box observation space.</param>
    /// <param name="rng">The initialisation stream.</param>
    /// <exception cref="ArgumentException">The space is not supported.</exception>
    public abstract Module Create(Space observationSpace, Rng rng);

    /// <inheritdoc />
    public virtual void Validate() { }
}
