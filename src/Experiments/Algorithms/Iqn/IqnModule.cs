using RlExperiments.Factories.Models;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Iqn;

/// <summary>IQN's module: its factory, search spaces and what AutoRL needs (see <see cref="AlgorithmModule"/>).</summary>
public sealed class IqnModule : AlgorithmModule<IQNAlgorithmFactory>
{
    /// <summary>The algorithm's name.</summary>
    public const string AlgorithmName = "IQN";

    /// <inheritdoc />
    public override string Description => "Implicit quantile network (distributional, ε-greedy, n-step); Discrete actions";

    /// <summary>The factory and the default preprocess-network factory.</summary>
    public override IReadOnlyList<Type> PersistedTypes => [typeof(IQNAlgorithmFactory), typeof(PreprocessNetworkFactoryDefault), typeof(ImplicitQuantileNetworkFactory)];

    /// <summary>IQN explores ε-greedily: the AutoRL "entropy" feature reports the last ε.</summary>
    public override string ExplorationMetric => "train/epsilon";

    /// <summary>
    /// ARLBench's DQN space (automl/arlbench <c>get_hpo_config_space</c>; ARLBench has no IQN) without its prioritised-replay
    /// keys, which the IQN agent does not implement, and without <c>normalize_observations</c>, which it does not apply (the
    /// mapping refuses the key by name; ranges and defaults are ARLBench's, so the default configuration is
    /// not <see cref="Agents.Algorithms.Iqn.IqnParams"/>' defaults); <c>tau</c> and <c>target_update_interval</c> are active only when
    /// <c>use_target_network</c> is true.
    /// </summary>
    public override ConfigurationSpace SearchSpace() => new ConfigurationSpace("iqn")
        .Add([
            new IntegerHyperparameter("buffer_size", 1024, 10_000_000, 1_000_000),
            new CategoricalHyperparameter("buffer_batch_size", new object[] { 4L, 8L, 16L, 32L, 64L }, 16L),
            SearchSpaceParts.LearningRate(),
            SearchSpaceParts.Gamma(),
            new FloatHyperparameter("initial_epsilon", 0.5, 1.0, 1.0),
            new FloatHyperparameter("target_epsilon", 0.001, 0.2, 0.05),
            new FloatHyperparameter("exploration_fraction", 0.005, 0.5, 0.1),
            .. SearchSpaceParts.TargetNetwork(),
            new IntegerHyperparameter("train_freq", 1, 256, 4),
            new IntegerHyperparameter("gradient_steps", 1, 256, 1),
            new IntegerHyperparameter("learning_starts", 0, 32768, 1024),
            new IntegerHyperparameter("target_update_interval", 1, 2000, 1000)])
        .Add(SearchSpaceParts.TargetNetworkConditions());

    /// <summary>IQN network space (ARLBench's DQN <c>get_nas_config_space</c>): activation {tanh, relu}, hidden_size 1..1024 (64) for the preprocess network.</summary>
    public override ConfigurationSpace NasSpace() => SearchSpaceParts.Nas("iqn_nas", 1024, 64);
}
