using RlExperiments.Agents.Algorithms.Sac;
using RlExperiments.Experiments.Builders;
using RlExperiments.Factories;
using RlExperiments.Factories.Models;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Experiments.Algorithms.Sac;

/// <summary>
/// Builds a SAC experiment (Tianshou's <c>SACExperimentBuilder</c>) for a bounded Box action space; defaults are
/// Stable-Baselines3's SAC (automatic entropy tuning, [256, 256] networks).
/// </summary>
/// <param name="envFactory">Creates the environments (a bounded Box action space).</param>
/// <param name="experimentConfig">The experiment config; null for the defaults.</param>
/// <param name="samplingConfig">The sampling config; null for SAC's defaults.</param>
public sealed class SACExperimentBuilder(EnvFactory envFactory, ExperimentConfig? experimentConfig = null, SamplingConfig? samplingConfig = null)
    : ExperimentBuilder<SACExperimentBuilder>(envFactory, experimentConfig, samplingConfig)
{
    private SacParams _params = new();
    private TanhGaussianActorFactory? _actorFactory;
    private CriticFactory? _critic1Factory;
    private CriticFactory? _critic2Factory;

    /// <summary>Sets SAC's hyperparameters (e.g. <c>SacPresets.PendulumV1.Params</c>).</summary>
    public SACExperimentBuilder WithSACParams(SacParams parameters) => Set(ref _params, parameters);

    /// <summary>Sets the tanh-Gaussian actor factory.</summary>
    public SACExperimentBuilder WithActorFactory(TanhGaussianActorFactory actorFactory) => Set(ref _actorFactory, actorFactory);

    /// <summary>Uses <see cref="TanhGaussianActorFactoryDefault"/> with these hidden sizes and activation.</summary>
    public SACExperimentBuilder WithActorFactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.ReLU) =>
        WithActorFactory(new TanhGaussianActorFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation });

    /// <summary>Uses one critic factory for both critics.</summary>
    public SACExperimentBuilder WithCommonCriticFactory(CriticFactory criticFactory)
    {
        ArgumentNullException.ThrowIfNull(criticFactory);
        _critic1Factory = _critic2Factory = criticFactory;
        return this;
    }

    /// <summary>Uses <see cref="CriticFactoryDefault"/> with these hidden sizes and activation for both critics.</summary>
    public SACExperimentBuilder WithCommonCriticFactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.ReLU) =>
        WithCommonCriticFactory(new CriticFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation });

    /// <summary>Sets the first critic's factory.</summary>
    public SACExperimentBuilder WithCritic1Factory(CriticFactory criticFactory) => Set(ref _critic1Factory, criticFactory);

    /// <summary>Uses <see cref="CriticFactoryDefault"/> for the first critic.</summary>
    public SACExperimentBuilder WithCritic1FactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.ReLU) =>
        WithCritic1Factory(new CriticFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation });

    /// <summary>Sets the second critic's factory.</summary>
    public SACExperimentBuilder WithCritic2Factory(CriticFactory criticFactory) => Set(ref _critic2Factory, criticFactory);

    /// <summary>Uses <see cref="CriticFactoryDefault"/> for the second critic.</summary>
    public SACExperimentBuilder WithCritic2FactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.ReLU) =>
        WithCritic2Factory(new CriticFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation });

    /// <inheritdoc />
    protected override AlgorithmFactory CreateAlgorithmFactory()
    {
        var defaults = new SACAlgorithmFactory();
        return defaults with
        {
            Params = _params,
            ActorFactory = _actorFactory ?? defaults.ActorFactory,
            Critic1Factory = _critic1Factory ?? defaults.Critic1Factory,
            Critic2Factory = _critic2Factory ?? defaults.Critic2Factory,
        };
    }
}
