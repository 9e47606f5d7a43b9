using RlExperiments.Experiments.Algorithms;
using RlExperiments.Tuning;

namespace RlExperiments.CustomAlgorithm.Tests;

/// <summary>The test-only algorithm's module: what registering it in an <see cref="AlgorithmRegistry"/> gives the framework.</summary>
public sealed class LinearPgModule : AlgorithmModule<LinearPgAlgorithmFactory>
{
    public const string AlgorithmName = "LinearPG";

    public override string Description => "REINFORCE with a linear softmax policy (test-only)";

    public override ConfigurationSpace SearchSpace() => new ConfigurationSpace("linear_pg")
        .Add(
            new FloatHyperparameter("learning_rate", 1e-3, 1.0, 0.05, log: true),
            new FloatHyperparameter("gamma", 0.9, 0.999, 0.99));

    public override ConfigurationSpace NasSpace() => new("linear_pg_nas");
}
