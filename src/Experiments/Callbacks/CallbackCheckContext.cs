using RlExperiments.Environments;

using RlExperiments.Experiments.Algorithms;

namespace RlExperiments.Experiments.Callbacks;

/// <summary>What a callback may check at <c>Build()</c>: the algorithm (and through it the kind of agent it creates) and the environment.</summary>
/// <param name="Algorithm">The experiment's algorithm factory.</param>
/// <param name="EnvSpec">The environment's registration (id, time limit, reward threshold).</param>
public sealed record CallbackCheckContext(AlgorithmFactory Algorithm, EnvSpec EnvSpec)
{
    /// <summary>The algorithm's name, e.g. "DQN".</summary>
    public string AlgorithmName => Algorithm.AlgorithmName;
}
