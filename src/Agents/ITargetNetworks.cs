namespace RlExperiments.Agents;

/// <summary>
/// An agent with target networks (lagged copies of online networks, e.g. DQN's Q-target, SAC's critic targets). Code
/// that replaces the online weights (restoring a policy) calls <see cref="SyncTargetNetworks"/> so the targets follow.
/// </summary>
public interface ITargetNetworks
{
    /// <summary>Copies every online network into its target network (a hard copy, whatever the agent's τ).</summary>
    void SyncTargetNetworks();
}
