using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Experiments.Builders;
using RlExperiments.Factories;
using RlExperiments.Factories.Models;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Experiments.Algorithms.Ppo;

/// <summary>
/// Builds a PPO experiment (Tianshou's <c>PPOExperimentBuilder</c>); defaults are Stable-Baselines3's PPO. A categorical
/// policy on Discrete actions, a Gaussian one on Box actions.
/// </summary>
/// <param name="envFactory">Creates the environments.</param>
/// <param name="experimentConfig">The experiment config; null for the defaults.</param>
/// <param name="samplingConfig">The sampling config; null for PPO's defaults.</param>
public sealed class PPOExperimentBuilder(EnvFactory envFactory, ExperimentConfig? experimentConfig = null, SamplingConfig? samplingConfig = null)
    : ExperimentBuilder<PPOExperimentBuilder>(envFactory, experimentConfig, samplingConfig)
{
    private PpoParams _params = new();
    private ActorFactory? _actorFactory;
    private CriticFactory? _criticFactory;
    private bool _criticUseActor;

    /// <summary>Sets PPO's hyperparameters (e.g. <c>PpoPresets.CartPoleV1.Params</c>).</summary>
    public PPOExperimentBuilder WithPPOParams(PpoParams parameters) => Set(ref _params, parameters);

    /// <summary>Sets the actor factory (replaces the default actor factory).</summary>
    public PPOExperimentBuilder WithActorFactory(ActorFactory actorFactory) => Set(ref _actorFactory, actorFactory);

    /// <summary>Uses <see cref="ActorFactoryDefault"/> with these hidden sizes and activation and Stable-Baselines3's orthogonal initialisation.</summary>
    public PPOExperimentBuilder WithActorFactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.Tanh) =>
        WithActorFactory(new ActorFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation, OrthoInit = true });

    /// <summary>Sets the critic factory (a V(s) network; replaces the default critic factory).</summary>
    public PPOExperimentBuilder WithCriticFactory(CriticFactory criticFactory)
    {
        _criticFactory = criticFactory ?? throw new ArgumentNullException(nameof(criticFactory));
        _criticUseActor = false;
        return this;
    }

    /// <summary>Uses <see cref="CriticFactoryDefault"/> with these hidden sizes and activation and orthogonal initialisation.</summary>
    public PPOExperimentBuilder WithCriticFactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.Tanh) =>
        WithCriticFactory(new CriticFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation, OrthoInit = true });

    /// <summary>Lets the critic share the actor's hidden layers (one trunk, two heads).</summary>
    public PPOExperimentBuilder WithCriticFactoryUseActor()
    {
        _criticUseActor = true;
        _criticFactory = null;
        return this;
    }

    /// <inheritdoc />
    protected override AlgorithmFactory CreateAlgorithmFactory()
    {
        var defaults = new PPOAlgorithmFactory();
        return defaults with
        {
            Params = _params,
            ActorFactory = _actorFactory ?? defaults.ActorFactory,
            CriticFactory = _criticUseActor ? null : _criticFactory ?? defaults.CriticFactory,
            CriticUseActor = _criticUseActor,
        };
    }
}
