using RlExperiments.Tensors.Kernels;

namespace RlExperiments.Tensors.Tests.Kernels;

/// <summary>
/// The matrix-product kernel against a double-precision triple loop, on every instruction-set path.
/// </summary>
/// <remarks>
/// Tolerance: each C[i, j] is a float32 sum of k products (plus the old C[i, j] when accumulating). Whatever order
/// and blocking the kernel uses, the standard bound for a float dot product with FMA or separate roundings is
/// |computed - exact| ≤ γ · (Σ_p |A[i, p]|·|B[p, j]| + |C_old[i, j]|) with γ = (k + 2)·u, u = 2^-24 (one rounding
/// per addition, one for the product, one for the final add). The check uses exactly that (a rigorous worst case,
/// far above typical errors, yet a single wrong or missing term of size ~|a||b| exceeds it by orders of magnitude).
/// Operands live in buffers with row padding and a guard zone after C, filled with a sentinel that must survive:
/// the kernel may not write outside the m × n window of C, and when not accumulating it must not read C (C starts
/// as NaN, so any read would poison the result). After every product the canary behind the kernel's scratch
/// region must be intact (packing never overruns its buffers).
/// </remarks>
public sealed unsafe class GemmTests
{
    private const double UnitRoundoff = 1.0 / (1 << 24);
    private const float Sentinel = 12345.5f;
    private const int Guard = 64;

    /// <summary>The accelerated paths run as such; Vector512 without AVX-512 hardware runs in the runtime's software emulation.</summary>
    /// <remarks>Passed by name: <see cref="GemmPath"/> is internal, test method signatures are public.</remarks>
    public static TheoryData<string> AllPaths() => new()
    {
        nameof(GemmPath.Auto), nameof(GemmPath.Scalar), nameof(GemmPath.Vector128), nameof(GemmPath.Vector256), nameof(GemmPath.Vector512),
    };

    /// <summary>The explicit paths (<see cref="GemmPath.Auto"/> is one of them on any machine).</summary>
    public static TheoryData<string> ExplicitPaths() => new()
    {
        nameof(GemmPath.Scalar), nameof(GemmPath.Vector128), nameof(GemmPath.Vector256), nameof(GemmPath.Vector512),
    };

    private static readonly int[] SmallDims = [1, 2, 3, 5, 7, 8, 15, 16, 17, 31, 33];

    [Theory]
    [MemberData(nameof(AllPaths))]
    public void Small_shapes_all_transpose_combinations_match_double_reference(string pathName)
    {
        GemmPath path = Enum.Parse<GemmPath>(pathName);
        var failures = new List<string>();
        int[] depths = path is GemmPath.Vector512 or GemmPath.Scalar ? [1, 9, 17] : [1, 3, 8, 17];
        int seed = 0;
        foreach (int m in SmallDims)
        {
            foreach (int n in SmallDims)
            {
                foreach (int k in depths)
                {
                    foreach ((bool tA, bool tB) in TransposeCombos)
                    {
                        bool acc = (seed & 1) == 1;
                        int pad = seed % 3 == 0 ? 0 : 3;
                        Check(path, tA, tB, m, n, k, acc, padA: pad, padB: 2 * pad, padC: pad + 1, seed++, failures);
                    }
                }
            }
        }

        failures.Should().BeEmpty();
    }

    /// <summary>Shapes around the blocking constants (KC = 256, MC = 144, NC = 1024), the in-place/packed B and
    /// loop-order thresholds, the dot-product path and the RL layer shapes, with and without accumulation.</summary>
    public static IEnumerable<(int M, int N, int K)> LargeShapes() =>
    [
        (64, 64, 64), (65, 63, 64), (100, 100, 100), (129, 33, 31), (33, 129, 65),
        (257, 17, 33), (7, 257, 257), (145, 40, 255), (143, 33, 257), (150, 20, 513),
        (7, 1025, 5), (12, 2049, 3), (128, 64, 64), (256, 256, 4), (256, 256, 1), (256, 256, 3),
        (256, 1, 256), (256, 2, 64), (1, 256, 256), (2, 64, 64), (4, 100, 33), (8, 96, 64), (6, 100, 70),
        (97, 96, 64), (97, 100, 64), (61, 64, 65), (7, 300, 300), (13, 200, 40), (11, 70, 260),
    ];

    [Theory]
    [MemberData(nameof(ExplicitPaths))]
    public void Larger_shapes_across_blocking_boundaries_match_double_reference(string pathName)
    {
        GemmPath path = Enum.Parse<GemmPath>(pathName);
        var failures = new List<string>();
        int seed = 1000;
        foreach ((int m, int n, int k) in LargeShapes())
        {
            if (path is GemmPath.Vector512 or GemmPath.Scalar && (long)m * n * k > 1_000_000)
            {
                continue; // emulated / scalar: keep the test fast, the small grid covers their edges
            }

            foreach ((bool tA, bool tB) in TransposeCombos)
            {
                bool acc = (seed & 1) == 0;
                Check(path, tA, tB, m, n, k, acc, padA: seed % 5, padB: seed % 7, padC: seed % 3, seed++, failures);
            }
        }

        failures.Should().BeEmpty();
    }

    [Fact]
    public void Full_size_256_cube_matches_double_reference_on_the_auto_path()
    {
        var failures = new List<string>();
        foreach ((bool tA, bool tB) in TransposeCombos)
        {
            Check(GemmPath.Auto, tA, tB, 257, 256, 257, accumulate: tA, padA: 1, padB: 0, padC: 5, seed: tA ? 1 : 2, failures);
        }

        failures.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(AllPaths))]
    public void Garbage_and_NaN_in_C_are_ignored_when_not_accumulating(string pathName)
    {
        GemmPath path = Enum.Parse<GemmPath>(pathName);
        // Check() already starts C as NaN when not accumulating; here C holds +/-Inf and huge values too.
        foreach ((int m, int n, int k) in new[] { (1, 1, 1), (7, 19, 5), (64, 64, 64), (13, 3, 40), (2, 50, 9) })
        {
            foreach ((bool tA, bool tB) in TransposeCombos)
            {
                var a = RandomArray(m * k, 1);
                var b = RandomArray(k * n, 2);
                var c = new float[m * n];
                for (int i = 0; i < c.Length; i++)
                {
                    c[i] = (i % 4) switch { 0 => float.NaN, 1 => float.PositiveInfinity, 2 => float.NegativeInfinity, _ => 3e38f };
                }

                Gemm.Multiply(path, tA, tB, m, n, k, a, b, c, accumulate: false);
                c.Should().OnlyContain(v => float.IsFinite(v), $"C must be overwritten without being read ({path}, {m}x{n}x{k}, tA={tA}, tB={tB})");
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllPaths))]
    public void Zero_depth_clears_C_or_leaves_it_when_accumulating(string pathName)
    {
        GemmPath path = Enum.Parse<GemmPath>(pathName);
        float[] c = [float.NaN, 2f, 3f, 4f, 5f, 6f];
        Gemm.Multiply(path, false, true, 2, 3, 0, ReadOnlySpan<float>.Empty, ReadOnlySpan<float>.Empty, c, accumulate: false);
        c.Should().Equal(0f, 0f, 0f, 0f, 0f, 0f);

        float[] d = [1f, 2f, 3f, 4f, 5f, 6f];
        Gemm.Multiply(path, true, false, 3, 2, 0, ReadOnlySpan<float>.Empty, ReadOnlySpan<float>.Empty, d, accumulate: true);
        d.Should().Equal(1f, 2f, 3f, 4f, 5f, 6f);
    }

    [Fact]
    public void Empty_outputs_are_a_no_op()
    {
        float[] a = [1f, 2f, 3f];
        Gemm.Multiply(false, false, 0, 5, 3, ReadOnlySpan<float>.Empty, new float[15], Span<float>.Empty, accumulate: false);
        Gemm.Multiply(false, false, 1, 0, 3, a, ReadOnlySpan<float>.Empty, Span<float>.Empty, accumulate: true);
    }

    [Fact]
    public void Known_small_product_is_exact()
    {
        // [1 2 3; 4 5 6] · [7 8; 9 10; 11 12] = [58 64; 139 154]
        float[] a = [1, 2, 3, 4, 5, 6];
        float[] b = [7, 8, 9, 10, 11, 12];
        float[] bT = [7, 9, 11, 8, 10, 12];
        float[] aT = [1, 4, 2, 5, 3, 6];
        var c = new float[4];
        Gemm.Multiply(false, false, 2, 2, 3, a, b, c, accumulate: false);
        c.Should().Equal(58, 64, 139, 154);
        Gemm.Multiply(true, true, 2, 2, 3, aT, bT, c, accumulate: true);
        c.Should().Equal(116, 128, 278, 308);
        Gemm.Multiply(false, true, 2, 2, 3, a, bT, c, accumulate: false);
        c.Should().Equal(58, 64, 139, 154);
        Gemm.Multiply(true, false, 2, 2, 3, aT, b, c, accumulate: false);
        c.Should().Equal(58, 64, 139, 154);
    }

    [Fact]
    public void Products_with_at_most_four_columns_are_dot_products_with_the_transposed_B()
    {
        // A·B with n ≤ 4 (a layer's input gradient when it has few inputs) transposes B and takes the dot-product path
        // of A·Bᵀ: the same bits as that product given Bᵀ directly, which the blocked path's summation order would not give.
        foreach ((int m, int k) in new[] { (256, 256), (37, 65), (5, 300) })
        {
            for (int n = 1; n <= Gemm.DotMaxN; n++)
            {
                foreach (bool accumulate in new[] { false, true })
                {
                    var a = RandomArray(m * k, m + n);
                    var b = RandomArray(k * n, k + n);
                    var bT = new float[n * k];
                    for (int p = 0; p < k; p++)
                    {
                        for (int j = 0; j < n; j++)
                        {
                            bT[j * k + p] = b[p * n + j];
                        }
                    }

                    var viaB = RandomArray(m * n, 9);
                    var viaBT = (float[])viaB.Clone();
                    Gemm.Multiply(false, false, m, n, k, a, b, viaB, accumulate);
                    Gemm.Multiply(false, true, m, n, k, a, bT, viaBT, accumulate);
                    viaB.Should().Equal(viaBT, $"m = {m}, n = {n}, k = {k}, accumulate = {accumulate}");
                }
            }
        }
    }

    [Fact]
    public void Span_overload_matches_pointer_overload_bit_for_bit()
    {
        const int m = 37, n = 29, k = 41;
        foreach ((bool tA, bool tB) in TransposeCombos)
        {
            var a = RandomArray(m * k, 3);
            var b = RandomArray(k * n, 4);
            var viaSpan = RandomArray(m * n, 5);
            var viaPointer = (float[])viaSpan.Clone();
            Gemm.Multiply(tA, tB, m, n, k, a, b, viaSpan, accumulate: true);
            fixed (float* pa = a, pb = b, pc = viaPointer)
            {
                Gemm.Multiply(tA, tB, m, n, k, pa, tA ? m : k, pb, tB ? k : n, pc, n, accumulate: true);
            }

            viaSpan.Should().Equal(viaPointer);
        }
    }

    [Fact]
    public void Multiply_allocates_nothing_after_warm_up()
    {
        (int M, int N, int K, bool TA, bool TB)[] shapes =
        [
            (256, 256, 256, false, false), (128, 64, 64, false, true), (64, 64, 128, true, false),
            (256, 256, 4, false, true), (256, 1, 256, false, true), (1, 64, 64, false, true),
            (7, 1100, 300, true, true), (33, 17, 5, false, false),
        ];
        var buffers = shapes.Select(s => (A: RandomArray(s.M * s.K, 1), B: RandomArray(s.K * s.N, 2), C: new float[s.M * s.N])).ToArray();
        void RunAll()
        {
            for (int i = 0; i < shapes.Length; i++)
            {
                var s = shapes[i];
                Gemm.Multiply(s.TA, s.TB, s.M, s.N, s.K, buffers[i].A, buffers[i].B, buffers[i].C, accumulate: (i & 1) == 0);
            }
        }

        for (int i = 0; i < 50; i++)
        {
            RunAll(); // grows this thread's scratch to its final size, lets tiered compilation settle
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            RunAll();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0, "the hot path reuses its per-thread scratch");
    }

    [Fact]
    public void Wrong_span_lengths_name_the_operand_and_both_lengths()
    {
        var ok = new float[6];
        Action badA = () => Gemm.Multiply(false, false, 2, 3, 3, new float[5], new float[9], ok, accumulate: false);
        badA.Should().Throw<ArgumentException>().Where(e => e.ParamName == "a" && e.Message.Contains("6") && e.Message.Contains("5"));

        Action badB = () => Gemm.Multiply(false, true, 2, 3, 3, new float[6], new float[10], ok, accumulate: false);
        badB.Should().Throw<ArgumentException>().Where(e => e.ParamName == "b" && e.Message.Contains("9") && e.Message.Contains("10") && e.Message.Contains("n × k"));

        Action badC = () => Gemm.Multiply(true, false, 2, 3, 3, new float[6], new float[9], new float[7], accumulate: true);
        badC.Should().Throw<ArgumentException>().Where(e => e.ParamName == "c" && e.Message.Contains("6") && e.Message.Contains("7"));

        Action negative = () => Gemm.Multiply(false, false, -1, 3, 3, new float[0], new float[9], new float[0], accumulate: false);
        negative.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "m");

        var shared = new float[12];
        Action overlap = () => Gemm.Multiply(false, false, 2, 2, 2, shared.AsSpan(0, 4), shared.AsSpan(4, 4), shared.AsSpan(2, 4), accumulate: false);
        overlap.Should().Throw<ArgumentException>().Where(e => e.ParamName == "c");
    }

    [Fact]
    public void Too_small_strides_are_rejected()
    {
        var buf = new float[64];
        fixed (float* p = buf)
        {
            float* q = p;
            Action badLda = () => Gemm.Multiply(false, false, 2, 2, 4, q, 3, q + 16, 2, q + 32, 2, false);
            badLda.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "lda");
            Action badLdb = () => Gemm.Multiply(false, true, 2, 2, 4, q, 4, q + 16, 3, q + 32, 2, false);
            badLdb.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "ldb");
            Action badLdc = () => Gemm.Multiply(false, false, 2, 3, 4, q, 4, q + 16, 3, q + 32, 2, false);
            badLdc.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "ldc");
        }
    }

    private static readonly (bool TA, bool TB)[] TransposeCombos = [(false, false), (false, true), (true, false), (true, true)];

    /// <summary>Runs one product through the pointer API with padded strides and compares it with the double reference.</summary>
    private static void Check(GemmPath path, bool tA, bool tB, int m, int n, int k, bool accumulate,
        int padA, int padB, int padC, int seed, List<string> failures)
    {
        int rowsA = tA ? k : m, colsA = tA ? m : k, lda = colsA + padA;
        int rowsB = tB ? n : k, colsB = tB ? k : n, ldb = colsB + padB;
        int ldc = n + padC;
        var rng = new Random(seed);
        float[] a = new float[Math.Max(1, rowsA * lda)];
        float[] b = new float[Math.Max(1, rowsB * ldb)];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (float)(rng.NextDouble() * 2 - 1);
        }

        for (int i = 0; i < b.Length; i++)
        {
            b[i] = (float)(rng.NextDouble() * 2 - 1);
        }

        float[] c = new float[m * ldc + Guard];
        c.AsSpan().Fill(Sentinel);
        float[] c0 = new float[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float v = accumulate ? (float)(rng.NextDouble() * 4 - 2) : float.NaN;
                c[i * ldc + j] = v;
                c0[i * n + j] = accumulate ? v : 0f;
            }
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            Gemm.Multiply(path, tA, tB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate);
        }

        if (!Gemm.ScratchCanaryIntact())
        {
            failures.Add($"{path} tA={tA} tB={tB} m={m} n={n} k={k}: packing overran the scratch region");
        }

        string Describe() => $"{path} tA={tA} tB={tB} m={m} n={n} k={k} acc={accumulate} lda={lda} ldb={ldb} ldc={ldc}";

        // op(A) row-major and op(B)^T row-major in double, so the reference is a plain dot product.
        var opA = new double[m * k];
        var opBt = new double[n * k];
        for (int i = 0; i < m; i++)
        {
            for (int p = 0; p < k; p++)
            {
                opA[i * k + p] = tA ? a[p * lda + i] : a[i * lda + p];
            }
        }

        for (int j = 0; j < n; j++)
        {
            for (int p = 0; p < k; p++)
            {
                opBt[j * k + p] = tB ? b[j * ldb + p] : b[p * ldb + j];
            }
        }

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double exact = c0[i * n + j], absSum = Math.Abs(c0[i * n + j]);
                ReadOnlySpan<double> x = opA.AsSpan(i * k, k), y = opBt.AsSpan(j * k, k);
                for (int p = 0; p < x.Length; p++)
                {
                    double prod = x[p] * y[p];
                    exact += prod;
                    absSum += Math.Abs(prod);
                }

                double got = c[i * ldc + j];
                double tol = (k + 2) * UnitRoundoff * absSum;
                if (!(Math.Abs(got - exact) <= tol))
                {
                    failures.Add($"{Describe()}: C[{i},{j}] = {got}, expected {exact} ± {tol:G3}");
                    return;
                }
            }

            for (int j = n; j < ldc && i < m; j++)
            {
                if (c[i * ldc + j] != Sentinel)
                {
                    failures.Add($"{Describe()}: wrote into the row padding at C[{i},{j}]");
                    return;
                }
            }
        }

        for (int i = m * ldc; i < c.Length; i++)
        {
            if (c[i] != Sentinel)
            {
                failures.Add($"{Describe()}: wrote past the end of C (offset {i - m * ldc})");
                return;
            }
        }
    }

    private static float[] RandomArray(int length, int seed)
    {
        var rng = new Random(seed);
        var x = new float[length];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)(rng.NextDouble() * 2 - 1);
        }

        return x;
    }
}
