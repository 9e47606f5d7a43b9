using RlExperiments.Agents.Algorithms.Pg;
using RlExperiments.Experiments.Builders;
using RlExperiments.Factories;
using RlExperiments.Factories.Models;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Experiments.Algorithms.Pg;

/// <summary>
/// Builds a REINFORCE experiment (Tianshou's <c>ReinforceExperimentBuilder</c>); defaults are Tianshou's
/// <c>ReinforceParams</c>. A categorical policy on Discrete actions, a Gaussian one on Box actions.
/// </summary>
/// <param name="envFactory">Creates the environments.</param>
/// <param name="experimentConfig">The experiment config; null for the defaults.</param>
/// <param name="samplingConfig">The sampling config; null for PG's defaults.</param>
public sealed class PGExperimentBuilder(EnvFactory envFactory, ExperimentConfig? experimentConfig = null, SamplingConfig? samplingConfig = null)
    : ExperimentBuilder<PGExperimentBuilder>(envFactory, experimentConfig, samplingConfig)
{
    private PgParams _params = new();
    private ActorFactory? _actorFactory;

    /// <summary>Sets REINFORCE's hyperparameters.</summary>
    public PGExperimentBuilder WithPGParams(PgParams parameters) => Set(ref _params, parameters);

    /// <summary>Sets the actor factory (replaces the default actor factory).</summary>
    public PGExperimentBuilder WithActorFactory(ActorFactory actorFactory) => Set(ref _actorFactory, actorFactory);

    /// <summary>Uses <see cref="ActorFactoryDefault"/> with these hidden sizes and activation and Stable-Baselines3's orthogonal initialisation.</summary>
    public PGExperimentBuilder WithActorFactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.Tanh) =>
        WithActorFactory(new ActorFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation, OrthoInit = true });

    /// <inheritdoc />
    protected override AlgorithmFactory CreateAlgorithmFactory()
    {
        var defaults = new PGAlgorithmFactory();
        return defaults with
        {
            Params = _params,
            ActorFactory = _actorFactory ?? defaults.ActorFactory,
        };
    }
}
