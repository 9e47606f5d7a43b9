using RlExperiments.Environments.Vector;

namespace RlExperiments.Agents.Training;

/// <summary>The check both trainers make before training: the agent was built for these environments' spaces.</summary>
internal static class AgentSpaces
{
    /// <summary>Throws, naming both pairs of spaces, when <paramref name="envs"/> does not match <paramref name="agent"/>.</summary>
    public static void Check(IAgent agent, VectorEnv envs, string name)
    {
        if (!envs.SingleObservationSpace.Equals(agent.ObservationSpace) || !envs.SingleActionSpace.Equals(agent.ActionSpace))
            throw new ArgumentException(
                $"The agent was built for observation space {agent.ObservationSpace} and action space {agent.ActionSpace}; " +
                $"{name} has {envs.SingleObservationSpace} and {envs.SingleActionSpace}.", name);
    }
}
