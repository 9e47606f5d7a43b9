using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.DiscreteSac;

/// <summary>Discrete SAC's module: its factory and search spaces (see <see cref="AlgorithmModule"/>).</summary>
public sealed class DiscreteSacModule : AlgorithmModule<DiscreteSACAlgorithmFactory>
{
    /// <summary>The algorithm's name.</summary>
    public const string AlgorithmName = "DiscreteSAC";

    /// <inheritdoc />
    public override string Description => "Soft actor-critic for discrete actions (categorical actor, twin Q-heads, exact expectations, automatic α)";

    /// <summary>
    /// ARLBench's SAC space (automl/arlbench <c>get_hpo_config_space</c>) for the keys discrete SAC shares with it, with
    /// ARLBench's ranges and <see cref="Agents.Algorithms.DiscreteSac.DiscreteSacParams"/>' defaults: <c>buffer_size</c>
    /// 1..10⁷ (10⁶), <c>buffer_batch_size</c> {64, 128, 256, 512} (64), <c>learning_rate</c> 1e-6..0.1 log (1e-3, the critics'; the
    /// actor's follows at the params' actor:critic ratio), <c>gamma</c> 0.8..1 (0.99), <c>gradient_steps</c> 1..100,000 (1), <c>train_freq</c> 1..128 (1),
    /// <c>learning_starts</c> 0..1024 (100), <c>alpha_auto</c> (true), <c>alpha</c> 0..1 (0.2, active without
    /// <c>alpha_auto</c>). <c>tau</c> 0.001..1 log (0.005): ARLBench's 0.01..1 widened to include Tianshou's default; the
    /// targets are Polyak-averaged after every step, so there is no <c>use_target_network</c> or <c>target_update_interval</c>.
    /// Prioritised replay and observation normalisation are left out: the agent applies neither.
    /// </summary>
    public override ConfigurationSpace SearchSpace() => new ConfigurationSpace("discrete_sac")
        .Add([
            new IntegerHyperparameter("buffer_size", 1, 10_000_000, 1_000_000),
            new CategoricalHyperparameter("buffer_batch_size", new object[] { 64L, 128L, 256L, 512L }, 64L),
            new FloatHyperparameter("learning_rate", 1e-6, 0.1, 1e-3, log: true),
            SearchSpaceParts.Gamma(),
            new FloatHyperparameter("tau", 0.001, 1.0, 0.005, log: true),
            new IntegerHyperparameter("gradient_steps", 1, 100_000, 1),
            new IntegerHyperparameter("train_freq", 1, 128, 1),
            new IntegerHyperparameter("learning_starts", 0, 1024, 100),
            new CategoricalHyperparameter("alpha_auto", SearchSpaceParts.Bools, true),
            new FloatHyperparameter("alpha", 0.0, 1.0, 0.2)])
        .Add([new EqualsCondition("alpha", "alpha_auto", false)]);

    /// <summary>Discrete SAC network space: activation {tanh, relu} (tanh), hidden_size 1..1024 (64).</summary>
    public override ConfigurationSpace NasSpace() => SearchSpaceParts.Nas("discrete_sac_nas", 1024, 64);
}
