using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Dqn;

/// <summary>DQN's module: its factory, search spaces and what AutoRL needs (see <see cref="AlgorithmModule"/>).</summary>
public sealed class DqnModule : AlgorithmModule<DQNAlgorithmFactory>
{
    /// <summary>The algorithm's name.</summary>
    public const string AlgorithmName = "DQN";

    /// <inheritdoc />
    public override AlgorithmPreset? Preset(string envId) =>
        DqnPresets.All.FirstOrDefault(p => p.EnvId == envId) is { } p ? new AlgorithmPreset(new DQNAlgorithmFactory { Params = p.Params }.WithNetArch(p.NetArch), p.TotalTimesteps, p.NumEnvs) : null;

    /// <inheritdoc />
    public override IReadOnlyList<string> PresetEnvIds => DqnPresets.All.Select(p => p.EnvId).ToArray();

    /// <inheritdoc />
    public override string Description => "Deep Q-network (double, dueling, n-step, prioritised replay); Discrete actions";

    /// <summary>DQN explores ε-greedily: the AutoRL "entropy" feature reports the last ε.</summary>
    public override string ExplorationMetric => "train/epsilon";

    /// <summary>
    /// ARLBench's space (automl/arlbench <c>get_hpo_config_space</c>): DQN hyperparameters. <c>tau</c> and <c>target_update_interval</c> are active only when
    /// <c>use_target_network</c> is true (as in ARLBench). ARLBench's <c>normalize_observations</c> is left out: the DQN agent does not normalise observations, and the mapping refuses it set.
    /// </summary>
    public override ConfigurationSpace SearchSpace() => new ConfigurationSpace("dqn")
        .Add([
            new IntegerHyperparameter("buffer_size", 1024, 10_000_000, 1_000_000),
            new CategoricalHyperparameter("buffer_batch_size", new object[] { 4L, 8L, 16L, 32L, 64L }, 16L),
            .. SearchSpaceParts.PrioritizedReplay(1e-3, 1e-6),
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

    /// <summary>DQN network space: activation {tanh, relu} (tanh), hidden_size 1..1024 (64). (ARLBench's <c>get_nas_config_space</c>)</summary>
    public override ConfigurationSpace NasSpace() => SearchSpaceParts.Nas("dqn_nas", 1024, 64);
}
