using RlExperiments.Agents.Algorithms.Td3;
using RlExperiments.Experiments.Builders;
using RlExperiments.Factories;
using RlExperiments.Factories.Models;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Experiments.Algorithms.Td3;

/// <summary>
/// Builds a TD3 experiment (Tianshou's <c>TD3ExperimentBuilder</c>) for a bounded Box action space; defaults are
/// Stable-Baselines3's TD3 ([400, 300] networks, Gaussian exploration noise 0.1 of the Box's half-range, target policy
/// noise 0.2 clipped to 0.5, actor updated every 2 critic steps).
/// </summary>
/// <param name="envFactory">Creates the environments (a bounded Box action space).</param>
/// <param name="experimentConfig">The experiment config; null for the defaults.</param>
/// <param name="samplingConfig">The sampling config; null for TD3's defaults.</param>
public sealed class TD3ExperimentBuilder(EnvFactory envFactory, ExperimentConfig? experimentConfig = null, SamplingConfig? samplingConfig = null)
    : ExperimentBuilder<TD3ExperimentBuilder>(envFactory, experimentConfig, samplingConfig)
{
    private Td3Params _params = new();
    private ActorFactory? _actorFactory;
    private CriticFactory? _critic1Factory;
    private CriticFactory? _critic2Factory;

    /// <summary>Sets TD3's hyperparameters (e.g. <c>Td3Presets.PendulumV1.Params</c>).</summary>
    public TD3ExperimentBuilder WithTD3Params(Td3Params parameters) => Set(ref _params, parameters);

    /// <summary>Sets the actor factory: a network <c>[B, obs]</c> → <c>[B, actions]</c>, squashed with tanh by the agent.</summary>
    public TD3ExperimentBuilder WithActorFactory(ActorFactory actorFactory) => Set(ref _actorFactory, actorFactory);

    /// <summary>Uses <see cref="ActorFactoryDefault"/> with these hidden sizes and activation for the actor.</summary>
    public TD3ExperimentBuilder WithActorFactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.ReLU) =>
        WithActorFactory(new ActorFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation });

    /// <summary>Uses one critic factory for both critics.</summary>
    public TD3ExperimentBuilder WithCommonCriticFactory(CriticFactory criticFactory)
    {
        ArgumentNullException.ThrowIfNull(criticFactory);
        _critic1Factory = _critic2Factory = criticFactory;
        return this;
    }

    /// <summary>Uses <see cref="CriticFactoryDefault"/> with these hidden sizes and activation for both critics.</summary>
    public TD3ExperimentBuilder WithCommonCriticFactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.ReLU) =>
        WithCommonCriticFactory(new CriticFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation });

    /// <summary>Sets the first critic's factory.</summary>
    public TD3ExperimentBuilder WithCritic1Factory(CriticFactory criticFactory) => Set(ref _critic1Factory, criticFactory);

    /// <summary>Uses <see cref="CriticFactoryDefault"/> for the first critic.</summary>
    public TD3ExperimentBuilder WithCritic1FactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.ReLU) =>
        WithCritic1Factory(new CriticFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation });

    /// <summary>Sets the second critic's factory.</summary>
    public TD3ExperimentBuilder WithCritic2Factory(CriticFactory criticFactory) => Set(ref _critic2Factory, criticFactory);

    /// <summary>Uses <see cref="CriticFactoryDefault"/> for the second critic.</summary>
    public TD3ExperimentBuilder WithCritic2FactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.ReLU) =>
        WithCritic2Factory(new CriticFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation });

    /// <inheritdoc />
    protected override AlgorithmFactory CreateAlgorithmFactory()
    {
        var defaults = new TD3AlgorithmFactory();
        return defaults with
        {
            Params = _params,
            ActorFactory = _actorFactory ?? defaults.ActorFactory,
            Critic1Factory = _critic1Factory ?? defaults.Critic1Factory,
            Critic2Factory = _critic2Factory ?? defaults.Critic2Factory,
        };
    }
}
