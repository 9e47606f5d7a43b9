using RlExperiments.Core;

namespace RlExperiments.Tensors.Nn;

/// <summary>
/// A multilayer perceptron: Linear layers of the given hidden sizes with <see cref="Activation"/> between
/// them and none after the last. Its parameter names match PyTorch's <c>nn.Sequential</c> of the same
/// layers (<c>0.weight</c>, <c>2.weight</c>, ...), so weights move between the two unchanged.
/// </summary>
public sealed class Mlp : Sequential
{
    /// <summary>Builds the network, initialising every layer from <paramref name="rng"/>.</summary>
    public Mlp(int inputs, IReadOnlyList<int> hiddenSizes, int outputs, Activation activation, Rng rng)
        : base(BuildLayers(inputs, hiddenSizes, outputs, activation, rng))
    {
        Inputs = inputs;
        Outputs = outputs;
    }

    /// <summary>Input width.</summary>
    public int Inputs { get; }

    /// <summary>Output width.</summary>
    public int Outputs { get; }

    /// <summary>The Linear layers in order.</summary>
    public IEnumerable<Linear> LinearLayers => Layers.OfType<Linear>();

    private static Module[] BuildLayers(int inputs, IReadOnlyList<int> hiddenSizes, int outputs, Activation activation, Rng rng)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
        for (var i = 0; i < hiddenSizes.Count; i++)
            if (hiddenSizes[i] <= 0)
                throw new ArgumentOutOfRangeException(nameof(hiddenSizes), hiddenSizes[i], $"hiddenSizes[{i}] must be positive.");
        var layers = new List<Module>();
        var width = inputs;
        foreach (var h in hiddenSizes)
        {
            layers.Add(new Linear(width, h, rng));
            layers.Add(new ActivationModule(activation));
            width = h;
        }
        layers.Add(new Linear(width, outputs, rng));
        return layers.ToArray();
    }
}
