using RlExperiments.Agents.Algorithms.Trpo;
using RlExperiments.Experiments.Builders;
using RlExperiments.Factories;
using RlExperiments.Factories.Models;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Experiments.Algorithms.Trpo;

/// <summary>
/// Builds an TRPO experiment (Tianshou's <c>TRPOExperimentBuilder</c>); defaults are <see cref="TrpoParams"/>'. A categorical
/// policy on Discrete actions, a Gaussian one on Box actions; actor and critic are separate networks.
/// </summary>
/// <param name="envFactory">Creates the environments.</param>
/// <param name="experimentConfig">The experiment config; null for the defaults.</param>
/// <param name="samplingConfig">The sampling config; null for TRPO's defaults.</param>
public sealed class TRPOExperimentBuilder(EnvFactory envFactory, ExperimentConfig? experimentConfig = null, SamplingConfig? samplingConfig = null)
    : ExperimentBuilder<TRPOExperimentBuilder>(envFactory, experimentConfig, samplingConfig)
{
    private TrpoParams _params = new();
    private ActorFactory? _actorFactory;
    private CriticFactory? _criticFactory;

    /// <summary>Sets TRPO's hyperparameters.</summary>
    public TRPOExperimentBuilder WithTRPOParams(TrpoParams parameters) => Set(ref _params, parameters);

    /// <summary>Sets the actor factory (replaces the default actor factory).</summary>
    public TRPOExperimentBuilder WithActorFactory(ActorFactory actorFactory) => Set(ref _actorFactory, actorFactory);

    /// <summary>Uses <see cref="ActorFactoryDefault"/> with these hidden sizes and activation and Stable-Baselines3's orthogonal initialisation.</summary>
    public TRPOExperimentBuilder WithActorFactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.Tanh) =>
        WithActorFactory(new ActorFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation, OrthoInit = true });

    /// <summary>Sets the critic factory (a V(s) network; replaces the default critic factory).</summary>
    public TRPOExperimentBuilder WithCriticFactory(CriticFactory criticFactory) => Set(ref _criticFactory, criticFactory);

    /// <summary>Uses <see cref="CriticFactoryDefault"/> with these hidden sizes and activation and orthogonal initialisation.</summary>
    public TRPOExperimentBuilder WithCriticFactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.Tanh) =>
        WithCriticFactory(new CriticFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation, OrthoInit = true });

    /// <inheritdoc />
    protected override AlgorithmFactory CreateAlgorithmFactory()
    {
        var defaults = new TRPOAlgorithmFactory();
        return defaults with
        {
            Params = _params,
            ActorFactory = _actorFactory ?? defaults.ActorFactory,
            CriticFactory = _criticFactory ?? defaults.CriticFactory,
        };
    }
}
