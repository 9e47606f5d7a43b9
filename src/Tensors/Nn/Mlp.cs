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
        var hidden = HiddenLayers(inputs, hiddenSizes, activation, rng, out var width);
        return [.. hidden, new Linear(width, outputs, rng)];
    }

    /// <summary>
    /// The hidden part of an MLP: for each size, a <see cref="Linear"/> layer (initialised from <paramref name="rng"/>, in
    /// order) and the activation. <paramref name="width"/> is the last layer's width (<paramref name="inputs"/> when none);
    /// the trunk every network with heads (dueling, actor-critic, squashed Gaussian) is built on.
    /// </summary>
    public static Module[] HiddenLayers(int inputs, IReadOnlyList<int> hiddenSizes, Activation activation, Rng rng, out int width)
    {
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        var layers = new Module[2 * hiddenSizes.Count];
        width = inputs;
        for (var i = 0; i < hiddenSizes.Count; i++)
        {
            layers[2 * i] = new Linear(width, hiddenSizes[i], rng);
            layers[2 * i + 1] = new ActivationModule(activation);
            width = hiddenSizes[i];
        }
        return layers;
    }
}
