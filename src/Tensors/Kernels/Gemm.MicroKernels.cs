using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RlExperiments.Tensors.Kernels;

internal static unsafe partial class Gemm
{
    /// <summary>
    /// Register-blocked micro-kernel: <paramref name="count"/> consecutive <see cref="MR"/> × 2·W tiles of C (W = floats per vector) held in 12
    /// accumulators, updated by <paramref name="kc"/> rank-1 steps <c>C[r, :] += A[r, p] · B[p, :]</c>
    /// (2 vector loads of B, 6 broadcasts of A, 12 FMAs per step), each tile then stored.
    /// </summary>
    /// <param name="kc">Depth of the update.</param>
    /// <param name="aTiles">A[0, 0] of the first sliver; element (r, p) is at <c>a + r·rsA + p·csA</c> (packed or not).</param>
    /// <param name="rsA">Distance between rows of the sliver.</param>
    /// <param name="csA">Distance between columns (depth steps) of the sliver.</param>
    /// <param name="bTiles">B[0, 0] of the first micro-panel: 2·W contiguous floats per depth step.</param>
    /// <param name="rsB">Distance between depth steps of the micro-panel (2·W when packed, ldb when read in place).</param>
    /// <param name="cTiles">C[0, 0] of the first tile.</param>
    /// <param name="ldc">Row stride of C.</param>
    /// <param name="mr">Valid rows, 1..6. Rows past <paramref name="mr"/> re-read the last valid row of A and are not stored.</param>
    /// <param name="nr">Valid columns, 1..2·W. Columns past it are computed from B's zero padding and not stored.</param>
    /// <param name="addC">Add the product to C (true) or overwrite C without reading it (false).</param>
    /// <param name="tile">Scratch of 6·2·W floats used for partial tiles.</param>
    /// <param name="count">Number of tiles computed in a row (amortises the call and set-up on small depths).</param>
    /// <param name="aStep">Advance of <paramref name="aTiles"/> from one tile to the next.</param>
    /// <param name="bStep">Advance of <paramref name="bTiles"/> from one tile to the next.</param>
    /// <param name="cStep">Advance of <paramref name="cTiles"/> from one tile to the next.</param>
    /// <param name="bias">When not null and not <paramref name="addC"/>: the bias row's first column for the first tile,
    /// added to the product (a fused linear layer's epilogue).</param>
    /// <param name="biasStep">Advance of <paramref name="bias"/> from one tile to the next (0 when tiles step down rows).</param>
    /// <param name="relu">Apply ReLU to the stored values (the last depth block of a fused linear + ReLU layer).</param>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x2<TV, TOps>(int kc, float* aTiles, nint rsA, nint csA, float* bTiles, nint rsB,
        float* cTiles, nint ldc, int mr, int nr, bool addC, float* tile,
        int count, nint aStep, nint bStep, nint cStep, float* bias, nint biasStep, bool relu)
        where TV : unmanaged
        where TOps : struct, IGemmVector<TV>
    {
        int w = TOps.Count;
        nint last = mr - 1;
        nint o1 = Math.Min(1, last) * rsA;
        nint o2 = Math.Min(2, last) * rsA;
        nint o3 = Math.Min(3, last) * rsA;
        nint o4 = Math.Min(4, last) * rsA;
        nint o5 = Math.Min(5, last) * rsA;

        for (int t = 0; t < count; t++, aTiles += aStep, bTiles += bStep, cTiles += cStep)
        {
            float* a = aTiles;
            float* b = bTiles;
            float* c = cTiles;
            TV c00 = TOps.Zero, c01 = TOps.Zero, c10 = TOps.Zero, c11 = TOps.Zero, c20 = TOps.Zero, c21 = TOps.Zero;
            TV c30 = TOps.Zero, c31 = TOps.Zero, c40 = TOps.Zero, c41 = TOps.Zero, c50 = TOps.Zero, c51 = TOps.Zero;

            // Depth loop unrolled 4×: fewer pointer bumps and branches per FMA, and measurably steadier timing.
            TV b0, b1, x;
            int p = 0;
            for (; p <= kc - 4; p += 4)
            {
                b0 = TOps.Load(b);
                b1 = TOps.Load(b + w);
                x = TOps.Broadcast(a);
                c00 = TOps.MultiplyAdd(x, b0, c00);
                c01 = TOps.MultiplyAdd(x, b1, c01);
                x = TOps.Broadcast(a + o1);
                c10 = TOps.MultiplyAdd(x, b0, c10);
                c11 = TOps.MultiplyAdd(x, b1, c11);
                x = TOps.Broadcast(a + o2);
                c20 = TOps.MultiplyAdd(x, b0, c20);
                c21 = TOps.MultiplyAdd(x, b1, c21);
                x = TOps.Broadcast(a + o3);
                c30 = TOps.MultiplyAdd(x, b0, c30);
                c31 = TOps.MultiplyAdd(x, b1, c31);
                x = TOps.Broadcast(a + o4);
                c40 = TOps.MultiplyAdd(x, b0, c40);
                c41 = TOps.MultiplyAdd(x, b1, c41);
                x = TOps.Broadcast(a + o5);
                c50 = TOps.MultiplyAdd(x, b0, c50);
                c51 = TOps.MultiplyAdd(x, b1, c51);
                b0 = TOps.Load(b + 1 * rsB);
                b1 = TOps.Load(b + 1 * rsB + w);
                x = TOps.Broadcast(a + 1 * csA);
                c00 = TOps.MultiplyAdd(x, b0, c00);
                c01 = TOps.MultiplyAdd(x, b1, c01);
                x = TOps.Broadcast(a + 1 * csA + o1);
                c10 = TOps.MultiplyAdd(x, b0, c10);
                c11 = TOps.MultiplyAdd(x, b1, c11);
                x = TOps.Broadcast(a + 1 * csA + o2);
                c20 = TOps.MultiplyAdd(x, b0, c20);
                c21 = TOps.MultiplyAdd(x, b1, c21);
                x = TOps.Broadcast(a + 1 * csA + o3);
                c30 = TOps.MultiplyAdd(x, b0, c30);
                c31 = TOps.MultiplyAdd(x, b1, c31);
                x = TOps.Broadcast(a + 1 * csA + o4);
                c40 = TOps.MultiplyAdd(x, b0, c40);
                c41 = TOps.MultiplyAdd(x, b1, c41);
                x = TOps.Broadcast(a + 1 * csA + o5);
                c50 = TOps.MultiplyAdd(x, b0, c50);
                c51 = TOps.MultiplyAdd(x, b1, c51);
                b0 = TOps.Load(b + 2 * rsB);
                b1 = TOps.Load(b + 2 * rsB + w);
                x = TOps.Broadcast(a + 2 * csA);
                c00 = TOps.MultiplyAdd(x, b0, c00);
                c01 = TOps.MultiplyAdd(x, b1, c01);
                x = TOps.Broadcast(a + 2 * csA + o1);
                c10 = TOps.MultiplyAdd(x, b0, c10);
                c11 = TOps.MultiplyAdd(x, b1, c11);
                x = TOps.Broadcast(a + 2 * csA + o2);
                c20 = TOps.MultiplyAdd(x, b0, c20);
                c21 = TOps.MultiplyAdd(x, b1, c21);
                x = TOps.Broadcast(a + 2 * csA + o3);
                c30 = TOps.MultiplyAdd(x, b0, c30);
                c31 = TOps.MultiplyAdd(x, b1, c31);
                x = TOps.Broadcast(a + 2 * csA + o4);
                c40 = TOps.MultiplyAdd(x, b0, c40);
                c41 = TOps.MultiplyAdd(x, b1, c41);
                x = TOps.Broadcast(a + 2 * csA + o5);
                c50 = TOps.MultiplyAdd(x, b0, c50);
                c51 = TOps.MultiplyAdd(x, b1, c51);
                b0 = TOps.Load(b + 3 * rsB);
                b1 = TOps.Load(b + 3 * rsB + w);
                x = TOps.Broadcast(a + 3 * csA);
                c00 = TOps.MultiplyAdd(x, b0, c00);
                c01 = TOps.MultiplyAdd(x, b1, c01);
                x = TOps.Broadcast(a + 3 * csA + o1);
                c10 = TOps.MultiplyAdd(x, b0, c10);
                c11 = TOps.MultiplyAdd(x, b1, c11);
                x = TOps.Broadcast(a + 3 * csA + o2);
                c20 = TOps.MultiplyAdd(x, b0, c20);
                c21 = TOps.MultiplyAdd(x, b1, c21);
                x = TOps.Broadcast(a + 3 * csA + o3);
                c30 = TOps.MultiplyAdd(x, b0, c30);
                c31 = TOps.MultiplyAdd(x, b1, c31);
                x = TOps.Broadcast(a + 3 * csA + o4);
                c40 = TOps.MultiplyAdd(x, b0, c40);
                c41 = TOps.MultiplyAdd(x, b1, c41);
                x = TOps.Broadcast(a + 3 * csA + o5);
                c50 = TOps.MultiplyAdd(x, b0, c50);
                c51 = TOps.MultiplyAdd(x, b1, c51);
                a += 4 * csA;
                b += 4 * rsB;
            }

            for (; p < kc; p++)
            {
                b0 = TOps.Load(b);
                b1 = TOps.Load(b + w);
                x = TOps.Broadcast(a);
                c00 = TOps.MultiplyAdd(x, b0, c00);
                c01 = TOps.MultiplyAdd(x, b1, c01);
                x = TOps.Broadcast(a + o1);
                c10 = TOps.MultiplyAdd(x, b0, c10);
                c11 = TOps.MultiplyAdd(x, b1, c11);
                x = TOps.Broadcast(a + o2);
                c20 = TOps.MultiplyAdd(x, b0, c20);
                c21 = TOps.MultiplyAdd(x, b1, c21);
                x = TOps.Broadcast(a + o3);
                c30 = TOps.MultiplyAdd(x, b0, c30);
                c31 = TOps.MultiplyAdd(x, b1, c31);
                x = TOps.Broadcast(a + o4);
                c40 = TOps.MultiplyAdd(x, b0, c40);
                c41 = TOps.MultiplyAdd(x, b1, c41);
                x = TOps.Broadcast(a + o5);
                c50 = TOps.MultiplyAdd(x, b0, c50);
                c51 = TOps.MultiplyAdd(x, b1, c51);
                a += csA;
                b += rsB;
            }

            float* bt = bias == null ? null : bias + t * biasStep;
            if (mr == MR && nr == 2 * w)
            {
                if (bt == null && !relu)
                {
                    if (addC)
                    {
                        TOps.Store(c, TOps.Add(TOps.Load(c), c00));
                        TOps.Store(c + w, TOps.Add(TOps.Load(c + w), c01));
                        c += ldc;
                        TOps.Store(c, TOps.Add(TOps.Load(c), c10));
                        TOps.Store(c + w, TOps.Add(TOps.Load(c + w), c11));
                        c += ldc;
                        TOps.Store(c, TOps.Add(TOps.Load(c), c20));
                        TOps.Store(c + w, TOps.Add(TOps.Load(c + w), c21));
                        c += ldc;
                        TOps.Store(c, TOps.Add(TOps.Load(c), c30));
                        TOps.Store(c + w, TOps.Add(TOps.Load(c + w), c31));
                        c += ldc;
                        TOps.Store(c, TOps.Add(TOps.Load(c), c40));
                        TOps.Store(c + w, TOps.Add(TOps.Load(c + w), c41));
                        c += ldc;
                        TOps.Store(c, TOps.Add(TOps.Load(c), c50));
                        TOps.Store(c + w, TOps.Add(TOps.Load(c + w), c51));
                    }
                    else
                    {
                        TOps.Store(c, c00);
                        TOps.Store(c + w, c01);
                        c += ldc;
                        TOps.Store(c, c10);
                        TOps.Store(c + w, c11);
                        c += ldc;
                        TOps.Store(c, c20);
                        TOps.Store(c + w, c21);
                        c += ldc;
                        TOps.Store(c, c30);
                        TOps.Store(c + w, c31);
                        c += ldc;
                        TOps.Store(c, c40);
                        TOps.Store(c + w, c41);
                        c += ldc;
                        TOps.Store(c, c50);
                        TOps.Store(c + w, c51);
                    }
                }
                else
                {
                    Put<TV, TOps>(c, c00, bt, 0, addC, relu);
                    Put<TV, TOps>(c + w, c01, bt, w, addC, relu);
                    c += ldc;
                    Put<TV, TOps>(c, c10, bt, 0, addC, relu);
                    Put<TV, TOps>(c + w, c11, bt, w, addC, relu);
                    c += ldc;
                    Put<TV, TOps>(c, c20, bt, 0, addC, relu);
                    Put<TV, TOps>(c + w, c21, bt, w, addC, relu);
                    c += ldc;
                    Put<TV, TOps>(c, c30, bt, 0, addC, relu);
                    Put<TV, TOps>(c + w, c31, bt, w, addC, relu);
                    c += ldc;
                    Put<TV, TOps>(c, c40, bt, 0, addC, relu);
                    Put<TV, TOps>(c + w, c41, bt, w, addC, relu);
                    c += ldc;
                    Put<TV, TOps>(c, c50, bt, 0, addC, relu);
                    Put<TV, TOps>(c + w, c51, bt, w, addC, relu);
                }
            }
            else
            {
                int tw = 2 * w;
                TOps.Store(tile, c00);
                TOps.Store(tile + w, c01);
                TOps.Store(tile + tw, c10);
                TOps.Store(tile + tw + w, c11);
                TOps.Store(tile + 2 * tw, c20);
                TOps.Store(tile + 2 * tw + w, c21);
                TOps.Store(tile + 3 * tw, c30);
                TOps.Store(tile + 3 * tw + w, c31);
                TOps.Store(tile + 4 * tw, c40);
                TOps.Store(tile + 4 * tw + w, c41);
                TOps.Store(tile + 5 * tw, c50);
                TOps.Store(tile + 5 * tw + w, c51);
                CopyTile<TV, TOps>(tile, tw, c, ldc, mr, nr, addC, bt, relu);
            }
        }
        }
    /// <summary>
    /// The one-vector-wide sibling of <see cref="Kernel6x2{TV, TOps}"/> (a 6 × W tile, 6 accumulators), used for the
    /// last column panel when at most W columns remain so that narrow outputs (value heads, small action spaces)
    /// do not pay for a second vector of zero padding. Same parameters; <paramref name="nr"/> is 1..W.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x1<TV, TOps>(int kc, float* aTiles, nint rsA, nint csA, float* bTiles, nint rsB,
        float* cTiles, nint ldc, int mr, int nr, bool addC, float* tile,
        int count, nint aStep, nint bStep, nint cStep, float* bias, nint biasStep, bool relu)
        where TV : unmanaged
        where TOps : struct, IGemmVector<TV>
    {
        int w = TOps.Count;
        nint last = mr - 1;
        nint o1 = Math.Min(1, last) * rsA;
        nint o2 = Math.Min(2, last) * rsA;
        nint o3 = Math.Min(3, last) * rsA;
        nint o4 = Math.Min(4, last) * rsA;
        nint o5 = Math.Min(5, last) * rsA;

        for (int t = 0; t < count; t++, aTiles += aStep, bTiles += bStep, cTiles += cStep)
        {
            float* a = aTiles;
            float* b = bTiles;
            float* c = cTiles;
            TV c0 = TOps.Zero, c1 = TOps.Zero, c2 = TOps.Zero, c3 = TOps.Zero, c4 = TOps.Zero, c5 = TOps.Zero;

            for (int p = 0; p < kc; p++)
            {
                TV b0 = TOps.Load(b);
                c0 = TOps.MultiplyAdd(TOps.Broadcast(a), b0, c0);
                c1 = TOps.MultiplyAdd(TOps.Broadcast(a + o1), b0, c1);
                c2 = TOps.MultiplyAdd(TOps.Broadcast(a + o2), b0, c2);
                c3 = TOps.MultiplyAdd(TOps.Broadcast(a + o3), b0, c3);
                c4 = TOps.MultiplyAdd(TOps.Broadcast(a + o4), b0, c4);
                c5 = TOps.MultiplyAdd(TOps.Broadcast(a + o5), b0, c5);
                a += csA;
                b += rsB;
            }

            float* bt = bias == null ? null : bias + t * biasStep;
            if (mr == MR && nr == w)
            {
                if (bt == null && !relu)
                {
                    if (addC)
                    {
                        TOps.Store(c, TOps.Add(TOps.Load(c), c0));
                        c += ldc;
                        TOps.Store(c, TOps.Add(TOps.Load(c), c1));
                        c += ldc;
                        TOps.Store(c, TOps.Add(TOps.Load(c), c2));
                        c += ldc;
                        TOps.Store(c, TOps.Add(TOps.Load(c), c3));
                        c += ldc;
                        TOps.Store(c, TOps.Add(TOps.Load(c), c4));
                        c += ldc;
                        TOps.Store(c, TOps.Add(TOps.Load(c), c5));
                    }
                    else
                    {
                        TOps.Store(c, c0);
                        c += ldc;
                        TOps.Store(c, c1);
                        c += ldc;
                        TOps.Store(c, c2);
                        c += ldc;
                        TOps.Store(c, c3);
                        c += ldc;
                        TOps.Store(c, c4);
                        c += ldc;
                        TOps.Store(c, c5);
                    }
                }
                else
                {
                    Put<TV, TOps>(c, c0, bt, 0, addC, relu);
                    c += ldc;
                    Put<TV, TOps>(c, c1, bt, 0, addC, relu);
                    c += ldc;
                    Put<TV, TOps>(c, c2, bt, 0, addC, relu);
                    c += ldc;
                    Put<TV, TOps>(c, c3, bt, 0, addC, relu);
                    c += ldc;
                    Put<TV, TOps>(c, c4, bt, 0, addC, relu);
                    c += ldc;
                    Put<TV, TOps>(c, c5, bt, 0, addC, relu);
                }
            }
            else
            {
                TOps.Store(tile, c0);
                TOps.Store(tile + w, c1);
                TOps.Store(tile + 2 * w, c2);
                TOps.Store(tile + 3 * w, c3);
                TOps.Store(tile + 4 * w, c4);
                TOps.Store(tile + 5 * w, c5);
                CopyTile<TV, TOps>(tile, w, c, ldc, mr, nr, addC, bt, relu);
            }
        }
        }
    /// <summary>
    /// Few-rows micro-kernel: <paramref name="count"/> tiles of 2 rows × 4·W columns (8 accumulators; per depth step
    /// 4 loads of B, 2 broadcasts of A, 8 FMAs). Used for products with 1 to 4 rows (output-layer weight gradients)
    /// and for the last 1 to 4 rows of a larger product, where the 6-row kernel would mostly compute padding.
    /// Columns 0..2W of a tile come from <paramref name="bTiles"/>, columns 2W..4W from <c>bTiles + bHalf</c>
    /// (the next packed panel, or simply the next 2W floats of a row read in place). A single valid row
    /// (<paramref name="mr"/> = 1) is computed twice and stored once. C tiles are 4W columns apart.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel2x4<TV, TOps>(int kc, float* a, nint rsA, nint csA, float* bTiles, nint rsB, nint bHalf,
        float* cTiles, nint ldc, int mr, bool addC, int count, nint bStep, float* bias, bool relu)
        where TV : unmanaged
        where TOps : struct, IGemmVector<TV>
    {
        int w = TOps.Count;
        nint o1 = mr > 1 ? rsA : 0;
        for (int t = 0; t < count; t++, bTiles += bStep, cTiles += 4 * w)
        {
            float* ap = a;
            float* b = bTiles;
            TV c00 = TOps.Zero, c01 = TOps.Zero, c02 = TOps.Zero, c03 = TOps.Zero;
            TV c10 = TOps.Zero, c11 = TOps.Zero, c12 = TOps.Zero, c13 = TOps.Zero;
            TV b0, b1, b2, b3, x;
            int p = 0;
            for (; p <= kc - 2; p += 2)
            {
                b0 = TOps.Load(b);
                b1 = TOps.Load(b + w);
                b2 = TOps.Load(b + bHalf);
                b3 = TOps.Load(b + bHalf + w);
                x = TOps.Broadcast(ap);
                c00 = TOps.MultiplyAdd(x, b0, c00);
                c01 = TOps.MultiplyAdd(x, b1, c01);
                c02 = TOps.MultiplyAdd(x, b2, c02);
                c03 = TOps.MultiplyAdd(x, b3, c03);
                x = TOps.Broadcast(ap + o1);
                c10 = TOps.MultiplyAdd(x, b0, c10);
                c11 = TOps.MultiplyAdd(x, b1, c11);
                c12 = TOps.MultiplyAdd(x, b2, c12);
                c13 = TOps.MultiplyAdd(x, b3, c13);
                b0 = TOps.Load(b + 1 * rsB);
                b1 = TOps.Load(b + 1 * rsB + w);
                b2 = TOps.Load(b + 1 * rsB + bHalf);
                b3 = TOps.Load(b + 1 * rsB + bHalf + w);
                x = TOps.Broadcast(ap + 1 * csA);
                c00 = TOps.MultiplyAdd(x, b0, c00);
                c01 = TOps.MultiplyAdd(x, b1, c01);
                c02 = TOps.MultiplyAdd(x, b2, c02);
                c03 = TOps.MultiplyAdd(x, b3, c03);
                x = TOps.Broadcast(ap + 1 * csA + o1);
                c10 = TOps.MultiplyAdd(x, b0, c10);
                c11 = TOps.MultiplyAdd(x, b1, c11);
                c12 = TOps.MultiplyAdd(x, b2, c12);
                c13 = TOps.MultiplyAdd(x, b3, c13);
                ap += 2 * csA;
                b += 2 * rsB;
            }

            if (p < kc)
            {
                b0 = TOps.Load(b);
                b1 = TOps.Load(b + w);
                b2 = TOps.Load(b + bHalf);
                b3 = TOps.Load(b + bHalf + w);
                x = TOps.Broadcast(ap);
                c00 = TOps.MultiplyAdd(x, b0, c00);
                c01 = TOps.MultiplyAdd(x, b1, c01);
                c02 = TOps.MultiplyAdd(x, b2, c02);
                c03 = TOps.MultiplyAdd(x, b3, c03);
                x = TOps.Broadcast(ap + o1);
                c10 = TOps.MultiplyAdd(x, b0, c10);
                c11 = TOps.MultiplyAdd(x, b1, c11);
                c12 = TOps.MultiplyAdd(x, b2, c12);
                c13 = TOps.MultiplyAdd(x, b3, c13);
            }

            float* c = cTiles;
            float* bt = bias == null ? null : bias + t * 4 * w;
            Put<TV, TOps>(c, c00, bt, 0, addC, relu);
            Put<TV, TOps>(c + w, c01, bt, w, addC, relu);
            Put<TV, TOps>(c + 2 * w, c02, bt, 2 * w, addC, relu);
            Put<TV, TOps>(c + 3 * w, c03, bt, 3 * w, addC, relu);
            if (mr > 1)
            {
                c += ldc;
                Put<TV, TOps>(c, c10, bt, 0, addC, relu);
                Put<TV, TOps>(c + w, c11, bt, w, addC, relu);
                Put<TV, TOps>(c + 2 * w, c12, bt, 2 * w, addC, relu);
                Put<TV, TOps>(c + 3 * w, c13, bt, 3 * w, addC, relu);
            }
        }
    }

    /// <summary>
    /// Dot-product micro-kernel for <c>A·B^T</c> with both operands contiguous along the depth: a 6 × 2 block of
    /// <c>C[i, j] = x_i · y_j</c> from 6 rows of X and 2 rows of Y, vectorised along the depth (8 loads, 12 FMAs per
    /// step: 12 independent accumulator chains keep the FMA units busy on the short depths of RL layers, and 15 vector
    /// registers fit AVX2's 16), then reduced across lanes four accumulators at a time. Used where packing B^T would cost
    /// as much as the product: narrow outputs (value and policy heads) and few rows (acting). Rows past
    /// <paramref name="mx"/> / <paramref name="my"/> re-read the last valid row and are not stored. Element (i, j) of the
    /// block goes to <c>c + i·rsC + j·csC</c>, so the caller can let X be A (rows of C) or B (columns of C).
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotKernel6x2<TV, TOps>(int k, float* x, nint ldx, int mx, float* y, nint ldy, int my,
        float* c, nint rsC, nint csC, bool addC)
        where TV : unmanaged
        where TOps : struct, IGemmVector<TV>
    {
        int w = TOps.Count;
        float* x0 = x;
        float* x1 = x + Math.Min(1, mx - 1) * ldx;
        float* x2 = x + Math.Min(2, mx - 1) * ldx;
        float* x3 = x + Math.Min(3, mx - 1) * ldx;
        float* x4 = x + Math.Min(4, mx - 1) * ldx;
        float* x5 = x + Math.Min(5, mx - 1) * ldx;
        float* y0 = y;
        float* y1 = y + Math.Min(1, my - 1) * ldy;

        TV s00 = TOps.Zero, s01 = TOps.Zero, s10 = TOps.Zero, s11 = TOps.Zero;
        TV s20 = TOps.Zero, s21 = TOps.Zero, s30 = TOps.Zero, s31 = TOps.Zero;
        TV s40 = TOps.Zero, s41 = TOps.Zero, s50 = TOps.Zero, s51 = TOps.Zero;
        int p = 0;
        for (; p <= k - w; p += w)
        {
            TV v0 = TOps.Load(y0 + p);
            TV v1 = TOps.Load(y1 + p);
            TV u = TOps.Load(x0 + p);
            s00 = TOps.MultiplyAdd(u, v0, s00);
            s01 = TOps.MultiplyAdd(u, v1, s01);
            u = TOps.Load(x1 + p);
            s10 = TOps.MultiplyAdd(u, v0, s10);
            s11 = TOps.MultiplyAdd(u, v1, s11);
            u = TOps.Load(x2 + p);
            s20 = TOps.MultiplyAdd(u, v0, s20);
            s21 = TOps.MultiplyAdd(u, v1, s21);
            u = TOps.Load(x3 + p);
            s30 = TOps.MultiplyAdd(u, v0, s30);
            s31 = TOps.MultiplyAdd(u, v1, s31);
            u = TOps.Load(x4 + p);
            s40 = TOps.MultiplyAdd(u, v0, s40);
            s41 = TOps.MultiplyAdd(u, v1, s41);
            u = TOps.Load(x5 + p);
            s50 = TOps.MultiplyAdd(u, v0, s50);
            s51 = TOps.MultiplyAdd(u, v1, s51);
        }

        float* r = stackalloc float[12];
        TOps.Sum4(s00, s01, s10, s11).Store(r);
        TOps.Sum4(s20, s21, s30, s31).Store(r + 4);
        TOps.Sum4(s40, s41, s50, s51).Store(r + 8);
        for (; p < k; p++)
        {
            float v0 = y0[p];
            float v1 = y1[p];
            r[0] += x0[p] * v0;
            r[1] += x0[p] * v1;
            r[2] += x1[p] * v0;
            r[3] += x1[p] * v1;
            r[4] += x2[p] * v0;
            r[5] += x2[p] * v1;
            r[6] += x3[p] * v0;
            r[7] += x3[p] * v1;
            r[8] += x4[p] * v0;
            r[9] += x4[p] * v1;
            r[10] += x5[p] * v0;
            r[11] += x5[p] * v1;
        }

        for (int i = 0; i < mx; i++)
        {
            for (int j = 0; j < my; j++)
            {
                float* ci = c + i * rsC + j * csC;
                *ci = addC ? *ci + r[2 * i + j] : r[2 * i + j];
            }
        }
    }

    /// <summary>
    /// Stores one vector of a finished tile: <c>C = (addC ? C : bias ?? 0) + acc</c>, then ReLU when asked (the bias
    /// vector starts at <c>bias + column</c>; bias is null when there is none). The bias
    /// (a row vector, the same for every row of C) is the epilogue of a fused linear layer: the same sum as adding the
    /// product to a C prefilled with the bias, without writing and re-reading C.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<TV, TOps>(float* c, TV acc, float* bias, nint column, bool addC, bool relu)
        where TV : unmanaged
        where TOps : struct, IGemmVector<TV>
    {
        if (addC)
        {
            acc = TOps.Add(TOps.Load(c), acc);
        }
        else if (bias != null)
        {
            acc = TOps.Add(TOps.Load(bias + column), acc);
        }

        if (relu)
        {
            acc = TOps.Relu(acc);
        }

        TOps.Store(c, acc);
    }

    /// <summary>
    /// Writes the valid <paramref name="mr"/> × <paramref name="nr"/> corner of a computed tile into C, with the epilogue
    /// of <see cref="Put{TV, TOps}"/> (bias columns start at <paramref name="bias"/>): whole vectors through Put itself,
    /// the last columns one by one with the same arithmetic, so every element gets the value Put would give it. Ragged
    /// panels (hidden widths such as 84 or 120, not multiples of 2W) go through here for every row sliver, so the
    /// per-element loop is kept free of the epilogue's branches.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyTile<TV, TOps>(float* tile, int ldt, float* c, nint ldc, int mr, int nr, bool addC, float* bias, bool relu)
        where TV : unmanaged
        where TOps : struct, IGemmVector<TV>
    {
        int w = TOps.Count;
        int full = nr - nr % w;
        for (int r = 0; r < mr; r++, tile += ldt, c += ldc)
        {
            for (int j = 0; j < full; j += w)
            {
                Put<TV, TOps>(c + j, TOps.Load(tile + j), bias, j, addC, relu);
            }

            if (full == nr)
            {
                continue;
            }

            if (addC)
            {
                for (int j = full; j < nr; j++)
                {
                    c[j] += tile[j];
                }
            }
            else if (bias != null)
            {
                for (int j = full; j < nr; j++)
                {
                    c[j] = bias[j] + tile[j];
                }
            }
            else
            {
                for (int j = full; j < nr; j++)
                {
                    c[j] = tile[j];
                }
            }

            if (relu)
            {
                for (int j = full; j < nr; j++)
                {
                    c[j] = c[j] < 0f ? 0f : c[j];
                }
            }
        }
    }
}
