using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Dqn;

/// <summary>DQN's module: its factory, search spaces and what AutoRL needs (see <see cref="AlgorithmModule"/>).</summary>
public sealed class DqnModule : AlgorithmModule
{
    /// <summary>The algorithm's name.</summary>
    public const string AlgorithmName = "DQN";

    /// <inheritdoc />
    public override string Name => AlgorithmName;

    /// <inheritdoc />
    public override string Description => "Deep Q-network (double, dueling, n-step, prioritised replay); Discrete actions";

    /// <inheritdoc />
    public override AlgorithmFactory CreateDefault() => new DQNAlgorithmFactory();

    /// <inheritdoc />
    public override ConfigurationSpace SearchSpace() => DqnSearchSpace.Hpo();

    /// <inheritdoc />
    public override ConfigurationSpace NasSpace() => DqnSearchSpace.Nas();

    /// <summary>ARLBench's DQN space without observation normalisation, which the DQN agent does not apply.</summary>
    public override ConfigurationSpace AutoRLSpace() => SearchSpace().Without(EnvironmentHyperparameters.NormalizeObservationsKey);

    /// <summary>DQN explores ε-greedily: the AutoRL "entropy" feature reports the last ε.</summary>
    public override string ExplorationMetric => "train/epsilon";
}
