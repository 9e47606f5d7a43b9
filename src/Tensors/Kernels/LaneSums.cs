using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RlExperiments.Tensors.Kernels;

/// <summary>
/// Horizontal sums of several accumulators at once, for the dot-product kernels: three AVX horizontal adds and one
/// 128-bit add give the four lane sums of four 256-bit vectors (512-bit ones are first folded to 256 bits), where
/// four separate reductions would take four times the shuffles.
/// </summary>
internal static class LaneSums
{
    /// <summary>Whether <see cref="Four{TV}"/> is available for vectors of type <typeparamref name="TV"/> on this machine.</summary>
    public static bool Supported<TV>() where TV : unmanaged =>
        Avx.IsSupported && (typeof(TV) == typeof(Vector256<float>) || typeof(TV) == typeof(Vector512<float>));

    /// <summary>The lane sums of <paramref name="a0"/> .. <paramref name="a3"/>, in order. Only when <see cref="Supported{TV}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Four<TV>(TV a0, TV a1, TV a2, TV a3) where TV : unmanaged
    {
        Vector256<float> h01 = Avx.HorizontalAdd(Fold(a0), Fold(a1)); // per 128-bit half: pair sums of a0, then of a1
        Vector256<float> h23 = Avx.HorizontalAdd(Fold(a2), Fold(a3));
        Vector256<float> h = Avx.HorizontalAdd(h01, h23);             // per half: partial sums of a0, a1, a2, a3
        return h.GetLower() + h.GetUpper();
    }

    /// <summary>A 512-bit vector folded to 256 bits (upper half added to lower); a 256-bit one as is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fold<TV>(TV v) where TV : unmanaged
    {
        if (typeof(TV) == typeof(Vector512<float>))
        {
            // (T)(object) between identical value types is a no-op in specialised generic code (no boxing), and unlike
            // Unsafe.As it does not take the argument's address (which would force it through memory).
            Vector512<float> x = (Vector512<float>)(object)v;
            return x.GetLower() + x.GetUpper();
        }

        return (Vector256<float>)(object)v;
    }
}
