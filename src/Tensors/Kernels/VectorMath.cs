using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RlExperiments.Tensors.Kernels;

/// <summary>
/// Vectorised transcendental functions where <c>TensorPrimitives</c> is slower than the network
/// layers around them (its float tanh costs about as much as a 128×64×64 product). Accurate to a few
/// float ulps, NaN-propagating.
/// </summary>
/// <summary>Activations whose derivative is a function of their output (see <see cref="VectorMath.OutputDerivative"/>).</summary>
internal enum OutputDerivativeKind : byte
{
    Identity,
    Tanh,
    Relu,
    Sigmoid,
    Exp,
    /// <summary>ELU with alpha 1: 1 where y &gt; 0, else y + 1.</summary>
    Elu,
}

internal static class VectorMath
{
    private const float Ln2Hi = 0.693145751953125f;        // ln 2 split so k·Ln2Hi is exact for |k| < 2^11
    private const float Ln2Lo = 1.42860682030941723212e-6f;
    private const float Log2E = 1.44269504088896341f;
    private const float TanhClamp = 9f;                     // tanh(9) = 1 − 3e-8 rounds to 1f

    /// <summary>
    /// d[i] = f(x[i]) for the nonlinearity <paramref name="kind"/>, with exactly the arithmetic of the corresponding
    /// tensor op (<see cref="Nn.ActivationModule"/>), so fused and compiled paths agree with the module path bit for bit.
    /// x and d may be the same span.
    /// </summary>
    public static void Activate(Nn.Activation kind, ReadOnlySpan<float> x, Span<float> d)
    {
        switch (kind)
        {
            case Nn.Activation.Tanh: Tanh(x, d); break;
            case Nn.Activation.ReLU: Relu(x, d); break;
            case Nn.Activation.Sigmoid: Sigmoid(x, d); break;
            case Nn.Activation.ELU:
                for (var i = 0; i < x.Length; i++) d[i] = x[i] > 0f ? x[i] : 1f * (MathF.Exp(x[i]) - 1f);
                break;
            default:
                if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(d))) x.CopyTo(d);
                break;
        }
    }

    /// <summary>d[i] = tanh(x[i]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tanh(ReadOnlySpan<float> x, Span<float> d)
    {
        if (d.Length < x.Length) throw new ArgumentException("Destination is shorter than the source.", nameof(d));
        var w = Vector<float>.Count;
        var i = 0;
        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var ds = ref MemoryMarshal.GetReference(d);
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector512<float>.Count; i += Vector512<float>.Count)
                TanhVector512(Vector512.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ds, (nuint)i);
        }
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= x.Length - w; i += w)
            {
                var v = Vector.LoadUnsafe(ref xs, (nuint)i);
                TanhVector(v).StoreUnsafe(ref ds, (nuint)i);
            }
        }
        for (; i < x.Length; i++) d[i] = MathF.Tanh(x[i]);
    }

    /// <summary>d[i] = 1 / (1 + e^−x[i]), computed as ½ + ½·tanh(x/2) for accuracy in both tails.</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> d)
    {
        if (d.Length < x.Length) throw new ArgumentException("Destination is shorter than the source.", nameof(d));
        var w = Vector<float>.Count;
        var i = 0;
        var half = new Vector<float>(0.5f);
        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var ds = ref MemoryMarshal.GetReference(d);
        if (Vector512.IsHardwareAccelerated)
        {
            var half512 = Vector512.Create(0.5f);
            for (; i <= x.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var v = Vector512.LoadUnsafe(ref xs, (nuint)i);
                (half512 + half512 * TanhVector512(v * half512)).StoreUnsafe(ref ds, (nuint)i);
            }
        }
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= x.Length - w; i += w)
            {
                var v = Vector.LoadUnsafe(ref xs, (nuint)i);
                (half + half * TanhVector(v * half)).StoreUnsafe(ref ds, (nuint)i);
            }
        }
        for (; i < x.Length; i++) d[i] = 1f / (1f + MathF.Exp(-x[i]));
    }

    /// <summary>d[i] = max(x[i], 0), keeping NaN (as PyTorch's relu does): one compare and one blend per vector
    /// (512-bit where the hardware has it: this pass runs over every hidden activation).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Relu(ReadOnlySpan<float> x, Span<float> d)
    {
        if (d.Length < x.Length) throw new ArgumentException("Destination is shorter than the source.", nameof(d));
        var i = 0;
        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var ds = ref MemoryMarshal.GetReference(d);
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var v = Vector512.LoadUnsafe(ref xs, (nuint)i);
                Vector512.ConditionalSelect(Vector512.LessThan(v, Vector512<float>.Zero), Vector512<float>.Zero, v).StoreUnsafe(ref ds, (nuint)i);
            }
        }
        if (Vector.IsHardwareAccelerated)
        {
            var w = Vector<float>.Count;
            for (; i <= x.Length - w; i += w)
            {
                var v = Vector.LoadUnsafe(ref xs, (nuint)i);
                Vector.ConditionalSelect(Vector.LessThan(v, Vector<float>.Zero), Vector<float>.Zero, v).StoreUnsafe(ref ds, (nuint)i);
            }
        }
        for (; i < x.Length; i++) d[i] = x[i] < 0f ? 0f : x[i];
    }

    /// <summary>
    /// Copies <paramref name="row"/> into each of the <paramref name="rows"/> consecutive rows of <paramref name="d"/>
    /// (a bias broadcast before a product accumulates into it): vector loads and stores, where one memory copy call per
    /// row would cost more than the copying.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BroadcastRows(ReadOnlySpan<float> row, Span<float> d, int rows)
    {
        var cols = row.Length;
        if (d.Length < rows * cols) throw new ArgumentException($"BroadcastRows needs {rows}×{cols} destination floats; got {d.Length}.", nameof(d));
        ref var src = ref MemoryMarshal.GetReference(row);
        ref var dst = ref MemoryMarshal.GetReference(d);
        var w = Vector256<float>.Count;
        if (!Vector256.IsHardwareAccelerated || cols < w)
        {
            for (var r = 0; r < rows; r++) row.CopyTo(d.Slice(r * cols, cols));
            return;
        }
        for (var r = 0; r < rows; r++)
        {
            ref var dr = ref Unsafe.Add(ref dst, r * cols);
            var j = 0;
            if (Vector512.IsHardwareAccelerated)
                for (; j <= cols - 2 * w; j += 2 * w) Vector512.LoadUnsafe(ref src, (nuint)j).StoreUnsafe(ref dr, (nuint)j);
            for (; j <= cols - w; j += w) Vector256.LoadUnsafe(ref src, (nuint)j).StoreUnsafe(ref dr, (nuint)j);
            if (j < cols) Vector256.LoadUnsafe(ref src, (nuint)(cols - w)).StoreUnsafe(ref dr, (nuint)(cols - w)); // overlapping tail
        }
    }

    /// <summary>
    /// Column sums of a row-major rows×cols matrix: d[j] (+)= Σ_r x[r, j], each column summed in row order. One
    /// pass over the rows per block of up to 8 vectors of columns, whose running sums stay in registers: 8 independent
    /// addition chains keep the adder busy where one or two would wait on its latency (the bias gradient of a
    /// batch-128 layer).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ColumnSums(ReadOnlySpan<float> x, int rows, int cols, Span<float> d, bool accumulate)
    {
        if (x.Length < rows * cols || d.Length < cols)
            throw new ArgumentException($"ColumnSums needs {rows}×{cols} inputs and {cols} outputs; got {x.Length} and {d.Length}.");
        var w = Vector<float>.Count;
        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var ds = ref MemoryMarshal.GetReference(d);
        var j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; j <= cols - 8 * w; j += 8 * w)
            {
                var z = Vector<float>.Zero;
                Vector<float> s0 = z, s1 = z, s2 = z, s3 = z, s4 = z, s5 = z, s6 = z, s7 = z;
                if (accumulate)
                {
                    s0 = Vector.LoadUnsafe(ref ds, (nuint)j);
                    s1 = Vector.LoadUnsafe(ref ds, (nuint)(j + w));
                    s2 = Vector.LoadUnsafe(ref ds, (nuint)(j + 2 * w));
                    s3 = Vector.LoadUnsafe(ref ds, (nuint)(j + 3 * w));
                    s4 = Vector.LoadUnsafe(ref ds, (nuint)(j + 4 * w));
                    s5 = Vector.LoadUnsafe(ref ds, (nuint)(j + 5 * w));
                    s6 = Vector.LoadUnsafe(ref ds, (nuint)(j + 6 * w));
                    s7 = Vector.LoadUnsafe(ref ds, (nuint)(j + 7 * w));
                }
                for (var r = 0; r < rows; r++)
                {
                    ref var row = ref Unsafe.Add(ref xs, r * cols + j);
                    s0 += Vector.LoadUnsafe(ref row);
                    s1 += Vector.LoadUnsafe(ref row, (nuint)w);
                    s2 += Vector.LoadUnsafe(ref row, (nuint)(2 * w));
                    s3 += Vector.LoadUnsafe(ref row, (nuint)(3 * w));
                    s4 += Vector.LoadUnsafe(ref row, (nuint)(4 * w));
                    s5 += Vector.LoadUnsafe(ref row, (nuint)(5 * w));
                    s6 += Vector.LoadUnsafe(ref row, (nuint)(6 * w));
                    s7 += Vector.LoadUnsafe(ref row, (nuint)(7 * w));
                }
                s0.StoreUnsafe(ref ds, (nuint)j);
                s1.StoreUnsafe(ref ds, (nuint)(j + w));
                s2.StoreUnsafe(ref ds, (nuint)(j + 2 * w));
                s3.StoreUnsafe(ref ds, (nuint)(j + 3 * w));
                s4.StoreUnsafe(ref ds, (nuint)(j + 4 * w));
                s5.StoreUnsafe(ref ds, (nuint)(j + 5 * w));
                s6.StoreUnsafe(ref ds, (nuint)(j + 6 * w));
                s7.StoreUnsafe(ref ds, (nuint)(j + 7 * w));
            }
            for (; j <= cols - w; j += w)
            {
                var s0 = accumulate ? Vector.LoadUnsafe(ref ds, (nuint)j) : Vector<float>.Zero;
                for (var r = 0; r < rows; r++) s0 += Vector.LoadUnsafe(ref xs, (nuint)(r * cols + j));
                s0.StoreUnsafe(ref ds, (nuint)j);
            }
        }
        for (; j < cols; j++)
        {
            var sum = accumulate ? d[j] : 0f;
            for (var r = 0; r < rows; r++) sum += x[r * cols + j];
            d[j] = sum;
        }
    }

    /// <summary>
    /// The backward pass of an activation through its output y: dx (+)= g · f'(x) written in terms of y (tanh: 1 − y²,
    /// ReLU: y &gt; 0, sigmoid: y(1 − y), exp and identity-like ops: y or 1). One vector loop per kind, nothing
    /// dispatched per element. g and dx may be the same span (the fused Linear backward rewrites g in place).
    /// </summary>
    public static void OutputDerivative(OutputDerivativeKind kind, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx, bool accumulate)
    {
        var n = y.Length;
        if (g.Length < n || dx.Length < n)
            throw new ArgumentException($"OutputDerivative needs {n} gradients and outputs; got {g.Length} and {dx.Length}.");
        switch (kind)
        {
            case OutputDerivativeKind.Tanh: OutputDerivative<TanhDerivative>(y, g, dx, accumulate); break;
            case OutputDerivativeKind.Relu: OutputDerivative<ReluDerivative>(y, g, dx, accumulate); break;
            case OutputDerivativeKind.Sigmoid: OutputDerivative<SigmoidDerivative>(y, g, dx, accumulate); break;
            case OutputDerivativeKind.Exp: OutputDerivative<ExpDerivative>(y, g, dx, accumulate); break;
            case OutputDerivativeKind.Elu: OutputDerivative<EluDerivative>(y, g, dx, accumulate); break;
            default: OutputDerivative<IdentityDerivative>(y, g, dx, accumulate); break;
        }
    }

    /// <summary>
    /// <c>dx[i, j] = y[i, j] &gt; 0 ? g[i]·w[j] : 0</c> for a batch of <c>g.Length</c> rows and <c>w.Length</c> columns: the
    /// input gradient of a one-output linear layer with the ReLU derivative of the layer below applied. Each product is
    /// rounded as the matrix kernel rounds a depth-1 product (a fused multiply-add onto +0), so the bits equal those of
    /// the product followed by <see cref="OutputDerivative(OutputDerivativeKind, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, bool)"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReluMaskedOuterProduct(ReadOnlySpan<float> g, ReadOnlySpan<float> w, ReadOnlySpan<float> y, Span<float> dx)
    {
        int rows = g.Length, cols = w.Length;
        if (y.Length != rows * cols || dx.Length != rows * cols)
            throw new ArgumentException($"ReluMaskedOuterProduct needs {rows}×{cols} values and outputs; got {y.Length} and {dx.Length}.");
        var vw = Vector<float>.Count;
        for (var i = 0; i < rows; i++)
        {
            var gi = g[i];
            var yRow = y.Slice(i * cols, cols);
            var dRow = dx.Slice(i * cols, cols);
            var j = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var vg = new Vector<float>(gi);
                for (; j <= cols - vw; j += vw)
                {
                    var product = Vector.FusedMultiplyAdd(vg, new Vector<float>(w.Slice(j, vw)), Vector<float>.Zero);
                    Vector.ConditionalSelect(Vector.GreaterThan(new Vector<float>(yRow.Slice(j, vw)), Vector<float>.Zero), product, Vector<float>.Zero)
                        .CopyTo(dRow.Slice(j, vw));
                }
            }
            for (; j < cols; j++)
            {
                dRow[j] = yRow[j] > 0f ? MathF.FusedMultiplyAdd(gi, w[j], 0f) : 0f;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OutputDerivative<TOp>(ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx, bool accumulate)
        where TOp : struct, IOutputDerivative
    {
        var n = y.Length;
        ref var ys = ref MemoryMarshal.GetReference(y);
        ref var gs = ref MemoryMarshal.GetReference(g);
        ref var ds = ref MemoryMarshal.GetReference(dx);
        var w = Vector<float>.Count;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= n - w; i += w)
            {
                var r = TOp.Apply(Vector.LoadUnsafe(ref ys, (nuint)i), Vector.LoadUnsafe(ref gs, (nuint)i));
                if (accumulate) r += Vector.LoadUnsafe(ref ds, (nuint)i);
                r.StoreUnsafe(ref ds, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            var r = TOp.Apply(y[i], g[i]);
            dx[i] = accumulate ? dx[i] + r : r;
        }
    }

    /// <summary>g · f'(x) in terms of the output y, for vectors and for single values (same arithmetic).</summary>
    private interface IOutputDerivative
    {
        static abstract Vector<float> Apply(Vector<float> y, Vector<float> g);

        static abstract float Apply(float y, float g);
    }

    private readonly struct TanhDerivative : IOutputDerivative
    {
        public static Vector<float> Apply(Vector<float> y, Vector<float> g) => g * (Vector<float>.One - y * y);

        public static float Apply(float y, float g) => g * (1f - y * y);
    }

    private readonly struct ReluDerivative : IOutputDerivative
    {
        public static Vector<float> Apply(Vector<float> y, Vector<float> g) =>
            Vector.ConditionalSelect(Vector.GreaterThan(y, Vector<float>.Zero), g, Vector<float>.Zero);

        public static float Apply(float y, float g) => y > 0f ? g : 0f;
    }

    private readonly struct SigmoidDerivative : IOutputDerivative
    {
        public static Vector<float> Apply(Vector<float> y, Vector<float> g) => g * y * (Vector<float>.One - y);

        public static float Apply(float y, float g) => g * y * (1f - y);
    }

    private readonly struct ExpDerivative : IOutputDerivative
    {
        public static Vector<float> Apply(Vector<float> y, Vector<float> g) => g * y;

        public static float Apply(float y, float g) => g * y;
    }

    private readonly struct EluDerivative : IOutputDerivative
    {
        public static Vector<float> Apply(Vector<float> y, Vector<float> g) =>
            Vector.ConditionalSelect(Vector.GreaterThan(y, Vector<float>.Zero), g, g * (y + Vector<float>.One));

        public static float Apply(float y, float g) => y > 0f ? g : g * (y + 1f);
    }

    private readonly struct IdentityDerivative : IOutputDerivative
    {
        public static Vector<float> Apply(Vector<float> y, Vector<float> g) => g;

        public static float Apply(float y, float g) => g;
    }

    /// <summary>
    /// tanh(|x|) = −expm1(−2|x|) / (2 + expm1(−2|x|)) with the sign of x restored. expm1 avoids the
    /// cancellation of (1 − e^y) near zero: y = k·ln2 + r with |r| ≤ ln2/2, expm1(r) by its Taylor series
    /// to r⁷ (error below 2^−24 relative), and expm1(y) = 2^k·expm1(r) + (2^k − 1), exact for k = 0.
    /// </summary>
    /// <summary>
    /// <see cref="TanhVector"/> on 512-bit vectors: the same operations in the same order, so every lane gets the same
    /// bits as on the <see cref="Vector{T}"/> path (which is 256-bit on x64 even where AVX-512 is available).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> TanhVector512(Vector512<float> x)
    {
        var a = Vector512.MinNative(Vector512.Abs(x), Vector512.Create(TanhClamp));
        var y = a * Vector512.Create(-2f);
        var k = Vector512.Floor(y * Vector512.Create(Log2E) + Vector512.Create(0.5f));
        var r = Vector512.FusedMultiplyAdd(k, Vector512.Create(-Ln2Lo), Vector512.FusedMultiplyAdd(k, Vector512.Create(-Ln2Hi), y));
        var p = Vector512.FusedMultiplyAdd(Vector512.Create(1f / 5040f), r, Vector512.Create(1f / 720f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 120f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 24f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 6f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(0.5f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        p *= r;
        var scale = Vector512.ShiftLeft(Vector512.ConvertToInt32Native(k) + Vector512.Create(127), 23).AsSingle();
        var em1 = Vector512.FusedMultiplyAdd(scale, p, scale - Vector512<float>.One);
        var t = -em1 / (Vector512.Create(2f) + em1);
        var signBit = x.AsUInt32() & Vector512.Create(0x8000_0000u);
        var signed = (t.AsUInt32() | signBit).AsSingle();
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), signed, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> TanhVector(Vector<float> x)
    {
        var a = Vector.MinNative(Vector.Abs(x), new Vector<float>(TanhClamp));
        var y = a * new Vector<float>(-2f);
        var k = Vector.Floor(y * new Vector<float>(Log2E) + new Vector<float>(0.5f));
        var r = Vector.FusedMultiplyAdd(k, new Vector<float>(-Ln2Lo), Vector.FusedMultiplyAdd(k, new Vector<float>(-Ln2Hi), y));
        // expm1(r) = r(1 + r(1/2 + r(1/6 + r(1/24 + r(1/120 + r(1/720 + r/5040))))))
        var p = Vector.FusedMultiplyAdd(new Vector<float>(1f / 5040f), r, new Vector<float>(1f / 720f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1f / 120f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1f / 24f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1f / 6f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(0.5f));
        p = Vector.FusedMultiplyAdd(p, r, Vector<float>.One);
        p *= r;
        var scale = Vector.AsVectorSingle(Vector.ShiftLeft(Vector.ConvertToInt32Native(k) + new Vector<int>(127), 23));
        var em1 = Vector.FusedMultiplyAdd(scale, p, scale - Vector<float>.One);
        var t = -em1 / (new Vector<float>(2f) + em1);
        // Restore the sign of x, and let NaN through (Min would have replaced it by the clamp).
        var signBit = Vector.AsVectorUInt32(x) & new Vector<uint>(0x8000_0000u);
        var signed = Vector.AsVectorSingle(Vector.AsVectorUInt32(t) | signBit);
        return Vector.ConditionalSelect(Vector.Equals(x, x), signed, x);
    }
}
