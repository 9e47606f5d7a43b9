using RlExperiments.Agents;

namespace RlExperiments.Experiments.Callbacks;

/// <summary>The check the ε callbacks share: they apply to agents that explore ε-greedily (<see cref="IEpsilonGreedy"/>, e.g. DQN).</summary>
internal static class EpsilonGreedyOnly
{
    /// <summary>At <c>Build()</c>: throws, naming the callback and the algorithm, when the algorithm's agent is not ε-greedy.</summary>
    public static void Check(string owner, CallbackCheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!typeof(IEpsilonGreedy).IsAssignableFrom(context.Algorithm.AgentType))
            throw new ArgumentException(
                $"{owner} applies to ε-greedy agents only (such as DQN's); this experiment uses {context.AlgorithmName}, whose {context.Algorithm.AgentType.Name} is not. Remove the callback.", owner);
    }

    /// <summary>At run time: the agent as <see cref="IEpsilonGreedy"/>.</summary>
    public static IEpsilonGreedy Agent(string owner, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Agent as IEpsilonGreedy
            ?? throw new InvalidOperationException($"{owner} needs an ε-greedy agent ({nameof(IEpsilonGreedy)}); the agent is a {context.Agent.GetType().Name}.");
    }
}
