using RlExperiments.Core;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Networks;

/// <summary>
/// The dueling Q-network of Wang et al. (2016): a shared trunk of hidden layers, then a state-value head V(s)
/// and an advantage head A(s, a), combined as <c>Q(s, a) = V(s) + A(s, a) − mean_a' A(s, a')</c> (the mean
/// makes V and A identifiable).
/// </summary>
public sealed class DuelingQNetwork : Module
{
    private readonly Sequential _features;
    private readonly Linear _value;
    private readonly Linear _advantage;

    /// <summary>Builds the network with PyTorch's default initialisation from <paramref name="rng"/>.</summary>
    public DuelingQNetwork(int inputs, IReadOnlyList<int> hiddenSizes, int actions, Activation activation, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        if (hiddenSizes.Count == 0) throw new ArgumentException("A dueling network needs at least one hidden layer.", nameof(hiddenSizes));
        _features = RegisterModule("features", new Sequential(Mlp.HiddenLayers(inputs, hiddenSizes, activation, rng, out var width)));
        _value = RegisterModule("value", new Linear(width, 1, rng));
        _advantage = RegisterModule("advantage", new Linear(width, actions, rng));
    }

    /// <summary>Q-values <c>[B, actions]</c> for observations <c>[B, inputs]</c>.</summary>
    public override Tensor Forward(Tensor input)
    {
        var h = _features.Forward(input);
        var v = _value.Forward(h);                          // [B, 1]
        var a = _advantage.Forward(h);                      // [B, A]
        return a - a.Mean(1, keepDim: true) + v;            // A − mean A, then + V (column broadcast)
    }
}
