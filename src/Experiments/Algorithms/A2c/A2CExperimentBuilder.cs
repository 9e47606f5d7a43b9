using RlExperiments.Agents.Algorithms.A2c;
using RlExperiments.Experiments.Builders;
using RlExperiments.Factories;
using RlExperiments.Factories.Models;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Experiments.Algorithms.A2c;

/// <summary>
/// Builds an A2C experiment (Tianshou's <c>A2CExperimentBuilder</c>); defaults are <see cref="A2cParams"/>' (RMSprop as in
/// Stable-Baselines3; set another optimiser with <c>WithOptimFactory</c>). A categorical policy on Discrete actions, a Gaussian one on Box actions.
/// </summary>
/// <param name="envFactory">Creates the environments.</param>
/// <param name="experimentConfig">The experiment config; null for the defaults.</param>
/// <param name="samplingConfig">The sampling config; null for A2C's defaults.</param>
public sealed class A2CExperimentBuilder(EnvFactory envFactory, ExperimentConfig? experimentConfig = null, SamplingConfig? samplingConfig = null)
    : ExperimentBuilder<A2CExperimentBuilder>(envFactory, experimentConfig, samplingConfig)
{
    private A2cParams _params = new();
    private ActorFactory? _actorFactory;
    private CriticFactory? _criticFactory;
    private bool _criticUseActor;

    /// <summary>Sets A2C's hyperparameters (e.g. <c>A2cPresets.CartPoleV1.Params</c>).</summary>
    public A2CExperimentBuilder WithA2CParams(A2cParams parameters) => Set(ref _params, parameters);

    /// <summary>Sets the actor factory (replaces the default actor factory).</summary>
    public A2CExperimentBuilder WithActorFactory(ActorFactory actorFactory) => Set(ref _actorFactory, actorFactory);

    /// <summary>Uses <see cref="ActorFactoryDefault"/> with these hidden sizes and activation and Stable-Baselines3's orthogonal initialisation.</summary>
    public A2CExperimentBuilder WithActorFactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.Tanh) =>
        WithActorFactory(new ActorFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation, OrthoInit = true });

    /// <summary>Sets the critic factory (a V(s) network; replaces the default critic factory).</summary>
    public A2CExperimentBuilder WithCriticFactory(CriticFactory criticFactory)
    {
        _criticFactory = criticFactory ?? throw new ArgumentNullException(nameof(criticFactory));
        _criticUseActor = false;
        return this;
    }

    /// <summary>Uses <see cref="CriticFactoryDefault"/> with these hidden sizes and activation and orthogonal initialisation.</summary>
    public A2CExperimentBuilder WithCriticFactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.Tanh) =>
        WithCriticFactory(new CriticFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation, OrthoInit = true });

    /// <summary>Lets the critic share the actor's hidden layers (one trunk, two heads).</summary>
    public A2CExperimentBuilder WithCriticFactoryUseActor()
    {
        _criticUseActor = true;
        _criticFactory = null;
        return this;
    }

    /// <inheritdoc />
    protected override AlgorithmFactory CreateAlgorithmFactory()
    {
        var defaults = new A2CAlgorithmFactory();
        return defaults with
        {
            Params = _params,
            ActorFactory = _actorFactory ?? defaults.ActorFactory,
            CriticFactory = _criticUseActor ? null : _criticFactory ?? defaults.CriticFactory,
            CriticUseActor = _criticUseActor,
        };
    }
}
