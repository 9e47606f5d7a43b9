using RlExperiments.Agents.Networks;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Factories.Models;

/// <summary>
/// IQN's implicit quantile network on top of a preprocess network ψ (Tianshou's <c>ImplicitQuantileNetworkFactory</c>):
/// the quantile embedding φ(τ) = ReLU(W·[cos(πiτ)]ᵢ₌₁..ₙ + b) and the head f that maps ψ(s) ⊙ φ(τ) to one quantile
/// per action. The preprocess network has its own factory; this one describes the rest.
/// </summary>
public sealed record ImplicitQuantileNetworkFactory : IHiddenLayers, INasNetwork
{
    private readonly ValueList<int> _hiddenSizes = [];

    /// <summary>Hidden-layer widths of the head f (Tianshou's <c>hidden_sizes</c>: (), a single linear layer). Allowed: widths ≥ 1.</summary>
    public IReadOnlyList<int> HiddenSizes
    {
        get => _hiddenSizes;
        init => _hiddenSizes = ValueList.From(value)!;
    }

    /// <summary>Hidden-layer activation of the head. Default: ReLU. Allowed: any <see cref="Tensors.Nn.Activation"/>.</summary>
    public Activation Activation { get; init; } = Activation.ReLU;

    /// <summary>Cosines n of the quantile embedding (Tianshou's <c>num_cosines</c>: 64). Allowed: ≥ 1.</summary>
    public int NumCosines { get; init; } = 64;

    /// <summary>ARLBench's <c>hidden_size</c> sizes the preprocess network, not the head: null.</summary>
    IReadOnlyList<int>? INasNetwork.NasHiddenSizes => null;

    /// <summary>A copy with the NAS's activation; the head keeps its widths (the NAS's hidden size is the preprocess network's).</summary>
    public INasNetwork WithNas(int? hiddenSize, Activation? activation) => this with { Activation = activation ?? Activation };

    /// <summary>This factory: a preset's <c>net_arch</c> sizes the preprocess network, not the head.</summary>
    public INasNetwork WithNetArch(IReadOnlyList<int> hiddenSizes) => this;

    /// <inheritdoc />
    public void Validate()
    {
        ModelChecks.HiddenSizes(nameof(ImplicitQuantileNetworkFactory), HiddenSizes, requireNonEmpty: false, "");
        ModelChecks.Activation(nameof(ImplicitQuantileNetworkFactory), Activation);
        if (NumCosines < 1) throw FieldCheck.OutOfRange(nameof(ImplicitQuantileNetworkFactory), nameof(NumCosines), NumCosines, "an integer ≥ 1");
    }

    /// <summary>Creates the network on <paramref name="preprocess"/>, initialising the embedding and the head from <paramref name="rng"/>.</summary>
    /// <param name="preprocess">ψ: observations <c>[B, obs]</c> → features <c>[B, f]</c>.</param>
    /// <param name="observationSpace">A Box observation space (ψ's input).</param>
    /// <param name="actionSpace">A Discrete action space.</param>
    /// <param name="evaluationQuantiles">Midpoint fractions the network averages when acting (the params' <c>NumQuantiles</c>).</param>
    /// <param name="rng">The initialisation stream.</param>
    /// <exception cref="ArgumentException">A space is not supported or ψ does not map observations to a feature vector.</exception>
    public ImplicitQuantileNetwork Create(Module preprocess, Space observationSpace, Space actionSpace, int evaluationQuantiles, Rng rng)
    {
        Validate();
        ArgumentNullException.ThrowIfNull(preprocess);
        ArgumentNullException.ThrowIfNull(rng);
        var obs = ModelChecks.BoxSize(observationSpace, nameof(ImplicitQuantileNetworkFactory), "observation");
        if (actionSpace is not Discrete d)
            throw new ArgumentException($"{nameof(ImplicitQuantileNetworkFactory)} needs a Discrete action space (one quantile per action); got {actionSpace}.", nameof(actionSpace));
        int width;
        using (Tensors.Tensor.Scope())
        using (Tensors.Tensor.NoGrad())
        {
            var output = preprocess.Forward(Tensors.Tensor.Zeros([1, obs]));
            if (output.Shape.Length != 2 || output.Shape[0] != 1)
                throw new ArgumentException(
                    $"The preprocess network maps [1, {obs}] observations to {output.ShapeString}; IQN needs [1, f] (a feature vector).", nameof(preprocess));
            width = output.Shape[1];
        }
        return new ImplicitQuantileNetwork(preprocess, width, d.N, HiddenSizes, Activation, NumCosines, evaluationQuantiles, rng);
    }
}
