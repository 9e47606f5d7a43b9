using RlExperiments.Agents.Networks;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Factories.Models;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Experiments.Algorithms;

/// <summary>
/// The model-factory rules the on-policy actor-critic algorithms share (PPO, A2C): an actor factory, a critic factory or a
/// critic that shares the actor's hidden layers (Tianshou's <c>with_critic_factory_use_actor</c>), and the
/// <see cref="ActorCriticNetwork"/> they make.
/// </summary>
internal static class ActorCriticModels
{
    /// <summary>Throws naming <paramref name="owner"/> when the factories do not combine.</summary>
    public static void Validate(string owner, ActorFactory? actor, CriticFactory? critic, bool criticUseActor)
    {
        actor?.Validate();
        critic?.Validate();
        if (criticUseActor && critic is not null)
            throw new ArgumentException($"{owner}.CriticUseActor = true is invalid with a CriticFactory ({critic.GetType().Name}); allowed: one of the two.", "CriticUseActor");
        if (criticUseActor && actor is not null and not ActorFactoryDefault)
            throw new ArgumentException($"{owner}.CriticUseActor = true is invalid with the actor factory {actor.GetType().Name}; allowed: with no actor factory or an ActorFactoryDefault, whose hidden layers become the shared trunk.", "CriticUseActor");
        if (criticUseActor && actor is ActorFactoryDefault { HiddenSizes.Count: 0 })
            throw new ArgumentException($"{owner}.CriticUseActor = true needs at least one hidden layer to share; ActorFactoryDefault.HiddenSizes is empty.", "CriticUseActor");
    }

    /// <summary>
    /// The network the factories describe, or null when the params describe it (no factories, or a shared critic
    /// without an actor factory: then the params' ShareNetwork is set instead).
    /// </summary>
    public static Func<Rng, ActorCriticNetwork>? Network(Space observationSpace, Space actionSpace, ActorFactory? actor, CriticFactory? critic,
        bool criticUseActor, IReadOnlyList<int> hiddenSizes, Activation activation, bool orthoInit, float logStdInit)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        var obsSize = observationSpace.FlatSize;
        var continuous = actionSpace is Box;
        var outputs = actionSpace is Discrete d ? d.N : actionSpace.FlatSize;
        if (criticUseActor && actor is ActorFactoryDefault shared)
            return rng => new ActorCriticNetwork(obsSize, outputs, continuous, shared.HiddenSizes, shared.Activation,
                share: true, shared.OrthoInit, logStdInit, rng);
        if (criticUseActor || (actor is null && critic is null)) return null;
        var a = actor ?? new ActorFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation, OrthoInit = orthoInit };
        var c = critic ?? new CriticFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation, OrthoInit = orthoInit };
        return rng => new ActorCriticNetwork(
            a.Create(observationSpace, actionSpace, rng), c.Create(observationSpace, actionSpace, useAction: false, rng),
            obsSize, outputs, continuous, logStdInit);
    }
}
