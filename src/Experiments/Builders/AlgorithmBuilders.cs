using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Agents.Algorithms.Sac;
using RlExperiments.Experiments.Algorithms;
using RlExperiments.Factories;
using RlExperiments.Factories.Models;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Experiments.Builders;

/// <summary>
/// Builds a DQN experiment (Tianshou's <c>DQNExperimentBuilder</c>):
/// <code>
/// var experiment = new DQNExperimentBuilder(new EnvFactory { EnvId = "CartPole-v1" })
///     .WithDQNParams(ZooPresets.DqnCartPole.Params)
///     .WithEpochStopCallback(new EpochStopCallbackRewardThreshold())
///     .Build();
/// </code>
/// Defaults are Stable-Baselines3's DQN (ε decays 1 → 0.05 over the first 10 % of the run, a target network, a
/// 1,000,000-transition buffer), not Tianshou's (no exploration, no target network, a 4,096 buffer).
/// </summary>
public sealed class DQNExperimentBuilder : ExperimentBuilder<DQNExperimentBuilder>
{
    private DqnParams _params = new();
    private QNetworkFactory? _modelFactory;

    /// <summary>Starts a DQN builder.</summary>
    /// <param name="envFactory">Creates the environments (a Discrete action space).</param>
    /// <param name="experimentConfig">The experiment config; null for the defaults.</param>
    /// <param name="samplingConfig">The sampling config; null for DQN's defaults.</param>
    public DQNExperimentBuilder(EnvFactory envFactory, ExperimentConfig? experimentConfig = null, SamplingConfig? samplingConfig = null)
        : base(envFactory, experimentConfig, samplingConfig) { }

    /// <inheritdoc />
    protected override string AlgorithmName => "DQN";

    /// <summary>Sets DQN's hyperparameters (e.g. <c>ZooPresets.DqnCartPole.Params</c>).</summary>
    public DQNExperimentBuilder WithDQNParams(DqnParams parameters)
    {
        _params = parameters ?? throw new ArgumentNullException(nameof(parameters));
        return this;
    }

    /// <summary>Sets the Q-network factory (replaces the network described by the params' HiddenSizes, Activation and Dueling).</summary>
    public DQNExperimentBuilder WithModelFactory(QNetworkFactory modelFactory)
    {
        _modelFactory = modelFactory ?? throw new ArgumentNullException(nameof(modelFactory));
        return this;
    }

    /// <summary>Uses <see cref="QNetworkFactoryDefault"/>: an MLP with these hidden sizes and activation (dueling heads when <paramref name="dueling"/>).</summary>
    public DQNExperimentBuilder WithModelFactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.ReLU, bool dueling = false) =>
        WithModelFactory(new QNetworkFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation, Dueling = dueling });

    private protected override AlgorithmFactory CreateAlgorithmFactory() => new DQNAlgorithmFactory { Params = _params, ModelFactory = _modelFactory };
}

/// <summary>
/// Builds a PPO experiment (Tianshou's <c>PPOExperimentBuilder</c>); defaults are Stable-Baselines3's PPO. A categorical
/// policy on Discrete actions, a Gaussian one on Box actions.
/// </summary>
public sealed class PPOExperimentBuilder : ExperimentBuilder<PPOExperimentBuilder>
{
    private PpoParams _params = new();
    private ActorFactory? _actorFactory;
    private CriticFactory? _criticFactory;
    private bool _criticUseActor;

    /// <summary>Starts a PPO builder.</summary>
    /// <param name="envFactory">Creates the environments.</param>
    /// <param name="experimentConfig">The experiment config; null for the defaults.</param>
    /// <param name="samplingConfig">The sampling config; null for PPO's defaults.</param>
    public PPOExperimentBuilder(EnvFactory envFactory, ExperimentConfig? experimentConfig = null, SamplingConfig? samplingConfig = null)
        : base(envFactory, experimentConfig, samplingConfig) { }

    /// <inheritdoc />
    protected override string AlgorithmName => "PPO";

    /// <summary>Sets PPO's hyperparameters (e.g. <c>PpoPresets.CartPoleV1.Params</c>).</summary>
    public PPOExperimentBuilder WithPPOParams(PpoParams parameters)
    {
        _params = parameters ?? throw new ArgumentNullException(nameof(parameters));
        return this;
    }

    /// <summary>Sets the actor factory (replaces the actor described by the params).</summary>
    public PPOExperimentBuilder WithActorFactory(ActorFactory actorFactory)
    {
        _actorFactory = actorFactory ?? throw new ArgumentNullException(nameof(actorFactory));
        return this;
    }

    /// <summary>Uses <see cref="ActorFactoryDefault"/> with these hidden sizes and activation and Stable-Baselines3's orthogonal initialisation.</summary>
    public PPOExperimentBuilder WithActorFactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.Tanh) =>
        WithActorFactory(new ActorFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation, OrthoInit = true });

    /// <summary>Sets the critic factory (a V(s) network; replaces the critic described by the params).</summary>
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

    private protected override AlgorithmFactory CreateAlgorithmFactory() =>
        new PPOAlgorithmFactory { Params = _params, ActorFactory = _actorFactory, CriticFactory = _criticFactory, CriticUseActor = _criticUseActor };
}

/// <summary>
/// Builds a SAC experiment (Tianshou's <c>SACExperimentBuilder</c>) for a bounded Box action space; defaults are
/// Stable-Baselines3's SAC (automatic entropy tuning, [256, 256] networks).
/// </summary>
public sealed class SACExperimentBuilder : ExperimentBuilder<SACExperimentBuilder>
{
    private SacParams _params = new();
    private TanhGaussianActorFactory? _actorFactory;
    private CriticFactory? _critic1Factory;
    private CriticFactory? _critic2Factory;

    /// <summary>Starts a SAC builder.</summary>
    /// <param name="envFactory">Creates the environments (a bounded Box action space).</param>
    /// <param name="experimentConfig">The experiment config; null for the defaults.</param>
    /// <param name="samplingConfig">The sampling config; null for SAC's defaults.</param>
    public SACExperimentBuilder(EnvFactory envFactory, ExperimentConfig? experimentConfig = null, SamplingConfig? samplingConfig = null)
        : base(envFactory, experimentConfig, samplingConfig) { }

    /// <inheritdoc />
    protected override string AlgorithmName => "SAC";

    /// <summary>Sets SAC's hyperparameters (e.g. <c>ZooPresets.SacPendulum.Params</c>).</summary>
    public SACExperimentBuilder WithSACParams(SacParams parameters)
    {
        _params = parameters ?? throw new ArgumentNullException(nameof(parameters));
        return this;
    }

    /// <summary>Sets the tanh-Gaussian actor factory.</summary>
    public SACExperimentBuilder WithActorFactory(TanhGaussianActorFactory actorFactory)
    {
        _actorFactory = actorFactory ?? throw new ArgumentNullException(nameof(actorFactory));
        return this;
    }

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
    public SACExperimentBuilder WithCritic1Factory(CriticFactory criticFactory)
    {
        _critic1Factory = criticFactory ?? throw new ArgumentNullException(nameof(criticFactory));
        return this;
    }

    /// <summary>Uses <see cref="CriticFactoryDefault"/> for the first critic.</summary>
    public SACExperimentBuilder WithCritic1FactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.ReLU) =>
        WithCritic1Factory(new CriticFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation });

    /// <summary>Sets the second critic's factory.</summary>
    public SACExperimentBuilder WithCritic2Factory(CriticFactory criticFactory)
    {
        _critic2Factory = criticFactory ?? throw new ArgumentNullException(nameof(criticFactory));
        return this;
    }

    /// <summary>Uses <see cref="CriticFactoryDefault"/> for the second critic.</summary>
    public SACExperimentBuilder WithCritic2FactoryDefault(IReadOnlyList<int> hiddenSizes, Activation activation = Activation.ReLU) =>
        WithCritic2Factory(new CriticFactoryDefault { HiddenSizes = hiddenSizes, Activation = activation });

    private protected override AlgorithmFactory CreateAlgorithmFactory() =>
        new SACAlgorithmFactory { Params = _params, ActorFactory = _actorFactory, Critic1Factory = _critic1Factory, Critic2Factory = _critic2Factory };
}
