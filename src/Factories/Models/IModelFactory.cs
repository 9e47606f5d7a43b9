namespace RlExperiments.Factories.Models;

/// <summary>
/// A factory of one of an algorithm's networks (Q-network, actor, critic). Where an algorithm factory holds one, the
/// network is described there and not by the params' network fields (<c>HiddenSizes</c>, <c>Activation</c>, ...):
/// <c>Build()</c> refuses a params network field that says otherwise, so every setting has one source.
/// </summary>
public interface IModelFactory : IValidatable
{
}
