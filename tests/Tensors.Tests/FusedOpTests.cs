using RlExperiments.Core;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;
using static RlExperiments.Tensors.Tests.GradCheck;

namespace RlExperiments.Tensors.Tests;

/// <summary>The fused ops: values and gradients against the unfused compositions (bit for bit) and against central differences.</summary>
public class FusedOpTests
{
    public static TheoryData<Activation> Activations => new() { Activation.ReLU, Activation.Tanh, Activation.ELU, Activation.Sigmoid, Activation.Identity };

    /// <summary>Inputs whose pre-activations all lie at least 0.15 from 0 (the kink of ReLU and ELU).</summary>
    private static (Tensor X, Tensor W, Tensor B) AwayFromKinks(int seed)
    {
        for (var s = seed; ; s += 17)
        {
            var x = Input([3, 5], s);
            var w = Input([4, 5], s + 1, -1f, 1f);
            var b = Input([4], s + 2, -1f, 1f);
            using var _ = Tensor.NoGrad();
            var z = Tensor.Linear(x, w, b);
            if (z.ToArray().All(v => Math.Abs(v) > 0.15f)) return (x, w, b);
        }
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void LinearWithActivationMatchesFiniteDifferences(Activation activation)
    {
        var (x, w, b) = AwayFromKinks(40);
        Check(t => Tensor.Linear(t[0], t[1], t[2], activation), x, w, b);
        Check(t => Tensor.Linear(t[0], t[1], null, activation), x, w);
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void FusedMlpEqualsTheLayerByLayerCompositionBitForBit(Activation activation)
    {
        var net = new Mlp(4, [16, 8], 3, activation, new Rng(3));
        var x = Tensor.Randn([7, 4], new Rng(4), requiresGrad: true);
        var seed = Tensor.Randn([7, 3], new Rng(5));

        var fused = net.Forward(x);
        fused.Backward(seed);
        var fusedGrads = net.Parameters().Select(p => p.Grad!.ToArray()).Append(x.Grad!.ToArray()).ToArray();

        net.ZeroGrad();
        x.Grad = null;
        var h = x;
        foreach (var layer in net.Layers) h = layer.Forward(h); // one op per layer: Linear, then the activation op
        h.Backward(seed);
        var plainGrads = net.Parameters().Select(p => p.Grad!.ToArray()).Append(x.Grad!.ToArray()).ToArray();

        Bits(fused.ToArray()).Should().Equal(Bits(h.ToArray()));
        for (var i = 0; i < fusedGrads.Length; i++) Bits(fusedGrads[i]).Should().Equal(Bits(plainGrads[i]), $"gradient {i}");
    }

    private static int[] Bits(float[] v) => v.Select(BitConverter.SingleToInt32Bits).ToArray();
}
