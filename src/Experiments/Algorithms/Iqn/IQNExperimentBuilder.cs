using RlExperiments.Agents.Algorithms.Iqn;
using RlExperiments.Experiments.Builders;
using RlExperiments.Factories;
using RlExperiments.Factories.Models;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Experiments.Algorithms.Iqn;

/// <summary>
/// Builds an IQN experiment (Tianshou's <c>IQNExperimentBuilder</c>):
/// <code>
/// var experiment = new IQNExperimentBuilder(new EnvFactory { EnvId = "CartPole-v1" })
///     .WithIQNParams(IqnPresets.CartPoleV1.Params)
///     .WithPreprocessNetworkFactory(new PreprocessNetworkFactoryDefault { HiddenSizes = [256, 256] })
///     .Build();
/// </code>
/// Defaults are Tianshou's quantile settings (64 cosines, 8/8 fractions per update, 32 when exploring) with
/// Stable-Baselines3's DQN schedule (ε 1 → 0.05 over 10 % of the run, a target network every 10,000 steps).
/// </summary>
/// <param name="envFactory">Creates the environments (a Discrete action space).</param>
/// <param name="experimentConfig">The experiment config; null for the defaults.</param>
/// <param name="samplingConfig">The sampling config; null for IQN's defaults.</param>
public sealed class IQNExperimentBuilder(EnvFactory envFactory, ExperimentConfig? experimentConfig = null, SamplingConfig? samplingConfig = null)
    : ExperimentBuilder<IQNExperimentBuilder>(envFactory, experimentConfig, samplingConfig)
{
    private IqnParams _params = new();
    private PreprocessNetworkFactory? _preprocess;
    private ImplicitQuantileNetworkFactory? _quantiles;

    /// <summary>Sets IQN's hyperparameters (e.g. <c>IqnPresets.CartPoleV1.Params</c>).</summary>
    public IQNExperimentBuilder WithIQNParams(IqnParams parameters) => Set(ref _params, parameters);

    /// <summary>Sets the preprocess network ψ (replaces the default PreprocessNetworkFactoryDefault).</summary>
    public IQNExperimentBuilder WithPreprocessNetworkFactory(PreprocessNetworkFactory factory) => Set(ref _preprocess, factory);

    /// <summary>Uses <see cref="PreprocessNetworkFactoryDefault"/>: an MLP of these widths (the last is the feature size) and activation.</summary>
    public IQNExperimentBuilder WithPreprocessNetworkFactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.ReLU) =>
        WithPreprocessNetworkFactory(new PreprocessNetworkFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation });

    /// <summary>Sets the quantile embedding and head on top of ψ (replaces the default <see cref="ImplicitQuantileNetworkFactory"/>: 64 cosines, a linear head).</summary>
    public IQNExperimentBuilder WithQuantileNetworkFactory(ImplicitQuantileNetworkFactory factory) => Set(ref _quantiles, factory);

    /// <inheritdoc />
    protected override AlgorithmFactory CreateAlgorithmFactory()
    {
        var defaults = new IQNAlgorithmFactory();
        return defaults with
        {
            Params = _params,
            PreprocessNetworkFactory = _preprocess ?? defaults.PreprocessNetworkFactory,
            QuantileNetworkFactory = _quantiles ?? defaults.QuantileNetworkFactory,
        };
    }
}
