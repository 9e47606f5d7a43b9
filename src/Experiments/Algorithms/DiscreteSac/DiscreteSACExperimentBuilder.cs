using RlExperiments.Agents.Algorithms.DiscreteSac;
using RlExperiments.Experiments.Builders;
using RlExperiments.Factories;
using RlExperiments.Factories.Models;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Experiments.Algorithms.DiscreteSac;

/// <summary>
/// Builds a discrete SAC experiment (Tianshou's <c>DiscreteSACExperimentBuilder</c>) for a Discrete action space: a
/// categorical actor, twin Q-networks with one output per action, exact expectations over the actions.
/// </summary>
/// <param name="envFactory">Creates the environments (a Discrete action space).</param>
/// <param name="experimentConfig">The experiment config; null for the defaults.</param>
/// <param name="samplingConfig">The sampling config; null for discrete SAC's defaults.</param>
public sealed class DiscreteSACExperimentBuilder(EnvFactory envFactory, ExperimentConfig? experimentConfig = null, SamplingConfig? samplingConfig = null)
    : ExperimentBuilder<DiscreteSACExperimentBuilder>(envFactory, experimentConfig, samplingConfig)
{
    private DiscreteSacParams _params = new();
    private ActorFactory? _actorFactory;
    private QNetworkFactory? _critic1Factory;
    private QNetworkFactory? _critic2Factory;

    /// <summary>Sets discrete SAC's hyperparameters (Tianshou's <c>with_sac_params(DiscreteSACParams)</c>; e.g. <c>DiscreteSacPresets.CartPoleV1.Params</c>).</summary>
    public DiscreteSACExperimentBuilder WithSACParams(DiscreteSacParams parameters) => Set(ref _params, parameters);

    /// <summary>Sets the actor factory (observations → one logit per action).</summary>
    public DiscreteSACExperimentBuilder WithActorFactory(ActorFactory actorFactory) => Set(ref _actorFactory, actorFactory);

    /// <summary>Uses <see cref="ActorFactoryDefault"/> with these hidden sizes and activation.</summary>
    public DiscreteSACExperimentBuilder WithActorFactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.ReLU) =>
        WithActorFactory(new ActorFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation });

    /// <summary>Uses one factory for both critics (each created separately).</summary>
    public DiscreteSACExperimentBuilder WithCommonCriticFactory(QNetworkFactory criticFactory)
    {
        ArgumentNullException.ThrowIfNull(criticFactory);
        _critic1Factory = _critic2Factory = criticFactory;
        return this;
    }

    /// <summary>Uses <see cref="QNetworkFactoryDefault"/> with these hidden sizes and activation for both critics.</summary>
    public DiscreteSACExperimentBuilder WithCommonCriticFactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.ReLU) =>
        WithCommonCriticFactory(new QNetworkFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation });

    /// <summary>Sets the first critic's factory.</summary>
    public DiscreteSACExperimentBuilder WithCritic1Factory(QNetworkFactory criticFactory) => Set(ref _critic1Factory, criticFactory);

    /// <summary>Uses <see cref="QNetworkFactoryDefault"/> for the first critic.</summary>
    public DiscreteSACExperimentBuilder WithCritic1FactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.ReLU) =>
        WithCritic1Factory(new QNetworkFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation });

    /// <summary>Sets the second critic's factory.</summary>
    public DiscreteSACExperimentBuilder WithCritic2Factory(QNetworkFactory criticFactory) => Set(ref _critic2Factory, criticFactory);

    /// <summary>Uses <see cref="QNetworkFactoryDefault"/> for the second critic.</summary>
    public DiscreteSACExperimentBuilder WithCritic2FactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.ReLU) =>
        WithCritic2Factory(new QNetworkFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation });

    /// <inheritdoc />
    protected override AlgorithmFactory CreateAlgorithmFactory()
    {
        var defaults = new DiscreteSACAlgorithmFactory();
        return defaults with
        {
            Params = _params,
            ActorFactory = _actorFactory ?? defaults.ActorFactory,
            Critic1Factory = _critic1Factory ?? defaults.Critic1Factory,
            Critic2Factory = _critic2Factory ?? defaults.Critic2Factory,
        };
    }
}
