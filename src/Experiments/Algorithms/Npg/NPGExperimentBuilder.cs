using RlExperiments.Agents.Algorithms.Npg;
using RlExperiments.Experiments.Builders;
using RlExperiments.Factories;
using RlExperiments.Factories.Models;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Experiments.Algorithms.Npg;

/// <summary>
/// Builds an NPG experiment (Tianshou's <c>NPGExperimentBuilder</c>); defaults are <see cref="NpgParams"/>'. A categorical
/// policy on Discrete actions, a Gaussian one on Box actions; actor and critic are separate networks.
/// </summary>
/// <param name="envFactory">Creates the environments.</param>
/// <param name="experimentConfig">The experiment config; null for the defaults.</param>
/// <param name="samplingConfig">The sampling config; null for NPG's defaults.</param>
public sealed class NPGExperimentBuilder(EnvFactory envFactory, ExperimentConfig? experimentConfig = null, SamplingConfig? samplingConfig = null)
    : ExperimentBuilder<NPGExperimentBuilder>(envFactory, experimentConfig, samplingConfig)
{
    private NpgParams _params = new();
    private ActorFactory? _actorFactory;
    private CriticFactory? _criticFactory;

    /// <summary>Sets NPG's hyperparameters.</summary>
    public NPGExperimentBuilder WithNPGParams(NpgParams parameters) => Set(ref _params, parameters);

    /// <summary>Sets the actor factory (replaces the default actor factory).</summary>
    public NPGExperimentBuilder WithActorFactory(ActorFactory actorFactory) => Set(ref _actorFactory, actorFactory);

    /// <summary>Uses <see cref="ActorFactoryDefault"/> with these hidden sizes and activation and Stable-Baselines3's orthogonal initialisation.</summary>
    public NPGExperimentBuilder WithActorFactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.Tanh) =>
        WithActorFactory(new ActorFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation, OrthoInit = true });

    /// <summary>Sets the critic factory (a V(s) network; replaces the default critic factory).</summary>
    public NPGExperimentBuilder WithCriticFactory(CriticFactory criticFactory) => Set(ref _criticFactory, criticFactory);

    /// <summary>Uses <see cref="CriticFactoryDefault"/> with these hidden sizes and activation and orthogonal initialisation.</summary>
    public NPGExperimentBuilder WithCriticFactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.Tanh) =>
        WithCriticFactory(new CriticFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation, OrthoInit = true });

    /// <inheritdoc />
    protected override AlgorithmFactory CreateAlgorithmFactory()
    {
        var defaults = new NPGAlgorithmFactory();
        return defaults with
        {
            Params = _params,
            ActorFactory = _actorFactory ?? defaults.ActorFactory,
            CriticFactory = _criticFactory ?? defaults.CriticFactory,
        };
    }
}
