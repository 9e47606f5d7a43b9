using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Ppo;

/// <summary>PPO's module: its factory and search spaces (see <see cref="AlgorithmModule"/>).</summary>
public sealed class PpoModule : AlgorithmModule
{
    /// <summary>The algorithm's name.</summary>
    public const string AlgorithmName = "PPO";

    /// <inheritdoc />
    public override string Name => AlgorithmName;

    /// <inheritdoc />
    public override string Description => "Proximal policy optimisation (clipped surrogate, GAE); Discrete and Box actions";

    /// <inheritdoc />
    public override AlgorithmFactory CreateDefault() => new PPOAlgorithmFactory();

    /// <inheritdoc />
    public override ConfigurationSpace SearchSpace() => PpoSearchSpace.Hpo();

    /// <inheritdoc />
    public override ConfigurationSpace NasSpace() => PpoSearchSpace.Nas();
}
