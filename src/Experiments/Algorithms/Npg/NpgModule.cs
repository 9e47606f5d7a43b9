using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Npg;

/// <summary>NPG's module: its factory and search spaces (see <see cref="AlgorithmModule"/>).</summary>
public sealed class NpgModule : AlgorithmModule<NPGAlgorithmFactory>
{
    /// <summary>The algorithm's name.</summary>
    public const string AlgorithmName = "NPG";

    /// <inheritdoc />
    public override string Description => "Natural policy gradient (conjugate gradient on Fisher–vector products, GAE); Discrete and Box actions";

    /// <summary>
    /// ARLBench has no NPG space; this one uses the keys NPG shares with ARLBench's PPO space (<c>learning_rate</c>,
    /// <c>n_steps</c>, <c>gamma</c>, <c>gae_lambda</c>, <c>normalize_advantage</c>, <c>normalize_observations</c>; see
    /// NaturalGradientSupport) plus <c>trust_region_size</c> 0.01..1.0 on a log scale, default Tianshou's 0.5 (Tianshou's
    /// MuJoCo NPG example uses 0.1).
    /// </summary>
    public override ConfigurationSpace SearchSpace() => new ConfigurationSpace("npg")
        .Add([
            .. NaturalGradientSupport.SharedHyperparameters(),
            new FloatHyperparameter("trust_region_size", 0.01, 1.0, 0.5, log: true)]);

    /// <summary>NPG network space: activation {tanh, relu} (tanh), hidden_size 1..2048 (64), as ARLBench's PPO NAS space.</summary>
    public override ConfigurationSpace NasSpace() => SearchSpaceParts.Nas("npg_nas", 2048, 64);
}
