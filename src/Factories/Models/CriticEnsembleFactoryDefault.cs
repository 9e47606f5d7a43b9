using RlExperiments.Agents.Networks;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Factories.Models;

/// <summary>The default critic ensemble (Tianshou's <c>CriticEnsembleFactoryDefault</c>): E MLPs with one output, every layer one batched product.</summary>
public sealed record CriticEnsembleFactoryDefault : CriticEnsembleFactory, IHiddenLayers, INasNetwork
{
    private readonly ValueList<int> _hiddenSizes = [64, 64];

    /// <summary>Hidden-layer widths of each member. Default: [64, 64] (Tianshou's). Allowed: widths ≥ 1.</summary>
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

    /// <inheritdoc />
    public override void Validate()
    {
        ModelChecks.HiddenSizes(nameof(CriticEnsembleFactoryDefault), HiddenSizes, requireNonEmpty: false, "");
        ModelChecks.Activation(nameof(CriticEnsembleFactoryDefault), Activation);
    }

    /// <inheritdoc />
    public override EnsembleQCritic Create(Space observationSpace, Space actionSpace, int ensembleSize, Rng rng)
    {
        Validate();
        ArgumentNullException.ThrowIfNull(rng);
        var obs = ModelChecks.BoxSize(observationSpace, nameof(CriticEnsembleFactoryDefault), "observation");
        var act = ModelChecks.BoxSize(actionSpace, nameof(CriticEnsembleFactoryDefault), "action (a Q(s, a) critic concatenates it)");
        return new EnsembleQCritic(ensembleSize, obs, act, HiddenSizes, Activation, rng);
    }
}
