using RlExperiments.Experiments.Algorithms;
using RlExperiments.Factories;

namespace RlExperiments.Experiments.Builders;

/// <summary>
/// Builds an experiment for any registered algorithm from its factory (an <see cref="AlgorithmModule"/>'s default or
/// preset, with a configuration applied): what the command line and other by-name callers use where the typed
/// builders (<c>DQNExperimentBuilder</c>, ...) need the algorithm known at compile time.
/// </summary>
/// <param name="algorithm">The algorithm factory (params and model factories).</param>
/// <param name="envFactory">The environment.</param>
/// <param name="experimentConfig">Seed, persistence, checkpoints (defaults when null).</param>
/// <param name="samplingConfig">Epochs, steps, environments (defaults when null).</param>
public sealed class AlgorithmExperimentBuilder(AlgorithmFactory algorithm, EnvFactory envFactory, ExperimentConfig? experimentConfig = null, SamplingConfig? samplingConfig = null)
    : ExperimentBuilder<AlgorithmExperimentBuilder>(envFactory, experimentConfig, samplingConfig)
{
    private readonly AlgorithmFactory _algorithm = algorithm ?? throw new ArgumentNullException(nameof(algorithm));

    /// <inheritdoc />
    protected override AlgorithmFactory CreateAlgorithmFactory() => _algorithm;
}
