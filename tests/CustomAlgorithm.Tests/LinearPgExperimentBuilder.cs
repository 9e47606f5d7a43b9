using RlExperiments.Experiments;
using RlExperiments.Experiments.Algorithms;
using RlExperiments.Experiments.Builders;
using RlExperiments.Factories;

namespace RlExperiments.CustomAlgorithm.Tests;

/// <summary>The test-only algorithm's typed builder.</summary>
public sealed class LinearPgExperimentBuilder(EnvFactory envFactory, ExperimentConfig? experimentConfig = null, SamplingConfig? samplingConfig = null)
    : ExperimentBuilder<LinearPgExperimentBuilder>(envFactory, experimentConfig, samplingConfig)
{
    private LinearPgParams _params = new();

    public LinearPgExperimentBuilder WithLinearPgParams(LinearPgParams parameters) => Set(ref _params, parameters);

    protected override AlgorithmFactory CreateAlgorithmFactory() => new LinearPgAlgorithmFactory { Params = _params };
}
