using RlExperiments.Tensors;
using static RlExperiments.Tensors.Tests.GradCheck;

namespace RlExperiments.Tensors.Tests;

/// <summary>Forward values against scalar references, and gradients against central differences, for every op.</summary>
public class OpGradientTests
{
    private static double[] Ref(Tensor x, Func<double, double> f) => x.ToArray().Select(v => f(v)).ToArray();

    // ---- elementwise unary ------------------------------------------------------------------

    public static TheoryData<string> UnaryOps => new() { "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "softplus", "pow2", "pow3", "pow0.5", "elu", "clamp", "neg", "affine" };

    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void UnaryOpMatchesReferenceAndFiniteDifferences(string op)
    {
        var positive = op is "log" or "sqrt" or "pow0.5";
        var x = positive ? Input([3, 5], 11, 0.3f, 3f) : Input([3, 5], 11, minAbs: op is "relu" or "elu" ? 0.05f : 0f);
        if (op == "clamp")
            for (var i = 0; i < x.Count; i++)
                if (Math.Abs(Math.Abs(x.Data[i]) - 1f) < 0.05f) x.Data[i] *= 1.2f; // keep away from the clamp edges ±1
        Func<Tensor, Tensor> f = op switch
        {
            "exp" => t => t.Exp(),
            "log" => t => t.Log(),
            "sqrt" => t => t.Sqrt(),
            "tanh" => t => t.Tanh(),
            "sigmoid" => t => t.Sigmoid(),
            "relu" => t => t.Relu(),
            "softplus" => t => t.Softplus(),
            "pow2" => t => t.Pow(2f),
            "pow3" => t => t.Pow(3f),
            "pow0.5" => t => t.Pow(0.5f),
            "elu" => t => t.Elu(0.7f),
            "clamp" => t => t.Clamp(-1f, 1f),
            "neg" => t => -t,
            _ => t => 3f - 2f * t,
        };
        Func<double, double> reference = op switch
        {
            "exp" => Math.Exp,
            "log" => Math.Log,
            "sqrt" => Math.Sqrt,
            "tanh" => Math.Tanh,
            "sigmoid" => v => 1 / (1 + Math.Exp(-v)),
            "relu" => v => Math.Max(v, 0),
            "softplus" => v => Math.Log(1 + Math.Exp(v)),
            "pow2" => v => v * v,
            "pow3" => v => v * v * v,
            "pow0.5" => Math.Sqrt,
            "elu" => v => v > 0 ? v : 0.7 * (Math.Exp(v) - 1),
            "clamp" => v => Math.Clamp(v, -1, 1),
            "neg" => v => -v,
            _ => v => 3 - 2 * v,
        };
        ShouldEqual(f(x), Ref(x, reference), 1e-5);
        Check(i => f(i[0]), x);
    }

    [Fact]
    public void SoftplusIsStableForLargeInputs()
    {
        var y = Tensor.From([100f, -100f, 0f]).Softplus();
        y.Data[0].Should().BeApproximately(100f, 1e-4f);
        y.Data[1].Should().BeApproximately(0f, 1e-6f);
        y.Data[2].Should().BeApproximately(MathF.Log(2f), 1e-6f);
    }

    [Fact]
    public void ClampRejectsInvertedBounds() =>
        FluentActions.Invoking(() => Tensor.Zeros([2]).Clamp(1f, -1f)).Should().Throw<ArgumentException>().WithMessage("*min (1)*max (-1)*");

    // ---- binary with broadcasting -------------------------------------------------------------

    public static TheoryData<string, int[], int[]> BinaryCases()
    {
        var data = new TheoryData<string, int[], int[]>();
        var shapes = new (int[], int[])[]
        {
            ([3, 4], [3, 4]), ([3, 4], [4]), ([4], [3, 4]), ([3, 4], [1, 4]), ([3, 4], [3, 1]), ([3, 1], [3, 4]),
            ([3, 4], [1]), ([1], [3, 4]), ([3, 4], []), ([2, 3, 4], [4]),
        };
        foreach (var op in new[] { "add", "sub", "mul", "div", "min", "max" })
            foreach (var (a, b) in shapes) data.Add(op, a, b);
        return data;
    }

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void BinaryOpBroadcastsAndDifferentiates(string op, int[] shapeA, int[] shapeB)
    {
        var a = Input(shapeA, 3, 0.5f, 2f);
        var b = Input(shapeB, 4, -2f, -0.5f);
        if (op is "min" or "max") b = Input(shapeB, 4, 0.3f, 2.2f); // overlaps a's range; ties have probability ~0
        Func<Tensor, Tensor, Tensor> f = op switch
        {
            "add" => (x, y) => x + y,
            "sub" => (x, y) => x - y,
            "mul" => (x, y) => x * y,
            "div" => (x, y) => x / y,
            "min" => (x, y) => x.Minimum(y),
            _ => (x, y) => x.Maximum(y),
        };
        Func<double, double, double> reference = op switch
        {
            "add" => (x, y) => x + y,
            "sub" => (x, y) => x - y,
            "mul" => (x, y) => x * y,
            "div" => (x, y) => x / y,
            "min" => Math.Min,
            _ => Math.Max,
        };
        var result = f(a, b);
        // Reference broadcasting: index both operands by (row, col) of the output viewed as a matrix.
        var big = a.Count >= b.Count ? a : b;
        result.Shape.ToArray().Should().Equal(big.Shape.ToArray());
        var cols = big.Shape.Length == 0 ? 1 : big.Shape[^1];
        var expected = new double[result.Count];
        for (var i = 0; i < expected.Length; i++)
            expected[i] = reference(Pick(a, i, cols, result.Count), Pick(b, i, cols, result.Count));
        ShouldEqual(result, expected, 1e-5);
        Check(t => f(t[0], t[1]), a, b);
    }

    private static double Pick(Tensor t, int i, int cols, int outCount)
    {
        if (t.Count == outCount) return t.Data[i];
        if (t.Count == 1) return t.Data[0];
        if (t.Shape[^1] == cols && t.Count == cols) return t.Data[i % cols];
        return t.Data[i / cols]; // column [R, 1]
    }

    [Fact]
    public void MismatchedShapesNameBothShapes()
    {
        var act = () => Tensor.Zeros([4]) + Tensor.Zeros([4, 1]);
        act.Should().Throw<ArgumentException>().WithMessage("*[4]*[4, 1]*do not broadcast*");
        var act2 = () => Tensor.Zeros([2, 3]).Matmul(Tensor.Zeros([2, 3]));
        act2.Should().Throw<ArgumentException>().WithMessage("*[2, 3]*[2, 3]*3 vs 2*");
    }

    // ---- linear algebra -------------------------------------------------------------------------

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void MatmulWithTransposedOperands(bool ta, bool tb)
    {
        int m = 3, k = 4, n = 5;
        var a = Input(ta ? [k, m] : [m, k], 5);
        var b = Input(tb ? [n, k] : [k, n], 6);
        var c = a.Matmul(b, ta, tb);
        c.Shape.ToArray().Should().Equal(m, n);
        var expected = new double[m * n];
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
                for (var p = 0; p < k; p++)
                    expected[i * n + j] += (double)(ta ? a.Data[p * m + i] : a.Data[i * k + p]) * (tb ? b.Data[j * k + p] : b.Data[p * n + j]);
        ShouldEqual(c, expected, 1e-5);
        Check(t => t[0].Matmul(t[1], ta, tb), a, b);
    }

    [Theory]
    [InlineData(true, 2)]
    [InlineData(false, 2)]
    [InlineData(true, 1)]
    public void LinearIsXWTransposedPlusBias(bool withBias, int inputRank)
    {
        var x = inputRank == 2 ? Input([4, 3], 7) : Input([3], 7);
        var w = Input([5, 3], 8);
        var b = withBias ? Input([5], 9) : null;
        var y = Tensor.Linear(x, w, b);
        var rows = inputRank == 2 ? 4 : 1;
        var expected = new double[rows * 5];
        for (var r = 0; r < rows; r++)
            for (var o = 0; o < 5; o++)
            {
                double s = b?.Data[o] ?? 0;
                for (var i = 0; i < 3; i++) s += (double)x.Data[r * 3 + i] * w.Data[o * 3 + i];
                expected[r * 5 + o] = s;
            }
        ShouldEqual(y, expected, 1e-5);
        if (b is null) Check(t => Tensor.Linear(t[0], t[1], null), x, w);
        else Check(t => Tensor.Linear(t[0], t[1], t[2]), x, w, b);
    }

    [Fact]
    public void GatherPicksOnePerRowAndScattersGradient()
    {
        var q = Input([4, 3], 10);
        var idx = Tensor.From([2f, 0f, 1f, 2f]);
        var y = q.Gather(1, idx);
        ShouldEqual(y, [q[0, 2], q[1, 0], q[2, 1], q[3, 2]]);
        q.Gather(1, idx.Reshape([4, 1])).Shape.ToArray().Should().Equal(4, 1);
        Check(t => t[0].Gather(1, idx), q);
        FluentActions.Invoking(() => q.Gather(1, Tensor.From([0f, 3f, 0f, 0f]))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*index 3 at row 1*[0, 3)*");
    }

    // ---- reductions ---------------------------------------------------------------------------------

    [Fact]
    public void SumAndMeanOverAll()
    {
        var x = Input([3, 4], 12);
        var total = x.ToArray().Sum(v => (double)v);
        ((double)x.Sum().Item()).Should().BeApproximately(total, 1e-5);
        ((double)x.Mean().Item()).Should().BeApproximately(total / 12, 1e-6);
        x.Sum().Rank.Should().Be(0);
        Check(t => t[0].Sum(), x);
        Check(t => t[0].Mean(), x);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(-1, false)]
    [InlineData(1, false)]
    public void SumAndMeanPerDimensionOnRank3(int dim, bool keepDim)
    {
        var x = Input([2, 3, 4], 13);
        var s = x.Sum(dim, keepDim);
        var d = dim < 0 ? dim + 3 : dim;
        var dims = new[] { 2, 3, 4 };
        var expectedShape = dims.Select((v, i) => i == d ? (keepDim ? 1 : -1) : v).Where(v => v != -1).ToArray();
        s.Shape.ToArray().Should().Equal(expectedShape);
        var expected = new double[s.Count];
        for (var a = 0; a < 2; a++)
            for (var b = 0; b < 3; b++)
                for (var c = 0; c < 4; c++)
                {
                    int[] idx = [a, b, c];
                    var outIdx = idx.Where((_, i) => i != d).ToArray();
                    var flat = 0;
                    var outDims = dims.Where((_, i) => i != d).ToArray();
                    for (var i = 0; i < outIdx.Length; i++) flat = flat * outDims[i] + outIdx[i];
                    expected[flat] += x.Data[(a * 3 + b) * 4 + c];
                }
        ShouldEqual(s, expected, 1e-5);
        ShouldEqual(x.Mean(dim, keepDim), expected.Select(v => v / dims[d]).ToArray(), 1e-5);
        Check(t => t[0].Sum(dim, keepDim), x);
        Check(t => t[0].Mean(dim, keepDim), x);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void MaxPerDimensionReturnsValuesAndIndices(int dim)
    {
        var x = Input([3, 4], 14);
        var (values, indices) = x.Max(dim);
        var outer = dim == 1 ? 3 : 4;
        var n = dim == 1 ? 4 : 3;
        for (var o = 0; o < outer; o++)
        {
            var column = Enumerable.Range(0, n).Select(j => dim == 1 ? x[o, j] : x[j, o]).ToArray();
            values.Data[o].Should().Be(column.Max());
            indices.Data[o].Should().Be(Array.IndexOf(column, column.Max()));
        }
        x.Argmax(dim).ToArray().Should().Equal(indices.ToArray());
        indices.RequiresGrad.Should().BeFalse();
        Check(t => t[0].Max(dim).Values, x);
    }

    [Fact]
    public void SoftmaxAndLogSoftmaxRows()
    {
        var x = Input([3, 4], 15, -3f, 3f);
        var expectedSoft = new double[12];
        for (var r = 0; r < 3; r++)
        {
            var z = Enumerable.Range(0, 4).Sum(j => Math.Exp(x[r, j]));
            for (var j = 0; j < 4; j++) expectedSoft[r * 4 + j] = Math.Exp(x[r, j]) / z;
        }
        ShouldEqual(x.Softmax(), expectedSoft, 1e-5);
        ShouldEqual(x.LogSoftmax(), expectedSoft.Select(v => Math.Log(v)).ToArray(), 1e-5);
        Check(t => t[0].Softmax(), x);
        Check(t => t[0].LogSoftmax(), x);
        // Stability: huge logits do not overflow.
        Tensor.From([1000f, 0f], [1, 2]).LogSoftmax().Data[1].Should().BeApproximately(-1000f, 1e-2f);
    }

    // ---- shape ops ----------------------------------------------------------------------------------

    [Fact]
    public void CatNarrowChunkSplit()
    {
        var a = Input([3, 2], 16);
        var b = Input([3, 3], 17);
        var c = Tensor.Cat(a, b);
        c.Shape.ToArray().Should().Equal(3, 5);
        c[1, 1].Should().Be(a[1, 1]);
        c[2, 4].Should().Be(b[2, 2]);
        Check(t => Tensor.Cat(t[0], t[1]), a, b);
        Check(t => Tensor.Cat(t[0], t[1], t[0]), a, b);
        Check(t => t[0].Narrow(1, 2), b);
        var parts = b.Chunk(3);
        parts.Should().HaveCount(3);
        parts[2].ToArray().Should().Equal(b[0, 2], b[1, 2], b[2, 2]);
        Check(t => t[0].Chunk(3)[1] * t[0].Split([2, 1])[1], b);
        FluentActions.Invoking(() => b.Chunk(2)).Should().Throw<ArgumentException>().WithMessage("*[3, 3]*2 equal parts*");
    }

    [Fact]
    public void ViewsShareStorageAndPassGradients()
    {
        var x = Input([4, 3], 18);
        var r = x.Reshape([2, -1]);
        r.Shape.ToArray().Should().Equal(2, 6);
        r.Data[5] = 42f;
        x[1, 2].Should().Be(42f, "a reshape is a view, not a copy");
        x.Unsqueeze(0).Shape.ToArray().Should().Equal(1, 4, 3);
        x.Unsqueeze(-1).Shape.ToArray().Should().Equal(4, 3, 1);
        x.Unsqueeze(0).Squeeze(0).Shape.ToArray().Should().Equal(4, 3);
        x.SliceRows(1, 2).ToArray().Should().Equal(x.ToArray()[3..9]);
        x.Row(3).ToArray().Should().Equal(x.ToArray()[9..12]);
        Check(t => t[0].Reshape([3, 4]).Tanh(), x);
        Check(t => t[0].SliceRows(1, 2) * t[0].SliceRows(2, 2), x);
        Check(t => t[0].Row(0) + t[0].Row(3), x);
        FluentActions.Invoking(() => x.Reshape([5, -1])).Should().Throw<ArgumentException>().WithMessage("*-1*12 elements*");
        FluentActions.Invoking(() => x.Squeeze(0)).Should().Throw<ArgumentException>().WithMessage("*size 4, not 1*");
    }

    // ---- losses -------------------------------------------------------------------------------------

    [Theory]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    [InlineData(Reduction.None)]
    public void MseAndHuberLosses(Reduction reduction)
    {
        var x = Input([6], 19, -3f, 3f);
        var t = Input([6], 20, -3f, 3f);
        // Huber with δ = 1: keep |x − t| away from the kink at 1.
        for (var i = 0; i < 6; i++)
            if (Math.Abs(Math.Abs(x.Data[i] - t.Data[i]) - 1f) < 0.1f) x.Data[i] += 0.3f;
        var d = x.ToArray().Zip(t.ToArray(), (a, b) => (double)a - b).ToArray();
        double[] Reduce(double[] v) => reduction switch
        {
            Reduction.Mean => [v.Average()],
            Reduction.Sum => [v.Sum()],
            _ => v,
        };
        ShouldEqual(Functional.MseLoss(x, t, reduction), Reduce(d.Select(v => v * v).ToArray()), 1e-5);
        var huber = d.Select(v => Math.Abs(v) <= 1 ? 0.5 * v * v : Math.Abs(v) - 0.5).ToArray();
        ShouldEqual(Functional.HuberLoss(x, t, 1f, reduction), Reduce(huber), 1e-5);
        var smooth2 = d.Select(v => Math.Abs(v) < 2 ? 0.5 * v * v / 2 : Math.Abs(v) - 1).ToArray();
        ShouldEqual(Functional.SmoothL1Loss(x, t, 2f, reduction), Reduce(smooth2), 1e-5);
        Check(i => Functional.MseLoss(i[0], i[1], reduction), x, t);
        Check(i => Functional.HuberLoss(i[0], i[1], 1f, reduction), x, t);
    }
}
