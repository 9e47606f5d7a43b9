using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Trpo;

/// <summary>TRPO's module: its factory and search spaces (see <see cref="AlgorithmModule"/>).</summary>
public sealed class TrpoModule : AlgorithmModule<TRPOAlgorithmFactory>
{
    /// <summary>The algorithm's name.</summary>
    public const string AlgorithmName = "TRPO";

    /// <inheritdoc />
    public override string Description => "Trust region policy optimisation (natural gradient, KL line search, GAE); Discrete and Box actions";

    /// <summary>
    /// ARLBench has no TRPO space; this one uses the keys TRPO shares with ARLBench's PPO space (<c>learning_rate</c>,
    /// <c>n_steps</c>, <c>gamma</c>, <c>gae_lambda</c>, <c>normalize_advantage</c>, <c>normalize_observations</c>; see
    /// NaturalGradientSupport) plus <c>max_kl</c> 0.001..0.1 on a log scale, default Tianshou's 0.01 (the range of
    /// rl-baselines3-zoo's TRPO <c>target_kl</c> sampler, values 0.001..0.1; SB3's default is 0.01).
    /// </summary>
    public override ConfigurationSpace SearchSpace() => new ConfigurationSpace("trpo")
        .Add([
            .. NaturalGradientSupport.SharedHyperparameters(),
            new FloatHyperparameter("max_kl", 0.001, 0.1, 0.01, log: true)]);

    /// <summary>TRPO network space: activation {tanh, relu} (tanh), hidden_size 1..2048 (64), as ARLBench's PPO NAS space.</summary>
    public override ConfigurationSpace NasSpace() => SearchSpaceParts.Nas("trpo_nas", 2048, 64);
}
