namespace RlExperiments.Experiments.Tuning;

/// <summary>
/// Built-in search spaces with ARLBench's ranges, log flags, defaults and conditions
/// (automl/arlbench <c>get_hpo_config_space</c> / <c>get_nas_config_space</c>).
/// </summary>
public static class SearchSpaces
{
    private static readonly object[] Bools = { true, false };

    /// <summary>
    /// DQN hyperparameters. <c>tau</c> and <c>target_update_interval</c> are active only when
    /// <c>use_target_network</c> is true (as in ARLBench).
    /// </summary>
    public static ConfigurationSpace Dqn() => new ConfigurationSpace("dqn")
        .Add(
            new IntegerHyperparameter("buffer_size", 1024, 10_000_000, 1_000_000),
            new CategoricalHyperparameter("buffer_batch_size", new object[] { 4L, 8L, 16L, 32L, 64L }, 16L),
            new CategoricalHyperparameter("buffer_prio_sampling", Bools, false),
            new FloatHyperparameter("buffer_alpha", 0.01, 1.0, 0.9),
            new FloatHyperparameter("buffer_beta", 0.01, 1.0, 0.9),
            new FloatHyperparameter("buffer_epsilon", 1e-7, 1e-3, 1e-6),
            new FloatHyperparameter("learning_rate", 1e-6, 0.1, 3e-4, log: true),
            new FloatHyperparameter("gamma", 0.8, 1.0, 0.99),
            new FloatHyperparameter("initial_epsilon", 0.5, 1.0, 1.0),
            new FloatHyperparameter("target_epsilon", 0.001, 0.2, 0.05),
            new FloatHyperparameter("exploration_fraction", 0.005, 0.5, 0.1),
            new CategoricalHyperparameter("use_target_network", Bools, true),
            new FloatHyperparameter("tau", 0.01, 1.0, 1.0),
            new IntegerHyperparameter("train_freq", 1, 256, 4),
            new IntegerHyperparameter("gradient_steps", 1, 256, 1),
            new IntegerHyperparameter("learning_starts", 0, 32768, 1024),
            new IntegerHyperparameter("target_update_interval", 1, 2000, 1000),
            new CategoricalHyperparameter("normalize_observations", Bools, false))
        .Add(
            new EqualsCondition("tau", "use_target_network", true),
            new EqualsCondition("target_update_interval", "use_target_network", true));

    /// <summary>PPO hyperparameters (no conditions).</summary>
    public static ConfigurationSpace Ppo() => new ConfigurationSpace("ppo")
        .Add(
            new CategoricalHyperparameter("minibatch_size", new object[] { 16L, 32L, 64L, 128L, 2048L }, 64L),
            new FloatHyperparameter("learning_rate", 1e-6, 0.1, 3e-4, log: true),
            new CategoricalHyperparameter("n_steps", new object[] { 5L, 32L, 64L, 80L, 128L, 256L, 512L }, 128L),
            new IntegerHyperparameter("update_epochs", 1, 20, 10),
            new FloatHyperparameter("gamma", 0.8, 1.0, 0.99),
            new FloatHyperparameter("gae_lambda", 0.8, 0.9999, 0.95),
            new FloatHyperparameter("clip_eps", 0.0, 0.5, 0.2),
            new FloatHyperparameter("vf_clip_eps", 0.0, 0.5, 0.2),
            new CategoricalHyperparameter("normalize_advantage", Bools, true),
            new FloatHyperparameter("ent_coef", 0.0, 0.5, 0.0),
            new FloatHyperparameter("vf_coef", 0.0, 1.0, 0.5),
            new FloatHyperparameter("max_grad_norm", 0.0, 1.0, 0.5),
            new CategoricalHyperparameter("normalize_observations", Bools, false));

    /// <summary>
    /// SAC hyperparameters. <c>tau</c> and <c>target_update_interval</c> are active only when
    /// <c>use_target_network</c> is true; the fixed entropy coefficient <c>alpha</c> only when <c>alpha_auto</c> is false.
    /// </summary>
    public static ConfigurationSpace Sac() => new ConfigurationSpace("sac")
        .Add(
            new IntegerHyperparameter("buffer_size", 1, 10_000_000, 1_000_000),
            new CategoricalHyperparameter("buffer_batch_size", new object[] { 64L, 128L, 256L, 512L }, 256L),
            new CategoricalHyperparameter("buffer_prio_sampling", Bools, false),
            new FloatHyperparameter("buffer_alpha", 0.01, 1.0, 0.9),
            new FloatHyperparameter("buffer_beta", 0.01, 1.0, 0.9),
            new FloatHyperparameter("buffer_epsilon", 1e-7, 1e-2, 1e-3),
            new FloatHyperparameter("learning_rate", 1e-6, 0.1, 3e-4, log: true),
            new FloatHyperparameter("gamma", 0.8, 1.0, 0.99),
            new CategoricalHyperparameter("use_target_network", Bools, true),
            new FloatHyperparameter("tau", 0.01, 1.0, 1.0),
            new IntegerHyperparameter("gradient_steps", 1, 100_000, 1),
            new IntegerHyperparameter("train_freq", 1, 128, 1),
            new IntegerHyperparameter("learning_starts", 0, 1024, 128),
            new IntegerHyperparameter("target_update_interval", 1, 1000, 1000),
            new CategoricalHyperparameter("alpha_auto", Bools, true),
            new FloatHyperparameter("alpha", 0.0, 1.0, 1.0),
            new CategoricalHyperparameter("normalize_observations", Bools, false))
        .Add(
            new EqualsCondition("tau", "use_target_network", true),
            new EqualsCondition("target_update_interval", "use_target_network", true),
            new EqualsCondition("alpha", "alpha_auto", false));

    /// <summary>DQN network space: activation {tanh, relu} (tanh), hidden_size 1..1024 (64).</summary>
    public static ConfigurationSpace DqnNas() => Nas("dqn_nas", 1024, 64);

    /// <summary>PPO network space: activation {tanh, relu} (tanh), hidden_size 1..2048 (64).</summary>
    public static ConfigurationSpace PpoNas() => Nas("ppo_nas", 2048, 64);

    /// <summary>SAC network space: activation {tanh, relu} (tanh), hidden_size 1..1024 (256).</summary>
    public static ConfigurationSpace SacNas() => Nas("sac_nas", 1024, 256);

    private static ConfigurationSpace Nas(string name, long maxHidden, long defaultHidden) => new ConfigurationSpace(name)
        .Add(
            new CategoricalHyperparameter("activation", new object[] { "tanh", "relu" }, "tanh"),
            new IntegerHyperparameter("hidden_size", 1, maxHidden, defaultHidden));
}
