using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms;

/// <summary>Pieces the algorithms' search spaces share: the boolean choices and ARLBench's network (NAS) space.</summary>
internal static class SearchSpaceParts
{
    /// <summary>The values of a boolean categorical hyperparameter.</summary>
    public static readonly object[] Bools = { true, false };

    /// <summary>ARLBench's NAS space: activation {tanh, relu} (tanh) and hidden_size 1..<paramref name="maxHidden"/>.</summary>
    public static ConfigurationSpace Nas(string name, long maxHidden, long defaultHidden) => new ConfigurationSpace(name)
        .Add(
            new CategoricalHyperparameter("activation", new object[] { "tanh", "relu" }, "tanh"),
            new IntegerHyperparameter("hidden_size", 1, maxHidden, defaultHidden));

    /// <summary>ARLBench's learning rate: 1e-6..0.1, log scale, default 3e-4 (every algorithm's space).</summary>
    public static Hyperparameter LearningRate() => new FloatHyperparameter("learning_rate", 1e-6, 0.1, 3e-4, log: true);

    /// <summary>ARLBench's discount: 0.8..1.0, default 0.99.</summary>
    public static Hyperparameter Gamma() => new FloatHyperparameter("gamma", 0.8, 1.0, 0.99);

    /// <summary>ARLBench's observation normalisation switch, default off.</summary>
    public static Hyperparameter NormalizeObservations() => new CategoricalHyperparameter(EnvironmentHyperparameters.NormalizeObservationsKey, Bools, false);

    /// <summary>ARLBench's prioritised replay: <c>buffer_prio_sampling</c> (off), <c>buffer_alpha</c> and <c>buffer_beta</c> 0.01..1 (0.9), and <c>buffer_epsilon</c> 1e-7..<paramref name="epsilonMax"/>.</summary>
    public static Hyperparameter[] PrioritizedReplay(double epsilonMax, double epsilonDefault) =>
    [
        new CategoricalHyperparameter("buffer_prio_sampling", Bools, false),
        new FloatHyperparameter("buffer_alpha", 0.01, 1.0, 0.9),
        new FloatHyperparameter("buffer_beta", 0.01, 1.0, 0.9),
        new FloatHyperparameter("buffer_epsilon", 1e-7, epsilonMax, epsilonDefault),
    ];

    /// <summary>ARLBench's target network: <c>use_target_network</c> (on) and Polyak <c>tau</c> 0.01..1 (1).</summary>
    public static Hyperparameter[] TargetNetwork() =>
    [
        new CategoricalHyperparameter("use_target_network", Bools, true),
        new FloatHyperparameter("tau", 0.01, 1.0, 1.0),
    ];

    /// <summary><c>tau</c> and <c>target_update_interval</c> are active only with <c>use_target_network</c>.</summary>
    public static Condition[] TargetNetworkConditions() =>
    [
        new EqualsCondition("tau", "use_target_network", true),
        new EqualsCondition("target_update_interval", "use_target_network", true),
    ];
}
