using RlExperiments.Agents.Algorithms.Ddpg;
using RlExperiments.Experiments.Builders;
using RlExperiments.Factories;
using RlExperiments.Factories.Models;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Experiments.Algorithms.Ddpg;

/// <summary>
/// Builds a DDPG experiment (Tianshou's <c>DDPGExperimentBuilder</c>) for a bounded Box action space; defaults are
/// Stable-Baselines3's DDPG ([400, 300] networks, Gaussian exploration noise 0.1 of the Box's half-range).
/// </summary>
/// <param name="envFactory">Creates the environments (a bounded Box action space).</param>
/// <param name="experimentConfig">The experiment config; null for the defaults.</param>
/// <param name="samplingConfig">The sampling config; null for DDPG's defaults.</param>
public sealed class DDPGExperimentBuilder(EnvFactory envFactory, ExperimentConfig? experimentConfig = null, SamplingConfig? samplingConfig = null)
    : ExperimentBuilder<DDPGExperimentBuilder>(envFactory, experimentConfig, samplingConfig)
{
    private DdpgParams _params = new();
    private ActorFactory? _actorFactory;
    private CriticFactory? _criticFactory;

    /// <summary>Sets DDPG's hyperparameters (e.g. <c>DdpgPresets.PendulumV1.Params</c>).</summary>
    public DDPGExperimentBuilder WithDDPGParams(DdpgParams parameters) => Set(ref _params, parameters);

    /// <summary>Sets the actor factory: a network <c>[B, obs]</c> → <c>[B, actions]</c>, squashed with tanh by the agent.</summary>
    public DDPGExperimentBuilder WithActorFactory(ActorFactory actorFactory) => Set(ref _actorFactory, actorFactory);

    /// <summary>Uses <see cref="ActorFactoryDefault"/> with these hidden sizes and activation for the actor.</summary>
    public DDPGExperimentBuilder WithActorFactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.ReLU) =>
        WithActorFactory(new ActorFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation });

    /// <summary>Sets the critic factory (a Q(s, a) network).</summary>
    public DDPGExperimentBuilder WithCriticFactory(CriticFactory criticFactory) => Set(ref _criticFactory, criticFactory);

    /// <summary>Uses <see cref="CriticFactoryDefault"/> with these hidden sizes and activation for the critic.</summary>
    public DDPGExperimentBuilder WithCriticFactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.ReLU) =>
        WithCriticFactory(new CriticFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation });

    /// <inheritdoc />
    protected override AlgorithmFactory CreateAlgorithmFactory()
    {
        var defaults = new DDPGAlgorithmFactory();
        return defaults with
        {
            Params = _params,
            ActorFactory = _actorFactory ?? defaults.ActorFactory,
            CriticFactory = _criticFactory ?? defaults.CriticFactory,
        };
    }
}
