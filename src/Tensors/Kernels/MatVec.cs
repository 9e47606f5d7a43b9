using System.Runtime.Intrinsics;

namespace RlExperiments.Tensors.Kernels;

/// <summary>
/// Matrix-vector products <c>y = W·x + b</c> for one input row against a row-major weight matrix W [out × in] (the
/// layout of <see cref="Nn.Linear"/>): acting on one environment, where a general matrix product would spend more on
/// set-up, bias prefill and dispatch than on arithmetic.
/// </summary>
/// <remarks>
/// Each output is summed exactly as <see cref="Gemm"/> sums it for a product with at most <see cref="Gemm.DotMaxM"/>
/// rows on the same path (its dot-product kernel): vector FMAs along the depth in whole vectors of the path's width, the
/// same horizontal reduction, the leftover depth as separate multiplies and adds, then the bias added. So a batch of one
/// or two rows gives the values of <see cref="Tensor.Linear(Tensor, Tensor, Tensor?)"/>, bit for bit, on every path.
/// </remarks>
internal static unsafe class MatVec
{
    /// <summary><c>y[o] = bias[o] + Σ_i w[o·inF + i]·x[i]</c> for o in 0..outF (bias may be null), on <see cref="Gemm.AutoPath"/>. y must not overlap x or w.</summary>
    public static void Multiply(float* w, int outF, int inF, float* x, float* bias, float* y) =>
        Multiply(Gemm.AutoPath, w, outF, inF, x, bias, y);

    /// <summary>The product on a given (resolved) path, as <see cref="Gemm"/> computes it there.</summary>
    internal static void Multiply(GemmPath path, float* w, int outF, int inF, float* x, float* bias, float* y)
    {
        switch (path)
        {
            case GemmPath.Vector512:
                Rows<Vector512<float>, GemmVector512>(w, outF, inF, x, bias, y);
                break;
            case GemmPath.Vector256:
                Rows<Vector256<float>, GemmVector256>(w, outF, inF, x, bias, y);
                break;
            case GemmPath.Vector128:
                Rows<Vector128<float>, GemmVector128>(w, outF, inF, x, bias, y);
                break;
            default:
                Scalar(w, outF, inF, x, bias, y);
                break;
        }
    }

    /// <summary>The AVX2 path whatever the machine (tests).</summary>
    internal static void MultiplyVector256(float* w, int outF, int inF, float* x, float* bias, float* y) =>
        Rows<Vector256<float>, GemmVector256>(w, outF, inF, x, bias, y);

    /// <summary>The plain path (machines without usable SIMD; tests): sequential multiplies and adds, as Gemm's scalar path.</summary>
    internal static void Scalar(float* w, int outF, int inF, float* x, float* bias, float* y)
    {
        for (int o = 0; o < outF; o++)
        {
            float* wo = w + (nint)o * inF;
            float s = 0f;
            for (int i = 0; i < inF; i++)
            {
                s += wo[i] * x[i];
            }

            y[o] = bias == null ? s : bias[o] + s;
        }
    }

    private static void Rows<TV, TOps>(float* w, int outF, int inF, float* x, float* bias, float* y)
        where TV : unmanaged
        where TOps : struct, IGemmVector<TV>
    {
        int width = TOps.Count;
        int vecEnd = inF - inF % width;
        float* r = stackalloc float[4];
        for (int o = 0; o < outF; o += 4)
        {
            // Four rows of W at a time; a short last group repeats its last row (computed, not stored).
            int count = Math.Min(4, outF - o);
            float* w0 = w + (nint)o * inF;
            float* w1 = w0 + (nint)Math.Min(1, count - 1) * inF;
            float* w2 = w0 + (nint)Math.Min(2, count - 1) * inF;
            float* w3 = w0 + (nint)Math.Min(3, count - 1) * inF;
            TV a0 = TOps.Zero, a1 = TOps.Zero, a2 = TOps.Zero, a3 = TOps.Zero;
            for (int i = 0; i < vecEnd; i += width)
            {
                TV xv = TOps.Load(x + i);
                a0 = TOps.MultiplyAdd(TOps.Load(w0 + i), xv, a0);
                a1 = TOps.MultiplyAdd(TOps.Load(w1 + i), xv, a1);
                a2 = TOps.MultiplyAdd(TOps.Load(w2 + i), xv, a2);
                a3 = TOps.MultiplyAdd(TOps.Load(w3 + i), xv, a3);
            }

            TOps.Sum4(a0, a1, a2, a3).Store(r);
            for (int i = vecEnd; i < inF; i++)
            {
                float xi = x[i];
                r[0] += w0[i] * xi;
                r[1] += w1[i] * xi;
                r[2] += w2[i] * xi;
                r[3] += w3[i] * xi;
            }

            for (int j = 0; j < count; j++)
            {
                y[o + j] = bias == null ? r[j] : bias[o + j] + r[j];
            }
        }
    }
}
