using RlExperiments.Core;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Networks;

/// <summary>
/// A policy without a critic (REINFORCE's): an actor <c>actor.*</c> mapping observations to a categorical policy's
/// logits or a diagonal Gaussian's mean, and for a continuous policy the state-independent log standard deviation
/// <c>log_std</c> [action size]. The parameter names match <see cref="ActorCriticNetwork"/>'s unshared layout.
/// </summary>
public sealed class PolicyNetwork : Module, IStochasticPolicyNetwork
{
    private readonly Module _actor;

    /// <summary>Builds an MLP policy.</summary>
    /// <param name="observationSize">Input width.</param>
    /// <param name="actionOutputs">Output width: the number of discrete actions, or the Box size.</param>
    /// <param name="continuous">Whether the output is a Gaussian mean (adds <c>log_std</c>).</param>
    /// <param name="hiddenSizes">Hidden widths.</param>
    /// <param name="activation">Hidden nonlinearity.</param>
    /// <param name="orthoInit">Orthogonal init (hidden layers √2, the output layer 0.01, zero biases), as Stable-Baselines3's <c>ortho_init</c>.</param>
    /// <param name="logStdInit">Initial log-std of a continuous policy.</param>
    /// <param name="rng">The initialisation stream.</param>
    public PolicyNetwork(int observationSize, int actionOutputs, bool continuous, IReadOnlyList<int> hiddenSizes,
        Activation activation, bool orthoInit, float logStdInit, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        ArgumentNullException.ThrowIfNull(rng);
        ObservationSize = observationSize;
        ActionOutputs = actionOutputs;
        IsContinuous = continuous;
        var mlp = RegisterModule("actor", new Mlp(observationSize, hiddenSizes, actionOutputs, activation, rng));
        _actor = mlp;
        if (orthoInit)
        {
            var layers = mlp.LinearLayers.ToArray();
            for (var i = 0; i < layers.Length; i++)
                layers[i].InitOrthogonal(i == layers.Length - 1 ? 0.01f : MathF.Sqrt(2f), rng);
        }
        if (continuous)
            LogStd = RegisterParameter("log_std", Tensor.Full([actionOutputs], logStdInit));
    }

    /// <summary>Wraps a separately created actor (e.g. from an actor factory), checking that it maps <c>[1, observationSize]</c> to <c>[1, actionOutputs]</c>.</summary>
    /// <param name="actor">The policy network.</param>
    /// <param name="observationSize">Input width.</param>
    /// <param name="actionOutputs">Output width.</param>
    /// <param name="continuous">Whether the output is a Gaussian mean (adds <c>log_std</c>).</param>
    /// <param name="logStdInit">Initial log-std of a continuous policy.</param>
    /// <exception cref="ArgumentException">The actor's output shape does not fit.</exception>
    public PolicyNetwork(Module actor, int observationSize, int actionOutputs, bool continuous, float logStdInit)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ObservationSize = observationSize;
        ActionOutputs = actionOutputs;
        IsContinuous = continuous;
        using (Tensor.Scope())
        using (Tensor.NoGrad())
        {
            var y = actor.Forward(Tensor.Zeros([1, observationSize]));
            if (y.Shape.Length != 2 || y.Shape[0] != 1 || y.Shape[1] != actionOutputs)
                throw new ArgumentException($"The actor network maps [1, {observationSize}] to {y.ShapeString}; expected [1, {actionOutputs}].", nameof(actor));
        }
        _actor = RegisterModule("actor", actor);
        if (continuous)
            LogStd = RegisterParameter("log_std", Tensor.Full([actionOutputs], logStdInit));
    }

    /// <inheritdoc />
    public int ObservationSize { get; }

    /// <inheritdoc />
    public int ActionOutputs { get; }

    /// <inheritdoc />
    public bool IsContinuous { get; }

    /// <inheritdoc />
    public Tensor? LogStd { get; }

    /// <inheritdoc cref="IStochasticPolicyNetwork.Forward" />
    public override Tensor Forward(Tensor input) => _actor.Forward(input);
}
