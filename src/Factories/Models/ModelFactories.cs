using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors.Nn;
using RlExperiments.Agents.Networks;

namespace RlExperiments.Factories.Models;

/// <summary>
/// Creates a Q-network for a discrete action space (Tianshou's <c>IntermediateModuleFactory</c> for DQN): observations
/// <c>[B, obs]</c> → one Q-value per action <c>[B, actions]</c>. Data only; <see cref="Create"/> runs late, once the
/// spaces are known. Derive from it for your own architecture and allow-list the derived type for persistence.
/// </summary>
public abstract record QNetworkFactory : IModelFactory
{
    /// <summary>Creates the network, initialising it from <paramref name="rng"/> (the experiment's initialisation stream).</summary>
    /// <param name="observationSpace">A Box observation space.</param>
    /// <param name="actionSpace">A Discrete action space.</param>
    /// <param name="rng">The initialisation stream.</param>
    /// <exception cref="ArgumentException">A space is not supported.</exception>
    public abstract Module Create(Space observationSpace, Space actionSpace, Rng rng);

    /// <inheritdoc />
    public virtual void Validate() { }
}

/// <summary>
/// The default Q-network: an MLP with <see cref="HiddenSizes"/> and <see cref="Activation"/> (PyTorch's default
/// initialisation), or a dueling network (<see cref="DuelingQNetwork"/>) when <see cref="Dueling"/> is set.
/// </summary>
public sealed record QNetworkFactoryDefault : QNetworkFactory, IHiddenLayers, INasNetwork
{
    private readonly ValueList<int> _hiddenSizes = [64, 64];

    /// <summary>Hidden-layer widths. Default: [64, 64] (Tianshou's and Stable-Baselines3's). Allowed: widths ≥ 1; non-empty when <see cref="Dueling"/>.</summary>
    public IReadOnlyList<int> HiddenSizes
    {
        get => _hiddenSizes;
        init => _hiddenSizes = ValueList.From(value)!;
    }

    /// <summary>Hidden-layer activation. Default: ReLU. Allowed: any <see cref="Tensors.Nn.Activation"/>.</summary>
    public Activation Activation { get; init; } = Activation.ReLU;

    /// <inheritdoc />
    IReadOnlyList<int>? INasNetwork.NasHiddenSizes => HiddenSizes;

    /// <inheritdoc />
    public INasNetwork WithNas(int? hiddenSize, Activation? activation) =>
        this with { HiddenSizes = hiddenSize is { } h ? [h, h] : HiddenSizes, Activation = activation ?? Activation };

    /// <inheritdoc />
    public INasNetwork WithNetArch(IReadOnlyList<int> hiddenSizes) => this with { HiddenSizes = hiddenSizes };

    /// <summary>Dueling heads, Q = V + A − mean(A) (Wang et al. 2016). Default: false.</summary>
    public bool Dueling { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        ModelChecks.HiddenSizes(nameof(QNetworkFactoryDefault), HiddenSizes, requireNonEmpty: Dueling, "Dueling = true (the two heads share the hidden layers)");
        ModelChecks.Activation(nameof(QNetworkFactoryDefault), Activation);
    }

    /// <inheritdoc />
    public override Module Create(Space observationSpace, Space actionSpace, Rng rng)
    {
        Validate();
        ArgumentNullException.ThrowIfNull(rng);
        var obs = ModelChecks.BoxSize(observationSpace, nameof(QNetworkFactoryDefault), "observation");
        if (actionSpace is not Discrete d)
            throw new ArgumentException($"{nameof(QNetworkFactoryDefault)} needs a Discrete action space (one Q-value per action); got {actionSpace}.", nameof(actionSpace));
        return Dueling
            ? new DuelingQNetwork(obs, HiddenSizes, d.N, Activation, rng)
            : new Mlp(obs, HiddenSizes, d.N, Activation, rng);
    }
}

/// <summary>
/// Creates the actor of a stochastic policy-gradient algorithm (PPO): observations <c>[B, obs]</c> → the action
/// distribution's parameters: logits <c>[B, actions]</c> of a categorical policy for a Discrete space, or the mean
/// <c>[B, dims]</c> of a diagonal Gaussian for a Box space (the state-independent log-std belongs to the algorithm).
/// Derive from it for your own architecture and allow-list the derived type for persistence.
/// </summary>
public abstract record ActorFactory : IModelFactory
{
    /// <summary>Creates the network, initialising it from <paramref name="rng"/>.</summary>
    /// <param name="observationSpace">A Box observation space.</param>
    /// <param name="actionSpace">A Discrete (categorical actor) or Box (Gaussian actor) action space.</param>
    /// <param name="rng">The initialisation stream.</param>
    /// <exception cref="ArgumentException">A space is not supported.</exception>
    public abstract Module Create(Space observationSpace, Space actionSpace, Rng rng);

    /// <inheritdoc />
    public virtual void Validate() { }
}

/// <summary>
/// The default actor (Tianshou's <c>ActorFactoryDefault</c>): an MLP whose output layer gives a categorical
/// policy's logits on a Discrete action space and a Gaussian policy's mean on a Box action space.
/// </summary>
public sealed record ActorFactoryDefault : ActorFactory, IHiddenLayers, INasNetwork
{
    private readonly ValueList<int> _hiddenSizes = [64, 64];

    /// <summary>Hidden-layer widths. Default: [64, 64]. Allowed: widths ≥ 1 (empty for a linear policy).</summary>
    public IReadOnlyList<int> HiddenSizes
    {
        get => _hiddenSizes;
        init => _hiddenSizes = ValueList.From(value)!;
    }

    /// <summary>Hidden-layer activation. Default: ReLU (Tianshou's; the PPO builder passes Tanh, Stable-Baselines3's). Allowed: any <see cref="Tensors.Nn.Activation"/>.</summary>
    public Activation Activation { get; init; } = Activation.ReLU;

    /// <inheritdoc />
    IReadOnlyList<int>? INasNetwork.NasHiddenSizes => HiddenSizes;

    /// <inheritdoc />
    public INasNetwork WithNas(int? hiddenSize, Activation? activation) =>
        this with { HiddenSizes = hiddenSize is { } h ? [h, h] : HiddenSizes, Activation = activation ?? Activation };

    /// <inheritdoc />
    public INasNetwork WithNetArch(IReadOnlyList<int> hiddenSizes) => this with { HiddenSizes = hiddenSizes };

    /// <summary>
    /// Orthogonal initialisation as Stable-Baselines3's <c>ortho_init</c>: hidden layers gain √2, the output layer 0.01,
    /// biases 0. Default: false (PyTorch's default initialisation); the PPO builder's <c>WithActorFactoryDefault</c> sets it.
    /// </summary>
    public bool OrthoInit { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        ModelChecks.HiddenSizes(nameof(ActorFactoryDefault), HiddenSizes, requireNonEmpty: false, "");
        ModelChecks.Activation(nameof(ActorFactoryDefault), Activation);
    }

    /// <inheritdoc />
    public override Module Create(Space observationSpace, Space actionSpace, Rng rng)
    {
        Validate();
        ArgumentNullException.ThrowIfNull(rng);
        var obs = ModelChecks.BoxSize(observationSpace, nameof(ActorFactoryDefault), "observation");
        var outputs = actionSpace switch
        {
            Discrete d => d.N,
            Box b => b.FlatSize,
            _ => throw new ArgumentException($"{nameof(ActorFactoryDefault)} supports Discrete (categorical) and Box (Gaussian) action spaces; got {actionSpace}.", nameof(actionSpace)),
        };
        var mlp = new Mlp(obs, HiddenSizes, outputs, Activation, rng);
        if (OrthoInit) ModelChecks.InitOrthogonal(mlp, headGain: 0.01f, rng);
        return mlp;
    }
}

/// <summary>
/// Creates a tanh-squashed Gaussian actor (<see cref="TanhGaussianActor"/>: a trunk, a mean head and a clamped log-std head) for
/// SAC on a bounded Box action space. Derive from it to choose other sizes per environment and allow-list the derived type.
/// </summary>
public abstract record TanhGaussianActorFactory : IModelFactory
{
    /// <summary>Creates the actor, initialising it from <paramref name="rng"/>.</summary>
    /// <param name="observationSpace">A Box observation space.</param>
    /// <param name="actionSpace">A Box action space.</param>
    /// <param name="rng">The initialisation stream.</param>
    /// <exception cref="ArgumentException">A space is not supported.</exception>
    public abstract TanhGaussianActor Create(Space observationSpace, Space actionSpace, Rng rng);

    /// <inheritdoc />
    public virtual void Validate() { }
}

/// <summary>The default tanh-Gaussian actor, laid out as Stable-Baselines3's SAC actor (PyTorch's default initialisation).</summary>
public sealed record TanhGaussianActorFactoryDefault : TanhGaussianActorFactory, IHiddenLayers, INasNetwork
{
    private readonly ValueList<int> _hiddenSizes = [256, 256];

    /// <summary>Hidden-layer widths of the trunk. Default: [256, 256] (Stable-Baselines3's SAC). Allowed: at least one width, each ≥ 1.</summary>
    public IReadOnlyList<int> HiddenSizes
    {
        get => _hiddenSizes;
        init => _hiddenSizes = ValueList.From(value)!;
    }

    /// <summary>Hidden-layer activation. Default: ReLU. Allowed: any <see cref="Tensors.Nn.Activation"/>.</summary>
    public Activation Activation { get; init; } = Activation.ReLU;

    /// <inheritdoc />
    IReadOnlyList<int>? INasNetwork.NasHiddenSizes => HiddenSizes;

    /// <inheritdoc />
    public INasNetwork WithNas(int? hiddenSize, Activation? activation) =>
        this with { HiddenSizes = hiddenSize is { } h ? [h, h] : HiddenSizes, Activation = activation ?? Activation };

    /// <inheritdoc />
    public INasNetwork WithNetArch(IReadOnlyList<int> hiddenSizes) => this with { HiddenSizes = hiddenSizes };

    /// <summary>Lower clamp of the log standard deviation. Default: −20 (Stable-Baselines3). Allowed: a finite number below <see cref="LogStdMax"/>.</summary>
    public double LogStdMin { get; init; } = -20;

    /// <summary>Upper clamp of the log standard deviation. Default: 2 (Stable-Baselines3). Allowed: a finite number above <see cref="LogStdMin"/>.</summary>
    public double LogStdMax { get; init; } = 2;

    /// <inheritdoc />
    public override void Validate()
    {
        ModelChecks.HiddenSizes(nameof(TanhGaussianActorFactoryDefault), HiddenSizes, requireNonEmpty: true, "a tanh-Gaussian actor (its two heads share the trunk)");
        ModelChecks.Activation(nameof(TanhGaussianActorFactoryDefault), Activation);
        if (!double.IsFinite(LogStdMin))
            throw FieldCheck.OutOfRange(nameof(TanhGaussianActorFactoryDefault), nameof(LogStdMin), LogStdMin, "a finite number");
        if (!double.IsFinite(LogStdMax) || !(LogStdMax > LogStdMin))
            throw FieldCheck.OutOfRange(nameof(TanhGaussianActorFactoryDefault), nameof(LogStdMax), LogStdMax, $"a finite number > LogStdMin ({FieldCheck.Format(LogStdMin)})");
    }

    /// <inheritdoc />
    public override TanhGaussianActor Create(Space observationSpace, Space actionSpace, Rng rng)
    {
        Validate();
        ArgumentNullException.ThrowIfNull(rng);
        var obs = ModelChecks.BoxSize(observationSpace, nameof(TanhGaussianActorFactoryDefault), "observation");
        var act = ModelChecks.BoxSize(actionSpace, nameof(TanhGaussianActorFactoryDefault), "action");
        return new TanhGaussianActor(obs, HiddenSizes, act, Activation, (float)LogStdMin, (float)LogStdMax, rng);
    }
}

/// <summary>
/// Creates one critic: a state-value network V(s) (<c>[B, obs]</c> → <c>[B, 1]</c>, for PPO) or, with
/// <c>useAction</c>, a Q-network Q(s, a) on the concatenation <c>[B, obs + act]</c> → <c>[B, 1]</c> (for SAC, whose
/// twin critics are two of them). Derive from it for your own architecture and allow-list the derived type.
/// </summary>
public abstract record CriticFactory : IModelFactory
{
    /// <summary>Creates the network, initialising it from <paramref name="rng"/>.</summary>
    /// <param name="observationSpace">A Box observation space.</param>
    /// <param name="actionSpace">The action space (a Box when <paramref name="useAction"/>).</param>
    /// <param name="useAction">True for Q(s, a) (input observation ⊕ action), false for V(s).</param>
    /// <param name="rng">The initialisation stream.</param>
    /// <exception cref="ArgumentException">A space is not supported.</exception>
    public abstract Module Create(Space observationSpace, Space actionSpace, bool useAction, Rng rng);

    /// <inheritdoc />
    public virtual void Validate() { }
}

/// <summary>The default critic (Tianshou's <c>CriticFactoryDefault</c>): an MLP with one output.</summary>
public sealed record CriticFactoryDefault : CriticFactory, IHiddenLayers, INasNetwork
{
    private readonly ValueList<int> _hiddenSizes = [64, 64];

    /// <summary>Hidden-layer widths. Default: [64, 64] (Tianshou's). Allowed: widths ≥ 1 (empty for a linear critic).</summary>
    public IReadOnlyList<int> HiddenSizes
    {
        get => _hiddenSizes;
        init => _hiddenSizes = ValueList.From(value)!;
    }

    /// <summary>Hidden-layer activation. Default: ReLU. Allowed: any <see cref="Tensors.Nn.Activation"/>.</summary>
    public Activation Activation { get; init; } = Activation.ReLU;

    /// <inheritdoc />
    IReadOnlyList<int>? INasNetwork.NasHiddenSizes => HiddenSizes;

    /// <inheritdoc />
    public INasNetwork WithNas(int? hiddenSize, Activation? activation) =>
        this with { HiddenSizes = hiddenSize is { } h ? [h, h] : HiddenSizes, Activation = activation ?? Activation };

    /// <inheritdoc />
    public INasNetwork WithNetArch(IReadOnlyList<int> hiddenSizes) => this with { HiddenSizes = hiddenSizes };

    /// <summary>
    /// Orthogonal initialisation (hidden layers gain √2, the output layer 1, biases 0), as Stable-Baselines3's PPO.
    /// Default: false (PyTorch's default initialisation, as SAC uses); the PPO builder's <c>WithCriticFactoryDefault</c> sets it.
    /// </summary>
    public bool OrthoInit { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        ModelChecks.HiddenSizes(nameof(CriticFactoryDefault), HiddenSizes, requireNonEmpty: false, "");
        ModelChecks.Activation(nameof(CriticFactoryDefault), Activation);
    }

    /// <inheritdoc />
    public override Module Create(Space observationSpace, Space actionSpace, bool useAction, Rng rng)
    {
        Validate();
        ArgumentNullException.ThrowIfNull(rng);
        var inputs = ModelChecks.BoxSize(observationSpace, nameof(CriticFactoryDefault), "observation");
        if (useAction) inputs += ModelChecks.BoxSize(actionSpace, nameof(CriticFactoryDefault), "action (a Q(s, a) critic concatenates it)");
        var mlp = new Mlp(inputs, HiddenSizes, 1, Activation, rng);
        if (OrthoInit) ModelChecks.InitOrthogonal(mlp, headGain: 1f, rng);
        return mlp;
    }
}

/// <summary>Shared checks of the model factories.</summary>
internal static class ModelChecks
{
    public static void HiddenSizes(string owner, IReadOnlyList<int>? sizes, bool requireNonEmpty, string why)
    {
        if (sizes is null)
            throw new ArgumentException($"{owner}.HiddenSizes = null is invalid; allowed: a list of widths ≥ 1.", "HiddenSizes");
        if (requireNonEmpty && sizes.Count == 0)
            throw new ArgumentException($"{owner}.HiddenSizes = [] is invalid; allowed: at least one width ≥ 1 for {why}.", "HiddenSizes");
        for (var i = 0; i < sizes.Count; i++)
            if (sizes[i] < 1)
                throw FieldCheck.OutOfRange(owner, $"HiddenSizes[{i}]", sizes[i], "an integer ≥ 1");
    }

    public static void Activation(string owner, Activation activation)
    {
        if (!Enum.IsDefined(activation))
            throw FieldCheck.OutOfRange(owner, nameof(Activation), activation, $"one of {string.Join(", ", Enum.GetNames<Activation>())}");
    }

    public static int BoxSize(Space space, string owner, string what)
    {
        ArgumentNullException.ThrowIfNull(space);
        return space is Box b
            ? b.FlatSize
            : throw new ArgumentException($"{owner} needs a Box {what} space; got {space}.", nameof(space));
    }

    public static void InitOrthogonal(Mlp mlp, float headGain, Rng rng)
    {
        var layers = mlp.LinearLayers.ToArray();
        for (var i = 0; i < layers.Length; i++)
            layers[i].InitOrthogonal(i == layers.Length - 1 ? headGain : MathF.Sqrt(2f), rng);
    }
}
