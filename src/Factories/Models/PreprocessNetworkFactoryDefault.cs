using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Factories.Models;

/// <summary>
/// The default preprocess network: the hidden layers of an MLP (each followed by <see cref="Activation"/>), so the
/// feature size is the last width (Tianshou's default for IQN, <c>ActorFactoryDefault</c>'s (64, 64) ReLU net).
/// </summary>
public sealed record PreprocessNetworkFactoryDefault : PreprocessNetworkFactory, IHiddenLayers, INasNetwork
{
    private readonly ValueList<int> _hiddenSizes = [64, 64];

    /// <summary>Layer widths; the last is the feature size. Default: [64, 64]. Allowed: at least one width, each ≥ 1.</summary>
    public IReadOnlyList<int> HiddenSizes
    {
        get => _hiddenSizes;
        init => _hiddenSizes = ValueList.From(value)!;
    }

    /// <summary>Activation after every layer. Default: ReLU. Allowed: any <see cref="Tensors.Nn.Activation"/>.</summary>
    public Activation Activation { get; init; } = Activation.ReLU;

    /// <inheritdoc />
    IReadOnlyList<int>? INasNetwork.NasHiddenSizes => HiddenSizes;

    /// <inheritdoc />
    public INasNetwork WithNas(int? hiddenSize, Activation? activation) =>
        this with { HiddenSizes = hiddenSize is { } h ? [h, h] : HiddenSizes, Activation = activation ?? Activation };

    /// <inheritdoc />
    public INasNetwork WithNetArch(IReadOnlyList<int> hiddenSizes) => this with { HiddenSizes = hiddenSizes };

    /// <inheritdoc />
    public override void Validate()
    {
        ModelChecks.HiddenSizes(nameof(PreprocessNetworkFactoryDefault), HiddenSizes, requireNonEmpty: true, "a preprocess network (its last width is the feature size)");
        ModelChecks.Activation(nameof(PreprocessNetworkFactoryDefault), Activation);
    }

    /// <inheritdoc />
    public override Module Create(Space observationSpace, Rng rng)
    {
        Validate();
        ArgumentNullException.ThrowIfNull(rng);
        var obs = ModelChecks.BoxSize(observationSpace, nameof(PreprocessNetworkFactoryDefault), "observation");
        return new Sequential(Mlp.HiddenLayers(obs, HiddenSizes, Activation, rng, out _));
    }
}
