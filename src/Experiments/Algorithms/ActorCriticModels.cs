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
        if (actor is null)
            throw new ArgumentException($"{owner}.ActorFactory = null is invalid; allowed: an ActorFactory.", "ActorFactory");
        actor.Validate();
        critic?.Validate();
        if (criticUseActor && critic is not null)
            throw new ArgumentException($"{owner}.CriticUseActor = true is invalid with a CriticFactory ({critic.GetType().Name}); allowed: one of the two (set CriticFactory = null to share the actor's layers).", "CriticUseActor");
        if (!criticUseActor && critic is null)
            throw new ArgumentException($"{owner}.CriticFactory = null is invalid with CriticUseActor = false; allowed: a CriticFactory, or CriticUseActor = true.", "CriticFactory");
        if (criticUseActor && actor is not ActorFactoryDefault)
            throw new ArgumentException($"{owner}.CriticUseActor = true is invalid with the actor factory {actor.GetType().Name}; allowed: with an ActorFactoryDefault, whose hidden layers become the shared trunk.", "CriticUseActor");
        if (criticUseActor && actor is ActorFactoryDefault { HiddenSizes.Count: 0 })
            throw new ArgumentException($"{owner}.CriticUseActor = true needs at least one hidden layer to share; ActorFactoryDefault.HiddenSizes is empty.", "CriticUseActor");
    }

    /// <summary>
    /// The network the factories describe. An actor and a critic of the default factories with the same layers are built
    /// as one <see cref="ActorCriticNetwork"/> (both networks first, then their initialisation), which is how every run
    /// initialised them before the networks left the params: the same seed still gives the same weights.
    /// </summary>
    public static Func<Rng, ActorCriticNetwork> Network(Space observationSpace, Space actionSpace, ActorFactory actor, CriticFactory? critic,
        bool criticUseActor, float logStdInit)
    {
        ArgumentNullException.ThrowIfNull(observationSpace);
        ArgumentNullException.ThrowIfNull(actor);
        var obsSize = observationSpace.FlatSize;
        var continuous = actionSpace is Box;
        var outputs = actionSpace is Discrete d ? d.N : actionSpace.FlatSize;
        if (criticUseActor && actor is ActorFactoryDefault shared)
            return rng => new ActorCriticNetwork(obsSize, outputs, continuous, shared.HiddenSizes, shared.Activation,
                share: true, shared.OrthoInit, logStdInit, rng);
        if (actor is ActorFactoryDefault a && critic is CriticFactoryDefault c
            && a.HiddenSizes.SequenceEqual(c.HiddenSizes) && a.Activation == c.Activation && a.OrthoInit == c.OrthoInit)
            return rng => new ActorCriticNetwork(obsSize, outputs, continuous, a.HiddenSizes, a.Activation, share: false, a.OrthoInit, logStdInit, rng);
        var criticFactory = critic ?? throw new ArgumentException("A critic factory is needed unless the critic shares the actor's layers.", nameof(critic));
        return rng => new ActorCriticNetwork(
            actor.Create(observationSpace, actionSpace, rng), criticFactory.Create(observationSpace, actionSpace, useAction: false, rng),
            obsSize, outputs, continuous, logStdInit);
    }
}
