using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Experiments.Builders;
using RlExperiments.Factories;
using RlExperiments.Factories.Models;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Experiments.Algorithms.Dqn;

/// <summary>
/// Builds a DQN experiment (Tianshou's <c>DQNExperimentBuilder</c>):
/// <code>
/// var experiment = new DQNExperimentBuilder(new EnvFactory { EnvId = "CartPole-v1" })
///     .WithDQNParams(DqnPresets.CartPoleV1.Params)
///     .WithEpochStopCallback(new EpochStopCallbackRewardThreshold())
///     .Build();
/// </code>
/// Defaults are Stable-Baselines3's DQN (ε decays 1 → 0.05 over the first 10 % of the run, a target network, a
/// 1,000,000-transition buffer), not Tianshou's (no exploration, no target network, a 4,096 buffer).
/// </summary>
/// <param name="envFactory">Creates the environments (a Discrete action space).</param>
/// <param name="experimentConfig">The experiment config; null for the defaults.</param>
/// <param name="samplingConfig">The sampling config; null for DQN's defaults.</param>
public sealed class DQNExperimentBuilder(EnvFactory envFactory, ExperimentConfig? experimentConfig = null, SamplingConfig? samplingConfig = null)
    : ExperimentBuilder<DQNExperimentBuilder>(envFactory, experimentConfig, samplingConfig)
{
    private DqnParams _params = new();
    private QNetworkFactory? _modelFactory;

    /// <summary>Sets DQN's hyperparameters (e.g. <c>DqnPresets.CartPoleV1.Params</c>).</summary>
    public DQNExperimentBuilder WithDQNParams(DqnParams parameters) => Set(ref _params, parameters);

    /// <summary>Sets the Q-network factory (replaces the default QNetworkFactoryDefault).</summary>
    public DQNExperimentBuilder WithModelFactory(QNetworkFactory modelFactory) => Set(ref _modelFactory, modelFactory);

    /// <summary>Uses <see cref="QNetworkFactoryDefault"/>: an MLP with these hidden sizes and activation (dueling heads when <paramref name="dueling"/>).</summary>
    public DQNExperimentBuilder WithModelFactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.ReLU, bool dueling = false) =>
        WithModelFactory(new QNetworkFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation, Dueling = dueling });

    /// <inheritdoc />
    protected override AlgorithmFactory CreateAlgorithmFactory()
    {
        var defaults = new DQNAlgorithmFactory();
        return defaults with
        {
            Params = _params,
            ModelFactory = _modelFactory ?? defaults.ModelFactory,
        };
    }
}
