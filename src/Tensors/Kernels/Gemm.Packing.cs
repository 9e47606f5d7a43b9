using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RlExperiments.Tensors.Kernels;

internal static unsafe partial class Gemm
{
    /// <summary>
    /// Packs the block <c>op(B)[pc .. pc+kc, jc .. jc+nc]</c> into column panels of <paramref name="nr"/> floats:
    /// panel q holds columns <c>jc + q·nr ..</c> as <paramref name="kc"/> rows of <paramref name="nr"/> contiguous floats
    /// at <c>dst + q·kc·nr</c>; columns past <paramref name="nc"/> in the last panel are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(bool transB, int kc, int nc, float* b, nint ldb, int pc, int jc, float* dst, int nr)
    {
        for (int j = 0; j < nc; j += nr, dst += (nint)kc * nr)
        {
            int cols = Math.Min(nr, nc - j);
            if (transB)
            {
                PackPanelTransposed(kc, cols, b + (nint)(jc + j) * ldb + pc, ldb, dst, nr);
            }
            else
            {
                PackPanel(kc, cols, b + (nint)pc * ldb + jc + j, ldb, dst, nr);
            }
        }
    }

    /// <summary>
    /// Copies <paramref name="kc"/> rows of <paramref name="cols"/> floats (row stride <paramref name="ld"/>) into a panel
    /// of rows of <paramref name="nr"/> floats, zero-filling columns <paramref name="cols"/> .. <paramref name="nr"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackPanel(int kc, int cols, float* src, nint ld, float* dst, int nr)
    {
        if (cols == nr && Vector256.IsHardwareAccelerated && (nr & 7) == 0)
        {
            for (int p = 0; p < kc; p++, src += ld, dst += nr)
            {
                for (int j = 0; j < nr; j += 8)
                {
                    Vector256.Load(src + j).Store(dst + j);
                }
            }

            return;
        }

        for (int p = 0; p < kc; p++, src += ld, dst += nr)
        {
            int j = 0;
            for (; j < cols; j++)
            {
                dst[j] = src[j];
            }

            for (; j < nr; j++)
            {
                dst[j] = 0f;
            }
        }
    }

    /// <summary>
    /// Transposing pack: <paramref name="cols"/> rows of B^T (each <paramref name="kc"/> contiguous floats, row stride
    /// <paramref name="ld"/>) become the columns of a panel of <paramref name="kc"/> rows × <paramref name="nr"/> floats;
    /// columns past <paramref name="cols"/> are zero. Full groups of 8 columns use an AVX 8×8 register transpose.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackPanelTransposed(int kc, int cols, float* src, nint ld, float* dst, int nr)
    {
        int jj = 0;
        if (Avx.IsSupported)
        {
            for (; jj + 8 <= cols; jj += 8)
            {
                float* s = src + jj * ld;
                float* d = dst + jj;
                int p = 0;
                for (; p + 8 <= kc; p += 8)
                {
                    Transpose8x8(s + p, ld, d + (nint)p * nr, nr);
                }

                for (; p < kc; p++)
                {
                    float* dp = d + (nint)p * nr;
                    for (int r = 0; r < 8; r++)
                    {
                        dp[r] = s[r * ld + p];
                    }
                }
            }
        }

        for (; jj < cols; jj++)
        {
            float* s = src + jj * ld;
            float* d = dst + jj;
            for (int p = 0; p < kc; p++)
            {
                d[(nint)p * nr] = s[p];
            }
        }

        if (cols < nr)
        {
            for (int p = 0; p < kc; p++)
            {
                float* d = dst + (nint)p * nr;
                for (int j = cols; j < nr; j++)
                {
                    d[j] = 0f;
                }
            }
        }
    }

    /// <summary>
    /// Packs an <paramref name="mc"/>-row block of op(A) = A^T (A stored depth-major: element (i, p) at
    /// <c>a[p·lda + i]</c>) into slivers of <see cref="MR"/> rows: sliver s holds <c>kc</c> groups of MR floats at
    /// <c>dst + s·MR·kc</c>. A last sliver of fewer rows is packed with those rows only (the kernel never reads past
    /// them).
    /// </summary>
    /// <remarks>
    /// The depth is walked in chunks of <see cref="PackDepthChunk"/> rows of A, each packed into every sliver before
    /// the next: a sliver reads one cache line per depth row, and with a power-of-two row stride (lda = 256 floats, 1
    /// KiB) all of those lines fall into 4 of L1's 64 sets, so a whole KC-deep column of lines (128 of them) did not stay
    /// in L1 from one sliver to the next. A chunk's lines do. 256 × 256 × 256 A^T·B on one thread: 173.6 µs before
    /// (against 157.6 µs for 252 rows), 155-162 µs after; the same layout, so the same bits.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackATransposed(int kc, int mc, float* a, nint lda, float* dst)
    {
        for (int p0 = 0; p0 < kc; p0 += PackDepthChunk)
        {
            int chunk = Math.Min(PackDepthChunk, kc - p0);
            float* dstSliver = dst + (nint)p0 * MR;
            for (int i = 0; i < mc; i += MR, dstSliver += MR * kc)
            {
                int rows = Math.Min(MR, mc - i);
                float* src = a + (nint)p0 * lda + i;
                float* d = dstSliver;
                int p = 0;
                if (rows == MR && Vector256.IsHardwareAccelerated && i + 8 <= mc)
                {
                    // 8 floats per group of 6: the 2 extra land in the next group, written after this one, except
                    // after the block's last depth row, where they would land in the next sliver (packed already).
                    int overlapping = p0 + chunk == kc ? chunk - 1 : chunk;
                    for (; p < overlapping; p++, src += lda, d += MR)
                    {
                        Vector256.Load(src).Store(d);
                    }
                }

                for (; p < chunk; p++, src += lda, d += MR)
                {
                    for (int r = 0; r < rows; r++)
                    {
                        d[r] = src[r];
                    }
                }
            }
        }
    }

    /// <summary>Depth rows of A^T packed into every sliver before the next rows (see <see cref="PackATransposed"/>).</summary>
    private const int PackDepthChunk = 16;

    /// <summary>dst[q·ldd + r] = src[r·lds + q] for r, q in 0..8 (AVX unpack/shuffle/permute network).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* src, nint lds, float* dst, nint ldd)
    {
        Vector256<float> r0 = Avx.LoadVector256(src);
        Vector256<float> r1 = Avx.LoadVector256(src + lds);
        Vector256<float> r2 = Avx.LoadVector256(src + 2 * lds);
        Vector256<float> r3 = Avx.LoadVector256(src + 3 * lds);
        Vector256<float> r4 = Avx.LoadVector256(src + 4 * lds);
        Vector256<float> r5 = Avx.LoadVector256(src + 5 * lds);
        Vector256<float> r6 = Avx.LoadVector256(src + 6 * lds);
        Vector256<float> r7 = Avx.LoadVector256(src + 7 * lds);

        Vector256<float> t0 = Avx.UnpackLow(r0, r1);
        Vector256<float> t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3);
        Vector256<float> t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5);
        Vector256<float> t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7);
        Vector256<float> t7 = Avx.UnpackHigh(r6, r7);

        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44);
        Vector256<float> s1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44);
        Vector256<float> s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44);
        Vector256<float> s5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> s6 = Avx.Shuffle(t5, t7, 0x44);
        Vector256<float> s7 = Avx.Shuffle(t5, t7, 0xEE);

        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + ldd, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + 2 * ldd, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + 3 * ldd, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + 4 * ldd, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + 5 * ldd, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + 6 * ldd, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + 7 * ldd, Avx.Permute2x128(s3, s7, 0x31));
    }
}
