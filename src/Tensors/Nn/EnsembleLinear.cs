using RlExperiments.Core;

namespace RlExperiments.Tensors.Nn;

/// <summary>
/// E independent fully connected layers evaluated by one batched matrix product (Tianshou's <c>EnsembleLinear</c>):
/// <c>weight</c> [E, out, in], <c>bias</c> [E, out], each member initialised as PyTorch's <see cref="Linear"/>
/// (U(−1/√in, 1/√in)). Input [B, in] (shared by all members) or [E, B, in]; output [E, B, out].
/// </summary>
public sealed class EnsembleLinear : Module
{
    /// <summary>The members' weights, [E, out, in].</summary>
    public Tensor Weight { get; }

    /// <summary>The members' biases, [E, out].</summary>
    public Tensor Bias { get; }

    /// <summary>Members E.</summary>
    public int EnsembleSize { get; }

    /// <summary>Input features per member.</summary>
    public int InFeatures { get; }

    /// <summary>Output features per member.</summary>
    public int OutFeatures { get; }

    /// <summary>The activation applied to the output, fused into the op.</summary>
    public Activation Activation { get; }

    /// <summary>Creates the layers and initialises them from <paramref name="rng"/>, member by member.</summary>
    public EnsembleLinear(int ensembleSize, int inFeatures, int outFeatures, Rng rng, Activation activation = Activation.Identity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ensembleSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        ArgumentNullException.ThrowIfNull(rng);
        EnsembleSize = ensembleSize;
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Activation = activation;
        var bound = 1f / MathF.Sqrt(inFeatures);
        Weight = RegisterParameter("weight", Tensor.Rand([ensembleSize, outFeatures, inFeatures], rng, -bound, bound));
        Bias = RegisterParameter("bias", Tensor.Rand([ensembleSize, outFeatures], rng, -bound, bound));
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => Tensor.EnsembleLinear(input, Weight, Bias, Activation);
}
