using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Sac;

/// <summary>SAC's module: its factory and search spaces (see <see cref="AlgorithmModule"/>).</summary>
public sealed class SacModule : AlgorithmModule<SACAlgorithmFactory>
{
    /// <summary>The algorithm's name.</summary>
    public const string AlgorithmName = "SAC";

    /// <inheritdoc />
    public override string Description => "Soft actor-critic (twin critics, automatic entropy); bounded Box actions";

    /// <summary>ARLBench's SAC space without prioritised replay and observation normalisation, which the SAC agent does not apply.</summary>
    public override ConfigurationSpace AutoRLSpace() => SearchSpace().Without("buffer_prio_sampling", "buffer_alpha", "buffer_beta", "buffer_epsilon",
        EnvironmentHyperparameters.NormalizeObservationsKey);

    /// <summary>
    /// ARLBench's space (automl/arlbench <c>get_hpo_config_space</c>): SAC hyperparameters. <c>tau</c> and <c>target_update_interval</c> are active only when
    /// <c>use_target_network</c> is true; the fixed entropy coefficient <c>alpha</c> only when <c>alpha_auto</c> is false.
    /// </summary>
    public override ConfigurationSpace SearchSpace() => new ConfigurationSpace("sac")
        .Add(
            new IntegerHyperparameter("buffer_size", 1, 10_000_000, 1_000_000),
            new CategoricalHyperparameter("buffer_batch_size", new object[] { 64L, 128L, 256L, 512L }, 256L),
            new CategoricalHyperparameter("buffer_prio_sampling", SearchSpaceParts.Bools, false),
            new FloatHyperparameter("buffer_alpha", 0.01, 1.0, 0.9),
            new FloatHyperparameter("buffer_beta", 0.01, 1.0, 0.9),
            new FloatHyperparameter("buffer_epsilon", 1e-7, 1e-2, 1e-3),
            new FloatHyperparameter("learning_rate", 1e-6, 0.1, 3e-4, log: true),
            new FloatHyperparameter("gamma", 0.8, 1.0, 0.99),
            new CategoricalHyperparameter("use_target_network", SearchSpaceParts.Bools, true),
            new FloatHyperparameter("tau", 0.01, 1.0, 1.0),
            new IntegerHyperparameter("gradient_steps", 1, 100_000, 1),
            new IntegerHyperparameter("train_freq", 1, 128, 1),
            new IntegerHyperparameter("learning_starts", 0, 1024, 128),
            new IntegerHyperparameter("target_update_interval", 1, 1000, 1000),
            new CategoricalHyperparameter("alpha_auto", SearchSpaceParts.Bools, true),
            new FloatHyperparameter("alpha", 0.0, 1.0, 1.0),
            new CategoricalHyperparameter("normalize_observations", SearchSpaceParts.Bools, false))
        .Add(
            new EqualsCondition("tau", "use_target_network", true),
            new EqualsCondition("target_update_interval", "use_target_network", true),
            new EqualsCondition("alpha", "alpha_auto", false));

    /// <summary>SAC network space: activation {tanh, relu} (tanh), hidden_size 1..1024 (256). (ARLBench's <c>get_nas_config_space</c>)</summary>
    public override ConfigurationSpace NasSpace() => SearchSpaceParts.Nas("sac_nas", 1024, 256);
}
