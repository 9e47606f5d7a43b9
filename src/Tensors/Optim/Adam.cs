using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using RlExperiments.Tensors.Kernels;

namespace RlExperiments.Tensors.Optim;

/// <summary>
/// Adam (Kingma and Ba), as <c>torch.optim.Adam</c> computes it:
/// <code>
/// g ← ∇θ + λθ                        (L2 weight decay, Adam only)
/// m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²
/// θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// </summary>
public class Adam : Optimizer
{
    private static readonly string[] Names = ["exp_avg", "exp_avg_sq"];
    private readonly float[]?[] _m;
    private readonly float[]?[] _v;

    /// <summary>Creates the optimiser with PyTorch's defaults.</summary>
    public Adam(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : base(parameters, learningRate)
    {
        CheckRange(nameof(beta1), beta1, 0, 1);
        CheckRange(nameof(beta2), beta2, 0, 1);
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be ≥ 0.");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weightDecay must be ≥ 0.");
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        _m = new float[Params.Length][];
        _v = new float[Params.Length][];
    }

    /// <summary>Decay rate of the first-moment average.</summary>
    public double Beta1 { get; }

    /// <summary>Decay rate of the second-moment average.</summary>
    public double Beta2 { get; }

    /// <summary>Added to the denominator for numerical stability.</summary>
    public double Eps { get; }

    /// <summary>Weight decay coefficient λ (L2 penalty for Adam; decoupled for <see cref="AdamW"/>).</summary>
    public double WeightDecay { get; }

    /// <summary>True when weight decay is decoupled from the gradient (AdamW).</summary>
    protected virtual bool Decoupled => false;

    /// <inheritdoc />
    public override void Step()
    {
        StepCount++;
        var bc1 = 1 - Math.Pow(Beta1, StepCount);
        var bc2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, StepCount));
        var work = _step ??= new StepWork(this);
        work.StepSize = (float)(LearningRate / bc1);
        work.InvBc2Sqrt = (float)(1 / bc2Sqrt);
        work.Decay = Decoupled ? (float)(1 - LearningRate * WeightDecay) : 1f;
        for (var i = 0; i < Params.Length; i++)
        {
            if (GradOf(i).IsEmpty) continue;
            _m[i] ??= new float[Params[i].Count];
            _v[i] ??= new float[Params[i].Count];
        }
        // Each weight's update reads only its own gradient and moments, so the weights are split into one share per
        // core when there are enough of them (SAC's critics), with the same bits on any number of threads.
        work.RunShares();
    }

    // The step over one piece of the weights; the scalars of the current step are set before each run.
    private sealed class StepWork(Adam owner) : ElementwiseWork(owner.Params)
    {
        private readonly float _b1 = (float)owner.Beta1, _b2 = (float)owner.Beta2, _eps = (float)owner.Eps;
        private readonly float _l2 = owner.Decoupled ? 0f : (float)owner.WeightDecay;
        public float StepSize, InvBc2Sqrt, Decay;

        protected override void Piece(int i, int start, int length)
        {
            var g = owner.GradOf(i);
            if (g.IsEmpty) return;
            Update(Tensors[i].Data.Slice(start, length), g.Slice(start, length), owner._m[i].AsSpan(start, length),
                owner._v[i].AsSpan(start, length), _b1, _b2, StepSize, InvBc2Sqrt, _eps, _l2, Decay, flush: _eps > 0f);
        }
    }

    private StepWork? _step;

    // Flush-to-zero for the moment estimates. A weight whose gradient stays zero (a dead ReLU unit) or tiny sees its
    // moments decay geometrically through the subnormal range, where every x64 vector instruction touching them takes a
    // microcode assist of ~100 cycles: measured in the DQN benchmark, 70 subnormal entries out of 9220 made Adam.Step
    // 8 µs instead of 2.3 µs. Moments below these thresholds are stored as 0 instead (what PyTorch does under
    // torch.set_flush_denormal(True)), and squares of gradients below 1e-15 are not formed. Values are unchanged
    // elsewhere, and the parameter update is unaffected to float precision: with |m| < 1e-30 the step is below
    // lr·1e-30/ε, and √v < 3.2e-17 is at most about one ulp of ε in the denominator. With ε = 0 nothing is flushed
    // (a zero v would then divide by zero).
    private const float TinyMoment = 1e-30f;
    private const float TinySecondMoment = 1e-35f;
    private const float TinySquaredGradient = 1e-15f;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Update(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        float b1, float b2, float stepSize, float invBc2Sqrt, float eps, float l2, float decay, bool flush)
    {
        var tinyMoment = flush ? TinyMoment : 0f;
        var tinySecondMoment = flush ? TinySecondMoment : 0f;
        var tinySquaredGradient = flush ? TinySquaredGradient : 0f;
        var n = p.Length;
        var w = Vector<float>.Count;
        var i = 0;
        var vb1 = new Vector<float>(1 - b1);
        var vb2 = new Vector<float>(b2);
        var v1b2 = new Vector<float>(1 - b2);
        var vStep = new Vector<float>(stepSize);
        var vInv = new Vector<float>(invBc2Sqrt);
        var vEps = new Vector<float>(eps);
        var vL2 = new Vector<float>(l2);
        var vDecay = new Vector<float>(decay);
        var tinyM = new Vector<float>(tinyMoment);
        var tinyV = new Vector<float>(tinySecondMoment);
        var tinyG = new Vector<float>(tinySquaredGradient);
        if (Vector512.IsHardwareAccelerated)
        {
            // The same arithmetic 16 lanes at a time (every operation is per lane, so the bits are those of the loops
            // below): the step is bound by the square root and the division, and a 512-bit one takes about as long as
            // a 256-bit one on this kind of core (SAC's 67k-weight critic: 20.6 µs with 8 lanes, 10.5 µs with 16, data
            // in L2).
            i = Update512(p, g, m, v, 1 - b1, b2, 1 - b2, stepSize, invBc2Sqrt, eps, l2, decay, tinyMoment, tinySecondMoment, tinySquaredGradient);
        }
        for (; i <= n - w; i += w)
        {
            var pv = new Vector<float>(p.Slice(i, w));
            var gv = new Vector<float>(g.Slice(i, w)) + vL2 * pv;
            var mv = new Vector<float>(m.Slice(i, w));
            mv += vb1 * (gv - mv);                                  // m.lerp_(g, 1 - β₁)
            mv = Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(mv), tinyM), Vector<float>.Zero, mv);
            var gq = Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(gv), tinyG), Vector<float>.Zero, gv);
            var vv = vb2 * new Vector<float>(v.Slice(i, w)) + v1b2 * gq * gq;
            vv = Vector.ConditionalSelect(Vector.LessThan(vv, tinyV), Vector<float>.Zero, vv);
            var denom = Vector.SquareRoot(vv) * vInv + vEps;
            pv = pv * vDecay - vStep * mv / denom;
            mv.CopyTo(m.Slice(i, w));
            vv.CopyTo(v.Slice(i, w));
            pv.CopyTo(p.Slice(i, w));
        }
        for (; i < n; i++)
        {
            var gi = g[i] + l2 * p[i];
            var mi = m[i] + (1 - b1) * (gi - m[i]);
            m[i] = MathF.Abs(mi) < tinyMoment ? 0f : mi;
            var gq = MathF.Abs(gi) < tinySquaredGradient ? 0f : gi;
            var vi = b2 * v[i] + (1 - b2) * gq * gq;
            v[i] = vi < tinySecondMoment ? 0f : vi;
            p[i] = p[i] * decay - stepSize * m[i] / (MathF.Sqrt(v[i]) * invBc2Sqrt + eps);
        }
    }

    // The vector loop of Update with 512-bit vectors; returns how many elements it did (a multiple of 16).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Update512(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, float oneMinusB1, float b2,
        float oneMinusB2, float stepSize, float invBc2Sqrt, float eps, float l2, float decay, float tinyMoment, float tinySecondMoment,
        float tinySquaredGradient)
    {
        var n = p.Length;
        var i = 0;
        var vb1 = Vector512.Create(oneMinusB1);
        var vb2 = Vector512.Create(b2);
        var v1b2 = Vector512.Create(oneMinusB2);
        var vStep = Vector512.Create(stepSize);
        var vInv = Vector512.Create(invBc2Sqrt);
        var vEps = Vector512.Create(eps);
        var vL2 = Vector512.Create(l2);
        var vDecay = Vector512.Create(decay);
        var tinyM = Vector512.Create(tinyMoment);
        var tinyV = Vector512.Create(tinySecondMoment);
        var tinyG = Vector512.Create(tinySquaredGradient);
        ref var ps = ref MemoryMarshal.GetReference(p);
        ref var gs = ref MemoryMarshal.GetReference(g);
        ref var ms = ref MemoryMarshal.GetReference(m);
        ref var vs = ref MemoryMarshal.GetReference(v);
        for (; i <= n - 16; i += 16)
        {
            var pv = Vector512.LoadUnsafe(ref ps, (nuint)i);
            var gv = Vector512.LoadUnsafe(ref gs, (nuint)i) + vL2 * pv;
            var mv = Vector512.LoadUnsafe(ref ms, (nuint)i);
            mv += vb1 * (gv - mv);
            mv = Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(mv), tinyM), Vector512<float>.Zero, mv);
            var gq = Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(gv), tinyG), Vector512<float>.Zero, gv);
            var vv = vb2 * Vector512.LoadUnsafe(ref vs, (nuint)i) + v1b2 * gq * gq;
            vv = Vector512.ConditionalSelect(Vector512.LessThan(vv, tinyV), Vector512<float>.Zero, vv);
            var denom = Vector512.Sqrt(vv) * vInv + vEps;
            pv = pv * vDecay - vStep * mv / denom;
            mv.StoreUnsafe(ref ms, (nuint)i);
            vv.StoreUnsafe(ref vs, (nuint)i);
            pv.StoreUnsafe(ref ps, (nuint)i);
        }

        return i;
    }

    /// <inheritdoc />
    protected override IReadOnlyList<string> BufferNames => Names;

    /// <inheritdoc />
    protected override float[]? Buffer(string name, int index) => name == "exp_avg" ? _m[index] : _v[index];

    /// <inheritdoc />
    protected override float[] CreateBuffer(string name, int index) =>
        name == "exp_avg" ? _m[index] = new float[Params[index].Count] : _v[index] = new float[Params[index].Count];

    internal static void CheckRange(string name, double value, double lowInclusive, double highExclusive)
    {
        if (!(value >= lowInclusive && value < highExclusive))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in [{lowInclusive}, {highExclusive}).");
    }
}
