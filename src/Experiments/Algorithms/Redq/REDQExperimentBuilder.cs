using RlExperiments.Agents.Algorithms.Redq;
using RlExperiments.Experiments.Builders;
using RlExperiments.Factories;
using RlExperiments.Factories.Models;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Experiments.Algorithms.Redq;

/// <summary>
/// Builds a REDQ experiment (Tianshou's <c>REDQExperimentBuilder</c>) for a bounded Box action space: an ensemble of
/// critics, a random-subset target and a high update-to-data ratio.
/// </summary>
/// <param name="envFactory">Creates the environments (a bounded Box action space).</param>
/// <param name="experimentConfig">The experiment config; null for the defaults.</param>
/// <param name="samplingConfig">The sampling config; null for REDQ's defaults.</param>
public sealed class REDQExperimentBuilder(EnvFactory envFactory, ExperimentConfig? experimentConfig = null, SamplingConfig? samplingConfig = null)
    : ExperimentBuilder<REDQExperimentBuilder>(envFactory, experimentConfig, samplingConfig)
{
    private RedqParams _params = new();
    private TanhGaussianActorFactory? _actorFactory;
    private CriticEnsembleFactory? _criticEnsembleFactory;

    /// <summary>Sets REDQ's hyperparameters (e.g. <c>RedqPresets.PendulumV1.Params</c>).</summary>
    public REDQExperimentBuilder WithREDQParams(RedqParams parameters) => Set(ref _params, parameters);

    /// <summary>Sets the tanh-Gaussian actor factory.</summary>
    public REDQExperimentBuilder WithActorFactory(TanhGaussianActorFactory actorFactory) => Set(ref _actorFactory, actorFactory);

    /// <summary>Uses <see cref="TanhGaussianActorFactoryDefault"/> with these hidden sizes and activation.</summary>
    public REDQExperimentBuilder WithActorFactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.ReLU) =>
        WithActorFactory(new TanhGaussianActorFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation });

    /// <summary>Sets the critic-ensemble factory (Tianshou's <c>with_critic_ensemble_factory</c>).</summary>
    public REDQExperimentBuilder WithCriticEnsembleFactory(CriticEnsembleFactory factory) => Set(ref _criticEnsembleFactory, factory);

    /// <summary>Uses <see cref="CriticEnsembleFactoryDefault"/> with these hidden sizes and activation (Tianshou's <c>with_critic_ensemble_factory_default</c>).</summary>
    public REDQExperimentBuilder WithCriticEnsembleFactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.ReLU) =>
        WithCriticEnsembleFactory(new CriticEnsembleFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation });

    /// <inheritdoc />
    protected override AlgorithmFactory CreateAlgorithmFactory()
    {
        var defaults = new REDQAlgorithmFactory();
        return defaults with
        {
            Params = _params,
            ActorFactory = _actorFactory ?? defaults.ActorFactory,
            CriticEnsembleFactory = _criticEnsembleFactory ?? defaults.CriticEnsembleFactory,
        };
    }
}
