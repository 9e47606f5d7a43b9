using RlExperiments.Tensors.Kernels;

namespace RlExperiments.Tensors.Tests.Kernels;

public class VectorMathTests
{
    /// <summary>Inputs spanning tiny, moderate, saturated and special values, long enough for the vector path and a tail.</summary>
    private static float[] Inputs()
    {
        var xs = new List<float> { 0f, -0f, 1e-30f, -1e-7f, 1e-4f, 0.1f, -0.3466f, 0.3467f, 0.5f, -1f, 2f, 5f, -8.9f, 9.5f, 20f, -100f, float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity };
        for (var v = -12.0; v <= 12.0; v += 0.0137) xs.Add((float)v);
        xs.Add(0.25f); // odd length: exercises the scalar tail
        return xs.ToArray();
    }

    [Fact]
    public void TanhIsAccurateEverywhere()
    {
        var x = Inputs();
        var d = new float[x.Length];
        VectorMath.Tanh(x, d);
        for (var i = 0; i < x.Length; i++)
        {
            var expected = Math.Tanh(x[i]);
            // A few float ulps of the result (2^-24 relative), with an absolute floor for results near 0.
            Math.Abs(d[i] - expected).Should().BeLessThanOrEqualTo(4e-7 * Math.Abs(expected) + 1e-37, $"tanh({x[i]})");
            Math.Sign(d[i]).Should().Be(Math.Sign(expected), $"sign of tanh({x[i]})");
        }
    }

    [Fact]
    public void SigmoidIsAccurateEverywhere()
    {
        var x = Inputs();
        var d = new float[x.Length];
        VectorMath.Sigmoid(x, d);
        for (var i = 0; i < x.Length; i++)
        {
            var expected = 1 / (1 + Math.Exp(-(double)x[i]));
            Math.Abs(d[i] - expected).Should().BeLessThanOrEqualTo(4e-7 * expected + 1e-7, $"sigmoid({x[i]})");
        }
    }

    [Fact]
    public void NaNPropagates()
    {
        var x = Enumerable.Repeat(float.NaN, 19).ToArray();
        var d = new float[19];
        VectorMath.Tanh(x, d);
        d.Should().OnlyContain(v => float.IsNaN(v));
        VectorMath.Sigmoid(x, d);
        d.Should().OnlyContain(v => float.IsNaN(v));
    }
}

public class ReluKernelTests
{
    [Fact]
    public void ReluZeroesNegativesAndKeepsEverythingElse()
    {
        var x = Enumerable.Range(-20, 41).Select(i => i * 0.37f).Append(float.NaN).Append(float.NegativeInfinity).Append(float.PositiveInfinity).ToArray();
        var d = new float[x.Length];
        VectorMath.Relu(x, d);
        for (var i = 0; i < x.Length; i++)
        {
            if (float.IsNaN(x[i])) float.IsNaN(d[i]).Should().BeTrue("relu keeps NaN, as PyTorch does");
            else d[i].Should().Be(x[i] < 0 ? 0f : x[i]);
        }
    }
}

public class ColumnSumsTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(128, 64)]
    [InlineData(5, 17)]
    [InlineData(2, 33)]
    [InlineData(9, 130)]
    [InlineData(3, 257)]
    public void ColumnSumsMatchAPlainLoop(int rows, int cols)
    {
        var rng = new RlExperiments.Core.Rng((ulong)(rows * 100 + cols));
        var x = new float[rows * cols];
        rng.FillNormal(x);
        var d = Enumerable.Range(0, cols).Select(j => (float)j).ToArray();
        VectorMath.ColumnSums(x, rows, cols, d, accumulate: true);
        var fresh = new float[cols];
        VectorMath.ColumnSums(x, rows, cols, fresh, accumulate: false);
        for (var j = 0; j < cols; j++)
        {
            double sum = 0;
            for (var r = 0; r < rows; r++) sum += x[r * cols + j];
            ((double)fresh[j]).Should().BeApproximately(sum, 1e-4 * Math.Max(1, Math.Abs(sum)));
            ((double)d[j]).Should().BeApproximately(sum + j, 1e-4 * Math.Max(1, Math.Abs(sum + j)));
        }
    }
}

public class BroadcastRowsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(64)]
    [InlineData(67)]
    public void EveryRowReceivesTheVectorAndNothingElseIsWritten(int cols)
    {
        var row = Enumerable.Range(0, cols).Select(j => j + 0.5f).ToArray();
        var d = Enumerable.Repeat(-7f, 5 * cols + 3).ToArray();
        VectorMath.BroadcastRows(row, d, 5);
        for (var r = 0; r < 5; r++) d.AsSpan(r * cols, cols).ToArray().Should().Equal(row);
        d[^3..].Should().Equal(-7f, -7f, -7f);
    }
}

public class VectorWidthTests
{
    [Theory]
    [InlineData("tanh")]
    [InlineData("sigmoid")]
    [InlineData("relu")]
    public void The512BitPathGivesTheSameBitsAsTheVectorTPath(string op)
    {
        // Values at positions 0..7 run through the 512-bit loop where the hardware has one; the same values placed at
        // positions 16..23 run through the Vector<float> loop. Both must give identical bits.
        var rng = new RlExperiments.Core.Rng(17);
        var values = new float[8];
        rng.FillUniform(values, -12f, 12f);
        values[0] = float.NaN;
        values[1] = -0f;
        var first = new float[24];
        var second = new float[24];
        values.CopyTo(first, 0);
        values.CopyTo(second, 16);
        var a = new float[24];
        var b = new float[24];
        Action<float[], float[]> f = op switch
        {
            "tanh" => (x, d) => VectorMath.Tanh(x, d),
            "sigmoid" => (x, d) => VectorMath.Sigmoid(x, d),
            _ => (x, d) => VectorMath.Relu(x, d),
        };
        f(first, a);
        f(second, b);
        for (var i = 0; i < 8; i++)
            BitConverter.SingleToInt32Bits(a[i]).Should().Be(BitConverter.SingleToInt32Bits(b[16 + i]), $"{op}({values[i]})");
    }
}
