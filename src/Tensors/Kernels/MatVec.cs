using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RlExperiments.Tensors.Kernels;

/// <summary>
/// Matrix-vector products <c>y = W·x + b</c> for one input row against a row-major weight matrix W [out × in] (the
/// layout of <see cref="Nn.Linear"/>): acting on one environment, where a general matrix product would spend more on
/// set-up and packing than on arithmetic. Four rows of W are dotted with x at a time, vectorised along the depth.
/// </summary>
internal static unsafe class MatVec
{
    /// <summary><c>y[o] = bias[o] + Σ_i w[o·inF + i]·x[i]</c> for o in 0..outF (bias may be null). y must not overlap x or w.</summary>
    public static void Multiply(float* w, int outF, int inF, float* x, float* bias, float* y)
    {
        if (Vector512.IsHardwareAccelerated && inF >= 2 * Vector512<float>.Count)
        {
            Rows<Vector512<float>, GemmVector512>(w, outF, inF, x, bias, y);
        }
        else if (Vector256.IsHardwareAccelerated && Fma.IsSupported && inF >= Vector256<float>.Count)
        {
            Rows<Vector256<float>, GemmVector256>(w, outF, inF, x, bias, y);
        }
        else
        {
            Scalar(w, outF, inF, x, bias, y);
        }
    }

    /// <summary>The AVX2 path whatever the machine (tests).</summary>
    internal static void MultiplyVector256(float* w, int outF, int inF, float* x, float* bias, float* y) =>
        Rows<Vector256<float>, GemmVector256>(w, outF, inF, x, bias, y);

    /// <summary>The plain path (tests, and inputs narrower than a vector: a 4-wide observation).</summary>
    internal static void Scalar(float* w, int outF, int inF, float* x, float* bias, float* y)
    {
        for (int o = 0; o < outF; o++)
        {
            float* wo = w + (nint)o * inF;
            float s = 0f;
            for (int i = 0; i < inF; i++)
            {
                s = MathF.FusedMultiplyAdd(wo[i], x[i], s);
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
        int o = 0;
        for (; o + 4 <= outF; o += 4)
        {
            float* w0 = w + (nint)o * inF;
            float* w1 = w0 + inF;
            float* w2 = w1 + inF;
            float* w3 = w2 + inF;
            TV a0 = TOps.Zero, a1 = TOps.Zero, a2 = TOps.Zero, a3 = TOps.Zero;
            for (int i = 0; i < vecEnd; i += width)
            {
                TV xv = TOps.Load(x + i);
                a0 = TOps.MultiplyAdd(TOps.Load(w0 + i), xv, a0);
                a1 = TOps.MultiplyAdd(TOps.Load(w1 + i), xv, a1);
                a2 = TOps.MultiplyAdd(TOps.Load(w2 + i), xv, a2);
                a3 = TOps.MultiplyAdd(TOps.Load(w3 + i), xv, a3);
            }

            Vector128<float> s = TOps.Sum4(a0, a1, a2, a3);
            float s0 = s.GetElement(0), s1 = s.GetElement(1), s2 = s.GetElement(2), s3 = s.GetElement(3);
            for (int i = vecEnd; i < inF; i++)
            {
                float xi = x[i];
                s0 = MathF.FusedMultiplyAdd(w0[i], xi, s0);
                s1 = MathF.FusedMultiplyAdd(w1[i], xi, s1);
                s2 = MathF.FusedMultiplyAdd(w2[i], xi, s2);
                s3 = MathF.FusedMultiplyAdd(w3[i], xi, s3);
            }

            if (bias != null)
            {
                (s0, s1, s2, s3) = (bias[o] + s0, bias[o + 1] + s1, bias[o + 2] + s2, bias[o + 3] + s3);
            }

            (y[o], y[o + 1], y[o + 2], y[o + 3]) = (s0, s1, s2, s3);
        }

        for (; o < outF; o++)
        {
            float* wo = w + (nint)o * inF;
            TV acc = TOps.Zero;
            for (int i = 0; i < vecEnd; i += width)
            {
                acc = TOps.MultiplyAdd(TOps.Load(wo + i), TOps.Load(x + i), acc);
            }

            float s = TOps.Sum(acc);
            for (int i = vecEnd; i < inF; i++)
            {
                s = MathF.FusedMultiplyAdd(wo[i], x[i], s);
            }

            y[o] = bias == null ? s : bias[o] + s;
        }
    }
}
