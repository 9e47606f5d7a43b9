using RlExperiments.Agents.Evaluation;
using RlExperiments.Environments.Vector;

namespace RlExperiments.Agents.Training;

/// <summary>The checks both trainers make before training, with the same messages.</summary>
internal static class TrainerSetup
{
    /// <summary>Throws, naming both pairs of spaces, when <paramref name="envs"/> does not match <paramref name="agent"/>.</summary>
    public static void CheckSpaces(IAgent agent, VectorEnv envs, string name)
    {
        if (!envs.SingleObservationSpace.Equals(agent.ObservationSpace) || !envs.SingleActionSpace.Equals(agent.ActionSpace))
            throw new ArgumentException(
                $"The agent was built for observation space {agent.ObservationSpace} and action space {agent.ActionSpace}; " +
                $"{name} has {envs.SingleObservationSpace} and {envs.SingleActionSpace}.", name);
    }

    /// <summary>
    /// The evaluator for the test phase, or null when <see cref="TrainerConfig.NumTestEpisodes"/> is 0. Test
    /// environments are required then, must be separate from the training ones, and must match the agent.
    /// </summary>
    public static Evaluator? CreateEvaluator(IAgent agent, VectorEnv trainEnvs, VectorEnv? testEnvs, TrainerConfig config)
    {
        CheckSpaces(agent, trainEnvs, nameof(trainEnvs));
        if (config.NumTestEpisodes <= 0) return null;
        if (testEnvs is null)
            throw new ArgumentException($"NumTestEpisodes is {config.NumTestEpisodes} but no test environments were given; pass them or set NumTestEpisodes to 0.", nameof(testEnvs));
        if (ReferenceEquals(testEnvs, trainEnvs))
            throw new ArgumentException("The test environments must be separate from the training environments (testing would reset the training episodes).", nameof(testEnvs));
        CheckSpaces(agent, testEnvs, nameof(testEnvs));
        return new Evaluator(testEnvs);
    }
}
