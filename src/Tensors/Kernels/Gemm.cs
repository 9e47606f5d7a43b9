using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace RlExperiments.Tensors.Kernels;

/// <summary>The instruction-set path a <see cref="Gemm"/> call runs on; tests force each one.</summary>
internal enum GemmPath
{
    /// <summary>The widest accelerated path of this machine (512, else 256, else 128-bit, else scalar).</summary>
    Auto,

    /// <summary>Plain scalar loops; the fallback without SIMD and the reference the vector paths are checked against.</summary>
    Scalar,

    /// <summary>128-bit vectors, 6 × 8 register tile.</summary>
    Vector128,

    /// <summary>256-bit vectors (AVX2 + FMA), 6 × 16 register tile.</summary>
    Vector256,

    /// <summary>512-bit vectors (AVX-512F), 6 × 32 register tile.</summary>
    Vector512,
}

/// <summary>
/// The single-precision matrix product every layer of the tensor engine goes through:
/// row-major <c>C[m×n] = op(A)·op(B) + (accumulate ? C : 0)</c>, allocation-free in steady state. Products of at least
/// <see cref="GemmThreading.MinMultiplyAdds"/> are split into column slices across <see cref="GemmWorkers"/> (bit-identical
/// for any thread count); linear layers add their bias and ReLU as the tiles are stored (<see cref="MultiplyBias(bool, bool, int, int, int, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, bool)"/>).
/// </summary>
/// <remarks>
/// <para>
/// GotoBLAS/BLIS structure. A register-blocked micro-kernel keeps a 6 × 2W tile of C in 12 vector registers
/// (W = 8 floats for AVX2, 16 for AVX-512, 4 for 128-bit), performs rank-1 updates with FMA (depth loop unrolled 4×)
/// and runs several tiles per call. Around it: depth blocking KC = 256 for AVX2 (the B micro-panel, KC × 2W = 16 KiB,
/// stays in L1; KC scales with 1/W), row blocking MC = 144 (the A block stays in L2), column blocking NC = 1024
/// (bounds the packed-B buffer). One generic kernel body serves every width: the Vector512 path is the Vector256
/// path with a wider type argument.
/// </para>
/// <para>
/// B is packed into zero-padded column panels of 2W floats (a transposing pack with an 8×8 AVX transpose when
/// <c>transB</c>), except when B is read in place: not transposed and either small enough to sit in L1 or used by a
/// single row block; then only a ragged last panel is copied. A is read in place through a (row stride, depth stride)
/// pair covering both layouts of op(A), except that A^T is packed into 6-row slivers once its block outgrows L1.
/// When the whole B block fits L1 the kernel sweeps all panels for one row sliver; otherwise the BLIS order (one
/// panel against all slivers of the A block).
/// </para>
/// <para>
/// Edges and small shapes: a last sliver of 1–4 rows goes through a 2 × 4W kernel (pairs of panels), 5 rows through
/// the 6-row kernel re-reading the last row; a ragged last panel of at most W columns uses a 6 × W kernel, wider ones
/// the 6 × 2W kernel on zero padding through a small tile. Products with at most 4 rows and B not transposed
/// (output-layer weight gradients) use the 2 × 4W kernel directly over the whole depth. A·B^T with at most 4 columns
/// or 2 rows (value/policy heads, acting) is computed as dot products along the depth, without any packing; so is A·B
/// with at most 4 columns (the input gradient of a layer with few inputs), after B is transposed into scratch.
/// </para>
/// <para>Scratch is one pinned, 64-byte-aligned per-thread array grown on demand and reused.</para>
/// <para>
/// The drivers, packing routines and micro-kernels are marked <see cref="MethodImplOptions.AggressiveOptimization"/>:
/// they are compiled fully optimised at first call instead of going through tier 0 and instrumented tiering (which
/// also means no dynamic PGO for them; they have no virtual calls or type checks for PGO to help with). Measured on the
/// AVX-512 development machine with the quick harness, two alternating rounds: dqn_update, mlp_update and ppo_minibatch
/// 1–3 % faster (min 57.4/58.0 µs against 60.4/59.1 µs for dqn_update), GEMM cases unchanged within noise. The same
/// attribute on the matrix-vector acting kernel measured 5 % slower, so it is not used there.
/// </para>
/// </remarks>
internal static unsafe partial class Gemm
{
    /// <summary>Rows of the register tile.</summary>
    internal const int MR = 6;

    /// <summary>
    /// Depth block for the 256-bit path: a KC × 2W micro-panel of B (16 KiB, half of L1) stays in L1 while the kernel
    /// sweeps the rows of A. Other widths keep the panel at 16 KiB: KC · 2W = 4096 floats (128-bit: 512, 512-bit: 128).
    /// </summary>
    internal const int KC = 256;

    /// <summary>Floats in one KC-deep micro-panel of B, whatever the vector width.</summary>
    private const int PanelFloats = KC * 16;

    /// <summary>Row block (multiple of <see cref="MR"/>): an MC × KC block of A stays in L2 while it meets every panel of B.</summary>
    internal const int MC = 144;

    /// <summary>Column block: bounds the packed B block (KC × NC floats = 1 MiB).</summary>
    internal const int NC = 1024;

    /// <summary>B (not transposed) is read in place when its KC-deep block spans at most this many floats (24 KiB, L1).</summary>
    internal const int DirectBFloats = 6 * 1024;

    /// <summary>A B block of at most this many floats (16 KiB) stays in L1 whole: loop over panels inside each row sliver.</summary>
    internal const int SmallBlockFloats = 4 * 1024;

    /// <summary>A·B^T with at most this many columns goes through the dot-product kernel (no transposing pack).</summary>
    internal const int DotMaxN = 4;

    /// <summary>A·B^T with at most this many rows goes through the dot-product kernel (no transposing pack).</summary>
    internal const int DotMaxM = 2;

    /// <summary>A^T·B with at most this many columns is computed as its transpose (see <see cref="NarrowTransposed{TV, TOps}"/>).</summary>
    internal const int NarrowN = 4;

    /// <summary>A^T is packed when its KC-deep block spans more than this many floats (32 KiB, the L1 data cache).</summary>
    internal const int PackATransposedFloats = 8 * 1024;

    /// <summary>Products (B not transposed) with at most this many rows use the 2-row kernel, B read in place.</summary>
    internal const int SmallM = 4;

    /// <summary>Floats allocated beyond a request: up to 15 lost to 64-byte alignment, 4 for the canary.</summary>
    private const int ScratchSlack = 20;

    /// <summary>The canary pattern (a NaN payload no computation produces).</summary>
    private const uint CanaryBits = 0x7FC0_DEADu;

    [ThreadStatic]
    private static float[]? t_scratch;

    [ThreadStatic]
    private static float* t_canary;

    /// <summary>Scratch for the transposed result of <see cref="NarrowTransposed{TV, TOps}"/>.</summary>
    [ThreadStatic]
    private static float[]? t_transposed;

    /// <summary>
    /// <c>C[m×n] = op(A)·op(B) + (accumulate ? C : 0)</c> on row-major operands.
    /// </summary>
    /// <param name="transA">op(A) = A^T: A is stored k × m (row stride <paramref name="lda"/>); otherwise m × k.</param>
    /// <param name="transB">op(B) = B^T: B is stored n × k (row stride <paramref name="ldb"/>); otherwise k × n.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B). With k = 0, C is zeroed (or left unchanged when accumulating).</param>
    /// <param name="a">First element of A.</param>
    /// <param name="lda">Row stride of A as stored.</param>
    /// <param name="b">First element of B.</param>
    /// <param name="ldb">Row stride of B as stored.</param>
    /// <param name="c">First element of C (must not overlap A or B).</param>
    /// <param name="ldc">Row stride of C.</param>
    /// <param name="accumulate">Add to C; when false C is overwritten and never read (it may hold NaN).</param>
    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate)
        => Multiply(GemmPath.Auto, transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);

    /// <summary>
    /// <c>C[m×n] = op(A)·op(B) + (accumulate ? C : 0)</c> on contiguous row-major operands: A holds m·k floats
    /// (m × k, or k × m when <paramref name="transA"/>), B holds k·n floats (k × n, or n × k when
    /// <paramref name="transB"/>), C holds m·n floats.
    /// </summary>
    /// <param name="transA">op(A) = A^T.</param>
    /// <param name="transB">op(B) = B^T.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="a">A, exactly m·k floats.</param>
    /// <param name="b">B, exactly k·n floats.</param>
    /// <param name="c">C, exactly m·n floats, not overlapping A or B.</param>
    /// <param name="accumulate">Add to C; when false C is overwritten and never read.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    /// <exception cref="ArgumentException">A span has the wrong length, or C overlaps A or B.</exception>
    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate)
        => Multiply(GemmPath.Auto, transA, transB, m, n, k, a, b, c, accumulate);

    /// <summary>The span overload on a forced <paramref name="path"/> (tests).</summary>
    internal static void Multiply(GemmPath path, bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckLength(a.Length, (long)m * k, transA ? "k × m" : "m × k", m, n, k, nameof(a));
        CheckLength(b.Length, (long)k * n, transB ? "n × k" : "k × n", m, n, k, nameof(b));
        CheckLength(c.Length, (long)m * n, "m × n", m, n, k, nameof(c));
        if (c.Length > 0 && (c.Overlaps(a) || c.Overlaps(b)))
        {
            throw new ArgumentException("The output C must not overlap the inputs A or B.", nameof(c));
        }

        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            Multiply(path, transA, transB, m, n, k, pa, transA ? m : k, pb, transB ? k : n, pc, n, accumulate);
        }
    }

    /// <summary>The pointer overload on a forced <paramref name="path"/> (tests).</summary>
    internal static void Multiply(GemmPath path, bool transA, bool transB, int m, int n, int k,
        float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (m == 0 || n == 0)
        {
            return;
        }

        if (c == null)
        {
            throw new ArgumentNullException(nameof(c));
        }

        if (ldc < n)
        {
            throw new ArgumentOutOfRangeException(nameof(ldc), ldc, $"ldc must be at least n = {n}.");
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                for (int i = 0; i < m; i++)
                {
                    new Span<float>(c + (nint)i * ldc, n).Clear();
                }
            }

            return;
        }

        if (a == null)
        {
            throw new ArgumentNullException(nameof(a));
        }

        if (b == null)
        {
            throw new ArgumentNullException(nameof(b));
        }

        if (lda < (transA ? m : k))
        {
            throw new ArgumentOutOfRangeException(nameof(lda), lda, $"lda must be at least {(transA ? "m" : "k")} = {(transA ? m : k)}.");
        }

        if (ldb < (transB ? k : n))
        {
            throw new ArgumentOutOfRangeException(nameof(ldb), ldb, $"ldb must be at least {(transB ? "k" : "n")} = {(transB ? k : n)}.");
        }

        GemmPath resolved = path == GemmPath.Auto ? AutoPath : path;
        if (GemmWorkers.TryRun(resolved, transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, null, false))
        {
            return;
        }

        switch (resolved)
        {
            case GemmPath.Scalar:
                Scalar(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
                break;
            case GemmPath.Vector128:
                Blocked<Vector128<float>, GemmVector128>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
                break;
            case GemmPath.Vector256:
                Blocked<Vector256<float>, GemmVector256>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
                break;
            case GemmPath.Vector512:
                Blocked<Vector512<float>, GemmVector512>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(path), path, null);
        }
    }

    /// <summary>
    /// A fused linear layer: <c>C[m×n] = op(A)·op(B) + bias</c> with the row vector <paramref name="bias"/> (n floats, or
    /// empty for none) added to every row, then ReLU when <paramref name="relu"/>, on contiguous operands. On the general
    /// blocked path the bias and the ReLU are applied as the micro-kernels store their tiles (C is written once, never
    /// prefilled or re-read); other shapes prefill C with the bias, accumulate into it and apply ReLU after. Either way
    /// the result is bit-identical to prefilling C with the bias, accumulating the product and applying ReLU.
    /// </summary>
    internal static void MultiplyBias(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, Span<float> c, bool relu)
        => MultiplyBias(GemmPath.Auto, transA, transB, m, n, k, a, b, bias, c, relu);

    /// <summary><see cref="MultiplyBias(bool, bool, int, int, int, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, bool)"/> on a forced path (tests).</summary>
    internal static void MultiplyBias(GemmPath path, bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, Span<float> c, bool relu)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckLength(a.Length, (long)m * k, transA ? "k × m" : "m × k", m, n, k, nameof(a));
        CheckLength(b.Length, (long)k * n, transB ? "n × k" : "k × n", m, n, k, nameof(b));
        CheckLength(c.Length, (long)m * n, "m × n", m, n, k, nameof(c));
        if (!bias.IsEmpty)
        {
            CheckLength(bias.Length, n, "n", m, n, k, nameof(bias));
        }

        if (c.Length > 0 && (c.Overlaps(a) || c.Overlaps(b) || c.Overlaps(bias)))
        {
            throw new ArgumentException("The output C must not overlap the inputs A, B or the bias.", nameof(c));
        }

        if (m == 0 || n == 0)
        {
            return;
        }

        GemmPath resolved = path == GemmPath.Auto ? AutoPath : path;
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        fixed (float* pbias = bias)
        {
            int lda = transA ? m : k, ldb = transB ? k : n;
            if (k > 0 && resolved != GemmPath.Scalar && IsColumnSplittable(resolved, transA, transB, m, n))
            {
                if (GemmWorkers.TryRun(resolved, transA, transB, m, n, k, pa, lda, pb, ldb, pc, n, accumulate: false, pbias, relu))
                {
                    return;
                }

                MultiplyColumns(resolved, transA, transB, m, k, pa, lda, pb, ldb, pc, n, accumulate: false, pbias, relu, 0, n);
                return;
            }

            if (pbias != null)
            {
                VectorMath.BroadcastRows(bias, c, m);
            }

            Multiply(resolved, transA, transB, m, n, k, pa, lda, pb, ldb, pc, n, accumulate: pbias != null);
            if (relu)
            {
                VectorMath.Relu(c, c);
            }
        }
    }

    /// <summary>
    /// Rows <paramref name="row0"/> .. <paramref name="row0"/> + <paramref name="rows"/> of a product that
    /// <see cref="IsColumnSplittable"/> accepted, through the general blocked path of <paramref name="path"/>. Each element
    /// is summed exactly as in the whole product (same depth blocks, same kernels' arithmetic), so row slices are as
    /// bit-identical as column slices.
    /// </summary>
    internal static void MultiplyRows(GemmPath path, bool transA, bool transB, int n, int k,
        float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate, float* bias, bool relu, int row0, int rows)
    {
        float* aSlice = transA ? a + row0 : a + (nint)row0 * lda;
        float* cSlice = c + (nint)row0 * ldc;
        GeneralOn(path, transA, transB, rows, n, k, aSlice, lda, b, ldb, cSlice, ldc, accumulate, bias, relu);
    }

    /// <summary>The general blocked product on <paramref name="path"/> (resolved); the scalar path has no bias/ReLU epilogue.</summary>
    private static void GeneralOn(GemmPath path, bool transA, bool transB, int m, int n, int k,
        float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate, float* bias, bool relu)
    {
        switch (path)
        {
            case GemmPath.Scalar:
                if (bias != null || relu)
                {
                    throw new InvalidOperationException("The scalar path has no bias/ReLU epilogue.");
                }

                Scalar(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
                break;
            case GemmPath.Vector128:
                General<Vector128<float>, GemmVector128>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, bias, relu);
                break;
            case GemmPath.Vector256:
                General<Vector256<float>, GemmVector256>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, bias, relu);
                break;
            case GemmPath.Vector512:
                General<Vector512<float>, GemmVector512>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, bias, relu);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(path), path, null);
        }
    }

    /// <summary><paramref name="p"/> + <paramref name="offset"/>, or null when <paramref name="p"/> is null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* Offset(float* p, nint offset) => p == null ? null : p + offset;

    /// <summary>
    /// Whether a product on <paramref name="path"/> (resolved, not <see cref="GemmPath.Auto"/>) goes through the general
    /// blocked path, whose result for each element of C does not depend on which columns are computed together: every
    /// micro-kernel sums the same KC-deep blocks in the same order. Only such products may be split across threads
    /// (the dot-product and few-rows shortcuts sum differently and are chosen by shape, so a column slice could switch).
    /// </summary>
    internal static bool IsColumnSplittable(GemmPath path, bool transA, bool transB, int m, int n) =>
        path == GemmPath.Scalar || (m > SmallM && !(!transA && n <= DotMaxN) && !(transA && !transB && n <= NarrowN));

    /// <summary>Columns of one register-tile panel on <paramref name="path"/> (2W): column slices are cut at multiples of it.</summary>
    internal static int PanelColumns(GemmPath path) => path switch
    {
        GemmPath.Vector128 => 2 * GemmVector128.Count,
        GemmPath.Vector256 => 2 * GemmVector256.Count,
        GemmPath.Vector512 => 2 * GemmVector512.Count,
        _ => 16,
    };

    /// <summary>
    /// Columns <paramref name="col0"/> .. <paramref name="col0"/> + <paramref name="cols"/> of a product that
    /// <see cref="IsColumnSplittable"/> accepted, through the general blocked path of <paramref name="path"/>.
    /// </summary>
    internal static void MultiplyColumns(GemmPath path, bool transA, bool transB, int m, int k,
        float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate, float* bias, bool relu, int col0, int cols)
    {
        float* bSlice = transB ? b + (nint)col0 * ldb : b + col0;
        float* cSlice = c + col0;
        float* biasSlice = Offset(bias, col0);
        GeneralOn(path, transA, transB, m, cols, k, a, lda, bSlice, ldb, cSlice, ldc, accumulate, biasSlice, relu);
    }

    /// <summary>The path <see cref="GemmPath.Auto"/> resolves to on this machine.</summary>
    internal static GemmPath AutoPath =>
        Vector512.IsHardwareAccelerated ? GemmPath.Vector512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? GemmPath.Vector256
        : Vector128.IsHardwareAccelerated && (Fma.IsSupported || AdvSimd.IsSupported) ? GemmPath.Vector128
        : GemmPath.Scalar;

    private static void CheckLength(int actual, long expected, string shape, int m, int n, int k, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException(
                $"Operand {name} must hold {shape} = {expected} floats for m = {m}, n = {n}, k = {k}, but has {actual}.", name);
        }
    }

    /// <summary>The blocked driver around the micro-kernels (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Blocked<TV, TOps>(bool transA, bool transB, int m, int n, int k,
        float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate)
        where TV : unmanaged
        where TOps : struct, IGemmVector<TV>
    {
        if (transB && !transA && (n <= DotMaxN || m <= DotMaxM))
        {
            Dot<TV, TOps>(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
            return;
        }

        if (transA && !transB && n <= NarrowN && m > n)
        {
            NarrowTransposed<TV, TOps>(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
            return;
        }

        if (!transA && !transB && n <= DotMaxN && m > SmallM)
        {
            NarrowB<TV, TOps>(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
            return;
        }

        int w = TOps.Count;
        int nr = 2 * w;
        nint rsA = transA ? 1 : lda;
        nint csA = transA ? lda : 1;
        if (!transB && m <= SmallM && n >= 4 * w)
        {
            // Few rows (output-layer weight gradients): 2 × 4W tiles over the whole depth, B in place; the
            // columns left over (fewer than 4W) go through the general path below as a narrower product.
            int blocks = n / (4 * w);
            for (int i = 0; i < m; i += 2)
            {
                Kernel2x4<TV, TOps>(k, a + i * rsA, rsA, csA, b, ldb, 2 * w, c + (nint)i * ldc, ldc, Math.Min(2, m - i), accumulate,
                    blocks, 4 * w, null, false);
            }

            int done = blocks * 4 * w;
            if (done == n)
            {
                return;
            }

            b += done;
            c += done;
            n -= done;
        }

        General<TV, TOps>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, null, false);
    }

    /// <summary>
    /// <c>C = A^T·B</c> with at most <see cref="NarrowN"/> columns (the weight gradient of a layer with a few inputs,
    /// e.g. 4 observations): a panel of 2W columns would be mostly padding, so compute the transpose
    /// <c>C^T = B^T·A</c> (few rows, the 2 × 4W kernel with B read in place) into scratch and transpose it into C.
    /// </summary>
    private static void NarrowTransposed<TV, TOps>(int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc,
        bool accumulate)
        where TV : unmanaged
        where TOps : struct, IGemmVector<TV>
    {
        float[]? t = t_transposed;
        if (t is null || t.Length < m * n)
        {
            t = GrowTransposed(m * n);
        }

        fixed (float* ct = t)
        {
            Blocked<TV, TOps>(true, false, n, m, k, b, ldb, a, lda, ct, m, accumulate: false);
            for (int i = 0; i < m; i++)
            {
                float* ci = c + (nint)i * ldc;
                for (int j = 0; j < n; j++)
                {
                    ci[j] = accumulate ? ci[j] + ct[j * m + i] : ct[j * m + i];
                }
            }
        }
    }

    /// <summary>
    /// <c>C = A·B</c> with at most <see cref="DotMaxN"/> columns (the input gradient of a layer with a few inputs, e.g. a
    /// critic's [state, action] input in the actor's step): a column panel of 2W would be mostly padding, so B (k × n)
    /// is transposed into scratch and the product computed as dot products along the depth (<see cref="Dot{TV, TOps}"/>).
    /// </summary>
    private static void NarrowB<TV, TOps>(int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc,
        bool accumulate)
        where TV : unmanaged
        where TOps : struct, IGemmVector<TV>
    {
        float* bt = Scratch(n * k);
        for (int p = 0; p < k; p++)
        {
            float* row = b + (nint)p * ldb;
            for (int j = 0; j < n; j++)
            {
                bt[(nint)j * k + p] = row[j];
            }
        }

        Dot<TV, TOps>(m, n, k, a, lda, bt, k, c, ldc, accumulate);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float[] GrowTransposed(int floats) => t_transposed = new float[Math.Max(floats, 1024)];

    /// <summary>
    /// The general blocked path (packing, KC/MC/NC blocking, 6 × 2W tiles), after the shortcuts of <see cref="Blocked{TV, TOps}"/>.
    /// A non-null <c>bias</c> (with accumulate false) is a row vector of n floats added to every row of the product as
    /// the first depth block is stored; <c>relu</c> applies ReLU as the last depth block is stored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void General<TV, TOps>(bool transA, bool transB, int m, int n, int k,
        float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate, float* bias, bool relu)
        where TV : unmanaged
        where TOps : struct, IGemmVector<TV>
    {
        int w = TOps.Count;
        int nr = 2 * w;
        nint rsA = transA ? 1 : lda;
        nint csA = transA ? lda : 1;
        int kcBlock = PanelFloats / nr;
        int kcMax = Math.Min(k, kcBlock);
        int ncMax = Math.Min(n, NC);
        bool directB = !transB && (m <= MR || (long)kcMax * ldb <= DirectBFloats);

        // Scratch layout: [tile: MR × nr][packed B: kcMax × ncMax rounded up to panels (only the ragged panel when
        // directB)][packed A^T: MC rounded up to slivers × kcMax, plus the 8-float overlap slack].
        int tileFloats = MR * nr;
        int packCols = directB ? nr : (ncMax + nr - 1) / nr * nr;
        int bPackFloats = (kcMax * packCols + 15) & ~15;
        // A^T read in place touches a new cache line per depth step at a stride of lda floats; once a KC-deep block
        // spans more than L1 those lines collide in few sets and are refetched for every panel: pack A then.
        bool packA = transA && m > MR && (long)kcMax * lda > PackATransposedFloats;
        int aPackFloats = packA ? (Math.Min(m, MC) + MR - 1) / MR * MR * kcMax + 16 : 0;
        float* tile = Scratch(tileFloats + bPackFloats + aPackFloats);
        float* bPack = tile + tileFloats;
        float* aPack = bPack + bPackFloats;

        for (int jc = 0; jc < n; jc += NC)
        {
            int nc = Math.Min(NC, n - jc);
            for (int pc = 0; pc < k; pc += kcBlock)
            {
                int kc = Math.Min(kcBlock, k - pc);
                bool addC = accumulate || pc > 0;
                float* biasBlock = !addC && bias != null ? bias + jc : null;
                bool reluNow = relu && pc + kc >= k;
                int fullPanels = nc / nr;
                int tailCols = nc - fullPanels * nr;
                float* bBlock;
                nint rsB;
                nint panelStep;
                float* bTail;
                if (directB)
                {
                    bBlock = b + (nint)pc * ldb + jc;
                    rsB = ldb;
                    panelStep = nr;
                    bTail = bPack;
                    if (tailCols > 0)
                    {
                        PackPanel(kc, tailCols, bBlock + (nint)fullPanels * nr, ldb, bPack, nr);
                    }
                }
                else
                {
                    PackB(transB, kc, nc, b, ldb, pc, jc, bPack, nr);
                    bBlock = bPack;
                    rsB = nr;
                    panelStep = (nint)kc * nr;
                    bTail = bPack + fullPanels * panelStep;
                }

                // When the whole B block is L1-sized, sweep the panels inside a row sliver (the sliver of A and
                // all of B stay in L1); otherwise BLIS order: one B micro-panel stays in L1 while the rows of the
                // L2-resident A block stream past it.
                bool slivers = (long)kc * nc <= SmallBlockFloats;
                for (int ic = 0; ic < m; ic += MC)
                {
                    int mc = Math.Min(MC, m - ic);
                    float* aBlock = a + ic * rsA + pc * csA;
                    float* cBlock = c + (nint)ic * ldc + jc;
                    float* cTail = cBlock + fullPanels * nr;
                    if (slivers)
                    {
                        for (int ir = 0; ir < mc; ir += MR)
                        {
                            int mr = Math.Min(MR, mc - ir);
                            float* ap = aBlock + ir * rsA;
                            nint cOff = (nint)ir * ldc;
                            if (mr < MR)
                            {
                                FewRows<TV, TOps>(kc, ap, rsA, csA, bBlock, rsB, panelStep, fullPanels, bTail, tailCols,
                                    cBlock + cOff, ldc, mr, addC, tile, biasBlock, reluNow);
                                continue;
                            }

                            if (fullPanels > 0)
                            {
                                Kernel6x2<TV, TOps>(kc, ap, rsA, csA, bBlock, rsB, cBlock + cOff, ldc, mr, nr, addC, tile,
                                    fullPanels, 0, panelStep, nr, biasBlock, nr, reluNow);
                            }

                            if (tailCols > 0)
                            {
                                Tail<TV, TOps>(kc, ap, rsA, csA, bTail, cTail + cOff, ldc, mr, tailCols, addC, tile, 1, 0,
                                    Offset(biasBlock, fullPanels * nr), reluNow);
                            }
                        }

                        continue;
                    }

                    // A^T is read across rows of its storage: with a long depth every step would touch a new
                    // cache line (and map onto few L1 sets), so copy the block into contiguous slivers first.
                    nint ra = rsA, ca = csA, sliverStep = MR * rsA;
                    if (packA)
                    {
                        PackATransposed(kc, mc, aBlock, lda, aPack);
                        aBlock = aPack;
                        (ra, ca, sliverStep) = (1, MR, MR * (nint)kc);
                    }

                    int fullRows = mc / MR;
                    int tailRows = mc - fullRows * MR;
                    float* aTail = aBlock + fullRows * sliverStep;
                    nint cTailRows = (nint)fullRows * MR * ldc;
                    if (fullRows > 0)
                    {
                        for (int q = 0; q < fullPanels; q++)
                        {
                            Kernel6x2<TV, TOps>(kc, aBlock, ra, ca, bBlock + q * panelStep, rsB, cBlock + q * nr, ldc, MR, nr, addC, tile,
                                fullRows, sliverStep, 0, MR * (nint)ldc, Offset(biasBlock, q * nr), 0, reluNow);
                        }

                        if (tailCols > 0)
                        {
                            Tail<TV, TOps>(kc, aBlock, ra, ca, bTail, cTail, ldc, MR, tailCols, addC, tile, fullRows, sliverStep,
                                Offset(biasBlock, fullPanels * nr), reluNow);
                        }
                    }

                    if (tailRows > 0)
                    {
                        FewRows<TV, TOps>(kc, aTail, ra, ca, bBlock, rsB, panelStep, fullPanels, bTail, tailCols,
                            cBlock + cTailRows, ldc, tailRows, addC, tile, biasBlock, reluNow);
                    }
                }
            }
        }
    }

    /// <summary>
    /// One sliver of fewer than <see cref="MR"/> rows across every panel of the block: rows in pairs through the
    /// 2 × 4W kernel over pairs of full panels when at most 4 rows remain (the 6-row kernel would compute 6),
    /// the leftover full panel and the ragged panel through the 6-row kernels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FewRows<TV, TOps>(int kc, float* a, nint rsA, nint csA, float* bBlock, nint rsB, nint panelStep,
        int fullPanels, float* bTail, int tailCols, float* c, nint ldc, int mr, bool addC, float* tile, float* bias, bool relu)
        where TV : unmanaged
        where TOps : struct, IGemmVector<TV>
    {
        int nr = 2 * TOps.Count;
        int q = 0;
        if (mr <= 4 && fullPanels >= 2)
        {
            int pairs = fullPanels / 2;
            for (int i = 0; i < mr; i += 2)
            {
                Kernel2x4<TV, TOps>(kc, a + i * rsA, rsA, csA, bBlock, rsB, panelStep, c + i * ldc, ldc, Math.Min(2, mr - i), addC,
                    pairs, 2 * panelStep, bias, relu);
            }

            q = 2 * pairs;
        }

        if (q < fullPanels)
        {
            Kernel6x2<TV, TOps>(kc, a, rsA, csA, bBlock + q * panelStep, rsB, c + q * nr, ldc, mr, nr, addC, tile,
                fullPanels - q, 0, panelStep, nr, Offset(bias, q * nr), nr, relu);
        }

        if (tailCols > 0)
        {
            Tail<TV, TOps>(kc, a, rsA, csA, bTail, c + fullPanels * nr, ldc, mr, tailCols, addC, tile, 1, 0,
                Offset(bias, fullPanels * nr), relu);
        }
    }

    /// <summary>
    /// The ragged last column panel (1 .. 2W - 1 columns, packed and zero-padded to 2W at <paramref name="b"/>),
    /// for <paramref name="count"/> row slivers <paramref name="aStep"/> apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tail<TV, TOps>(int kc, float* a, nint rsA, nint csA, float* b,
        float* c, nint ldc, int mr, int nr, bool addC, float* tile, int count, nint aStep, float* bias, bool relu)
        where TV : unmanaged
        where TOps : struct, IGemmVector<TV>
    {
        int panel = 2 * TOps.Count;
        if (nr <= TOps.Count)
        {
            Kernel6x1<TV, TOps>(kc, a, rsA, csA, b, panel, c, ldc, mr, nr, addC, tile, count, aStep, 0, MR * ldc, bias, 0, relu);
        }
        else
        {
            Kernel6x2<TV, TOps>(kc, a, rsA, csA, b, panel, c, ldc, mr, nr, addC, tile, count, aStep, 0, MR * ldc, bias, 0, relu);
        }
    }

    /// <summary>
    /// <c>C = A·B^T</c> by dot products (<see cref="DotKernel6x2{TV, TOps}"/>): both operands are read in place along
    /// the depth, nothing is packed. Blocks of 6 rows of the larger side against 2 rows of the smaller one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot<TV, TOps>(int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate)
        where TV : unmanaged
        where TOps : struct, IGemmVector<TV>
    {
        if (m >= n)
        {
            for (int i = 0; i < m; i += 6)
            {
                for (int j = 0; j < n; j += 2)
                {
                    DotKernel6x2<TV, TOps>(k, a + (nint)i * lda, lda, Math.Min(6, m - i), b + (nint)j * ldb, ldb, Math.Min(2, n - j),
                        c + (nint)i * ldc + j, ldc, 1, accumulate);
                }
            }
        }
        else
        {
            for (int j = 0; j < n; j += 6)
            {
                for (int i = 0; i < m; i += 2)
                {
                    DotKernel6x2<TV, TOps>(k, b + (nint)j * ldb, ldb, Math.Min(6, n - j), a + (nint)i * lda, lda, Math.Min(2, m - i),
                        c + (nint)i * ldc + j, 1, ldc, accumulate);
                }
            }
        }
    }

    /// <summary>Reference-quality scalar path for machines without usable SIMD.</summary>
    private static void Scalar(bool transA, bool transB, int m, int n, int k,
        float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        nint rsA = transA ? 1 : lda;
        nint csA = transA ? lda : 1;
        for (int i = 0; i < m; i++)
        {
            float* ci = c + (nint)i * ldc;
            float* ai = a + i * rsA;
            if (transB)
            {
                for (int j = 0; j < n; j++)
                {
                    float* bj = b + (nint)j * ldb;
                    float s = 0f;
                    for (int p = 0; p < k; p++)
                    {
                        s += ai[p * csA] * bj[p];
                    }

                    ci[j] = accumulate ? ci[j] + s : s;
                }
            }
            else
            {
                if (!accumulate)
                {
                    new Span<float>(ci, n).Clear();
                }

                for (int p = 0; p < k; p++)
                {
                    float x = ai[p * csA];
                    float* bp = b + (nint)p * ldb;
                    for (int j = 0; j < n; j++)
                    {
                        ci[j] += x * bp[j];
                    }
                }
            }
        }
    }

    /// <summary>
    /// This thread's scratch, at least <paramref name="floats"/> long, 64-byte aligned, pinned for the thread's lifetime.
    /// A canary is written just past the requested length so tests can prove no packing routine overruns it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* Scratch(int floats)
    {
        float[]? s = t_scratch;
        if (s is null || s.Length < floats + ScratchSlack)
        {
            s = GrowScratch(floats);
        }

        nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(s));
        float* aligned = (float*)((p + 63) & ~(nint)63);
        t_canary = aligned + floats;
        Vector128.Create(CanaryBits).AsSingle().Store(t_canary);
        return aligned;
    }

    /// <summary>True when the canary after the scratch region of this thread's last call is intact (tests).</summary>
    internal static bool ScratchCanaryIntact() =>
        t_canary == null || Vector128.Load(t_canary).AsUInt32() == Vector128.Create(CanaryBits);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float[] GrowScratch(int floats)
    {
        // Pinned object heap: never moves, so the aligned pointer stays valid; collected with the thread.
        float[] s = GC.AllocateUninitializedArray<float>(Math.Max(floats + ScratchSlack, 16 * 1024), pinned: true);
        t_scratch = s;
        return s;
    }
}
