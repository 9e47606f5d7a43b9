using RlExperiments.Tuning;

namespace RlExperiments.Experiments.Algorithms.Sac;

/// <summary>SAC's module: its factory and search spaces (see <see cref="AlgorithmModule"/>).</summary>
public sealed class SacModule : AlgorithmModule
{
    /// <summary>The algorithm's name.</summary>
    public const string AlgorithmName = "SAC";

    /// <inheritdoc />
    public override string Name => AlgorithmName;

    /// <inheritdoc />
    public override string Description => "Soft actor-critic (twin critics, automatic entropy); bounded Box actions";

    /// <inheritdoc />
    public override AlgorithmFactory CreateDefault() => new SACAlgorithmFactory();

    /// <inheritdoc />
    public override ConfigurationSpace SearchSpace() => SacSearchSpace.Hpo();

    /// <inheritdoc />
    public override ConfigurationSpace NasSpace() => SacSearchSpace.Nas();

    /// <summary>ARLBench's SAC space without prioritised replay and observation normalisation, which the SAC agent does not apply.</summary>
    public override ConfigurationSpace AutoRLSpace() => SearchSpace().Without("buffer_prio_sampling", "buffer_alpha", "buffer_beta", "buffer_epsilon",
        EnvironmentHyperparameters.NormalizeObservationsKey);
}
