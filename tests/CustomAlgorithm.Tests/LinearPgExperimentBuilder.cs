using RlExperiments.Experiments;
using RlExperiments.Experiments.Algorithms;
using RlExperiments.Experiments.Builders;
using RlExperiments.Factories;

namespace RlExperiments.CustomAlgorithm.Tests;

/// <summary>The test-only algorithm's typed builder.</summary>
public sealed class LinearPgExperimentBuilder : ExperimentBuilder<LinearPgExperimentBuilder>
{
    private LinearPgParams _params = new();

    public LinearPgExperimentBuilder(EnvFactory envFactory, ExperimentConfig? experimentConfig = null, SamplingConfig? samplingConfig = null)
        : base(envFactory, experimentConfig, samplingConfig) { }

    public LinearPgExperimentBuilder WithLinearPgParams(LinearPgParams parameters)
    {
        _params = parameters ?? throw new ArgumentNullException(nameof(parameters));
        return this;
    }

    protected override AlgorithmFactory CreateAlgorithmFactory() => new LinearPgAlgorithmFactory { Params = _params };
}
