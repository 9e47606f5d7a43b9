using RlExperiments.Core;

namespace RlExperiments.Tensors.Nn;

/// <summary>
/// A fully connected layer <c>y = x·Wᵀ + b</c> with PyTorch's parameter layout (<c>weight</c> [out, in],
/// <c>bias</c> [out]) and PyTorch's default initialisation: both drawn from U(−1/√in, 1/√in).
/// </summary>
public sealed class Linear : Module
{
    /// <summary>The weight matrix, [out, in].</summary>
    public Tensor Weight { get; }

    /// <summary>The bias vector, [out], or null when the layer has none.</summary>
    public Tensor? Bias { get; }

    /// <summary>Number of input features.</summary>
    public int InFeatures { get; }

    /// <summary>Number of output features.</summary>
    public int OutFeatures { get; }

    /// <summary>Creates the layer and initialises it from <paramref name="rng"/> as PyTorch does.</summary>
    public Linear(int inFeatures, int outFeatures, Rng rng, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        // kaiming_uniform_(a=√5) gives bound = gain·√(3/fan_in) with gain = √(2/(1+5)), i.e. 1/√fan_in.
        var bound = 1f / MathF.Sqrt(inFeatures);
        Weight = RegisterParameter("weight", Tensor.Rand([outFeatures, inFeatures], rng, -bound, bound));
        if (bias) Bias = RegisterParameter("bias", Tensor.Rand([outFeatures], rng, -bound, bound));
    }

    /// <summary>
    /// Re-initialises the weight as a (semi-)orthogonal matrix scaled by <paramref name="gain"/> (PyTorch's
    /// <c>orthogonal_</c>, used by PPO implementations) and sets the bias to <paramref name="biasValue"/>.
    /// </summary>
    public Linear InitOrthogonal(float gain, Rng rng, float biasValue = 0f)
    {
        Init.Orthogonal(Weight, gain, rng);
        Bias?.Fill(biasValue);
        return this;
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Tensor.Linear(input, Weight, Bias);
}
