using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Pg;

/// <summary>REINFORCE's module: its factory and search spaces (see <see cref="AlgorithmModule"/>).</summary>
public sealed class PgModule : AlgorithmModule<PGAlgorithmFactory>
{
    /// <summary>The algorithm's name.</summary>
    public const string AlgorithmName = "PG";

    /// <inheritdoc />
    public override string Description => "Vanilla policy gradient (REINFORCE, Monte-Carlo returns, no critic); Discrete and Box actions";

    /// <summary>
    /// ARLBench has no PG space; this one uses the keys PG shares with ARLBench's PPO space: <c>learning_rate</c> and
    /// <c>gamma</c> with ARLBench's ranges (the learning rate's default is Tianshou's 1e-3), <c>n_steps</c> as powers of two
    /// 32..2048 (default 2048, SB3's on-policy default; Tianshou collects 2048 steps in its MuJoCo REINFORCE example) and
    /// <c>normalize_observations</c> (off).
    /// </summary>
    public override ConfigurationSpace SearchSpace() => new ConfigurationSpace("pg")
        .Add([
            new FloatHyperparameter("learning_rate", 1e-6, 0.1, 1e-3, log: true),
            SearchSpaceParts.Gamma(),
            new CategoricalHyperparameter("n_steps", new object[] { 32L, 64L, 128L, 256L, 512L, 1024L, 2048L }, 2048L),
            SearchSpaceParts.NormalizeObservations()]);

    /// <summary>PG network space: activation {tanh, relu} (tanh), hidden_size 1..2048 (64), as ARLBench's PPO NAS space.</summary>
    public override ConfigurationSpace NasSpace() => SearchSpaceParts.Nas("pg_nas", 2048, 64);
}
