namespace RlExperiments.Factories.Models;

/// <summary>
/// A factory of one of an algorithm's networks (Q-network, actor, critic). An algorithm's networks are described only by
/// its model factories (Tianshou's split: the algorithm in its params, the network in its factories); every algorithm
/// factory holds a default one for each network, and that is what <c>experiment.json</c> saves.
/// </summary>
public interface IModelFactory : IValidatable
{
}
