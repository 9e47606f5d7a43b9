using RlExperiments.Tensors.Nn;

namespace RlExperiments.Factories.Models;

/// <summary>
/// A model factory whose network a NAS configuration (ARLBench's <c>hidden_size</c> and <c>activation</c>) can describe
/// and change: the default factories. An algorithm maps a NAS configuration into its model factories through this
/// capability, since the network lives only there (never in the params); a factory without it cannot take one.
/// </summary>
public interface INasNetwork : IModelFactory
{
    /// <summary>The hidden-layer widths the NAS's <c>hidden_size</c> describes (two layers of that width), or null when it does not size this network.</summary>
    IReadOnlyList<int>? NasHiddenSizes { get; }

    /// <summary>The hidden-layer activation.</summary>
    Activation Activation { get; }

    /// <summary>
    /// A copy with the NAS's choices: <paramref name="hiddenSize"/> the width of each of two hidden layers (where
    /// <see cref="NasHiddenSizes"/> is not null), <paramref name="activation"/> the hidden activation; null keeps the current value.
    /// </summary>
    INasNetwork WithNas(int? hiddenSize, Activation? activation);

    /// <summary>
    /// A copy with these hidden-layer widths (a preset's <c>net_arch</c>, as rl-baselines3-zoo gives it) where
    /// <see cref="NasHiddenSizes"/> is not null; otherwise this factory.
    /// </summary>
    INasNetwork WithNetArch(IReadOnlyList<int> hiddenSizes);
}
