using RlExperiments.Core;
using RlExperiments.Tensors.Kernels;

namespace RlExperiments.Tensors.Tests.Kernels;

/// <summary>
/// The fused linear-layer product (bias and ReLU applied as the micro-kernels store C) must give exactly the bits of the
/// unfused sequence: C prefilled with the bias, the product accumulated into it, ReLU applied after. Checked on every
/// explicit path (Vector256 is the AVX2 path), across the shortcut shapes (few rows, narrow outputs), ragged tiles, depths
/// beyond one depth block (the bias goes with the first block, ReLU with the last), and split across 2 threads.
/// </summary>
public sealed class GemmBiasTests
{
    public static TheoryData<string> Paths() => new()
    {
        nameof(GemmPath.Scalar), nameof(GemmPath.Vector128), nameof(GemmPath.Vector256), nameof(GemmPath.Vector512), nameof(GemmPath.Auto),
    };

    private static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 64, 4), (3, 5, 7), (4, 70, 33), (5, 2, 9), (6, 96, 64), (7, 33, 300), (13, 17, 1), (37, 101, 53), (64, 64, 64),
        (128, 64, 4), (128, 2, 64), (129, 65, 257), (2, 64, 64),
    ];

    private static readonly (bool TA, bool TB)[] Transposes = [(false, false), (false, true), (true, false), (true, true)];

    [Theory]
    [MemberData(nameof(Paths))]
    public void Fused_bias_and_relu_equal_prefill_accumulate_relu_bit_for_bit(string pathName)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        var rng = new Rng(5);
        var failures = new List<string>();
        try
        {
            foreach (var threads in new[] { 1, 2 })
            {
                GemmThreading.OverrideForThisThread(threads, 0);
                foreach (var (m, n, k) in Shapes)
                foreach (var (ta, tb) in Transposes)
                foreach (var withBias in new[] { true, false })
                foreach (var relu in new[] { true, false })
                {
                    var a = Random(m * k, rng);
                    var b = Random(k * n, rng);
                    var bias = withBias ? Random(n, rng) : [];
                    var expected = new float[m * n];
                    if (withBias)
                        for (var r = 0; r < m; r++) bias.CopyTo(expected, r * n);
                    Gemm.Multiply(path, ta, tb, m, n, k, a, b, expected, accumulate: withBias);
                    if (relu)
                        for (var i = 0; i < expected.Length; i++) expected[i] = expected[i] < 0f ? 0f : expected[i];

                    var actual = Enumerable.Repeat(float.NaN, m * n).ToArray(); // C is never read
                    Gemm.MultiplyBias(path, ta, tb, m, n, k, a, b, bias, actual, relu);
                    for (var i = 0; i < actual.Length; i++)
                    {
                        if (BitConverter.SingleToInt32Bits(actual[i]) != BitConverter.SingleToInt32Bits(expected[i]))
                        {
                            failures.Add($"{path} threads {threads} {m}x{n}x{k} tA={ta} tB={tb} bias={withBias} relu={relu}: [{i}] {actual[i]} vs {expected[i]}");
                            break;
                        }
                    }
                }
            }
        }
        finally
        {
            GemmThreading.ClearOverride();
        }

        failures.Should().BeEmpty();
    }

    [Theory]
    [InlineData(nameof(GemmPath.Vector128))]
    [InlineData(nameof(GemmPath.Vector256))]
    [InlineData(nameof(GemmPath.Vector512))]
    [InlineData(nameof(GemmPath.Auto))]
    public void Shallow_products_sum_each_element_as_an_fma_chain_from_zero_then_the_epilogue(string pathName)
    {
        // Shallow products (first layers on a few observations) on the general path: each element is the micro-kernels'
        // acc = fma(a[i,p], op(B)[p,j], acc) for p = 0..k-1 from 0, then C = (C or bias or 0) + acc, then ReLU, whatever
        // the tile it falls in (full, ragged through CopyTile, few-rows). Acting plans and the DQN tests rely on these sums.
        var path = Enum.Parse<GemmPath>(pathName);
        var rng = new Rng(8);
        var failures = new List<string>();
        foreach (var (m, n) in new[] { (128, 64), (128, 120), (7, 84), (33, 5), (6, 17), (256, 256) })
        foreach (var k in new[] { 1, 2, 3, 4, 6, 8 })
        foreach (var tb in new[] { false, true })
        foreach (var mode in new[] { "plain", "bias", "bias+relu", "accumulate" })
        {
            var a = Random(m * k, rng);
            var b = Random(k * n, rng);
            var bias = mode.StartsWith("bias", StringComparison.Ordinal) ? Random(n, rng) : [];
            var relu = mode == "bias+relu";
            var c0 = Random(m * n, rng);
            var expected = new float[m * n];
            for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                var acc = 0f;
                for (var p = 0; p < k; p++) acc = MathF.FusedMultiplyAdd(a[i * k + p], tb ? b[j * k + p] : b[p * n + j], acc);
                var v = mode == "accumulate" ? c0[i * n + j] + acc : bias.Length > 0 ? bias[j] + acc : acc;
                expected[i * n + j] = relu && v < 0f ? 0f : v;
            }
            var actual = (float[])c0.Clone();
            if (mode == "accumulate") Gemm.Multiply(path, false, tb, m, n, k, a, b, actual, accumulate: true);
            else Gemm.MultiplyBias(path, false, tb, m, n, k, a, b, bias, actual, relu);
            for (var i = 0; i < actual.Length; i++)
            {
                if (BitConverter.SingleToInt32Bits(actual[i]) != BitConverter.SingleToInt32Bits(expected[i]))
                {
                    failures.Add($"{path} {m}x{n}x{k} tB={tb} {mode}: [{i}] {actual[i]} vs {expected[i]}");
                    break;
                }
            }
        }

        failures.Should().BeEmpty();
    }

    [Fact]
    public void Wrong_bias_length_names_the_operand() =>
        FluentActions.Invoking(() => Gemm.MultiplyBias(false, true, 2, 3, 4, new float[8], new float[12], new float[2], new float[6], relu: false))
            .Should().Throw<ArgumentException>().Where(e => e.ParamName == "bias");

    private static float[] Random(int count, Rng rng)
    {
        var v = new float[count];
        rng.FillUniform(v, -1f, 1f);
        return v;
    }
}
