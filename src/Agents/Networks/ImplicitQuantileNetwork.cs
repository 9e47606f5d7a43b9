using RlExperiments.Core;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Networks;

/// <summary>
/// The implicit quantile network of Dabney et al. (2018), laid out as Tianshou's <c>ImplicitQuantileNetwork</c>: a
/// preprocess network ψ(s) ∈ ℝᶠ, a cosine embedding φ(τ) = ReLU(W·[cos(π i τ)]ᵢ₌₁..ₙ + b) ∈ ℝᶠ of a quantile
/// fraction τ ∈ [0, 1], and a head f giving the τ-quantile of each action's return, Z_τ(s, a) = f(ψ(s) ⊙ φ(τ))ₐ.
/// </summary>
public sealed class ImplicitQuantileNetwork : Module
{
    private readonly Module _preprocess;
    private readonly Linear _embedding;
    private readonly Module _head;
    private readonly float[] _midpoints;

    /// <summary>Builds the network; the embedding and the head get PyTorch's default initialisation from <paramref name="rng"/>.</summary>
    /// <param name="preprocess">ψ: observations <c>[B, obs]</c> → features <c>[B, featureSize]</c>.</param>
    /// <param name="featureSize">The width f of ψ's output.</param>
    /// <param name="numActions">Actions (quantile outputs per fraction).</param>
    /// <param name="headHiddenSizes">Hidden widths of the head f (empty: one linear layer).</param>
    /// <param name="activation">The head's hidden activation.</param>
    /// <param name="numCosines">Cosines n of the embedding.</param>
    /// <param name="evaluationQuantiles">Midpoint fractions K averaged by <see cref="Forward"/>.</param>
    /// <param name="rng">The initialisation stream.</param>
    public ImplicitQuantileNetwork(Module preprocess, int featureSize, int numActions, IReadOnlyList<int> headHiddenSizes, Activation activation,
        int numCosines, int evaluationQuantiles, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(preprocess);
        ArgumentOutOfRangeException.ThrowIfLessThan(featureSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numActions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numCosines, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(evaluationQuantiles, 1);
        FeatureSize = featureSize;
        NumActions = numActions;
        NumCosines = numCosines;
        _preprocess = RegisterModule("preprocess", preprocess);
        _embedding = RegisterModule("embedding", new Linear(numCosines, featureSize, rng));
        _head = RegisterModule("head", new Mlp(featureSize, headHiddenSizes, numActions, activation, rng));
        _midpoints = new float[evaluationQuantiles];
        for (var k = 0; k < evaluationQuantiles; k++) _midpoints[k] = (2f * k + 1f) / (2f * evaluationQuantiles);
    }

    /// <summary>The width f of ψ(s) and φ(τ).</summary>
    public int FeatureSize { get; }

    /// <summary>Actions.</summary>
    public int NumActions { get; }

    /// <summary>Cosines n of the embedding.</summary>
    public int NumCosines { get; }

    /// <summary>The fixed fractions τ̂ₖ = (2k + 1)/(2K) <see cref="Forward"/> averages over.</summary>
    public ReadOnlySpan<float> Midpoints => _midpoints;

    /// <summary>
    /// Writes the cosine features cos(π i τ), i = 1..<paramref name="numCosines"/>, of each fraction in
    /// <paramref name="taus"/> as a row of <paramref name="features"/> (<c>[taus.Length, numCosines]</c>). Uses the
    /// recurrence cos((i + 1)x) = 2 cos(x) cos(ix) − cos((i − 1)x) in double precision: one cosine per fraction.
    /// </summary>
    public static void CosineFeatures(ReadOnlySpan<float> taus, int numCosines, Span<float> features)
    {
        if (features.Length != taus.Length * numCosines)
            throw new ArgumentException($"features must hold {taus.Length} × {numCosines} floats; got {features.Length}.", nameof(features));
        for (var r = 0; r < taus.Length; r++)
        {
            var c1 = Math.Cos(Math.PI * taus[r]);
            double previous = 1, current = c1;             // cos(0·x), cos(1·x)
            var row = features.Slice(r * numCosines, numCosines);
            for (var i = 0; i < numCosines; i++)
            {
                row[i] = (float)current;
                var next = 2 * c1 * current - previous;
                previous = current;
                current = next;
            }
        }
    }

    /// <summary>
    /// Quantiles Z_τ(s, ·) for each observation row and each of its fractions: <paramref name="observations"/>
    /// <c>[B, obs]</c>, <paramref name="taus"/> <c>[B, N]</c> → <c>[B·N, actions]</c>, row b·N + i holding Z at τ[b, i].
    /// Differentiable in the network's weights (not in τ).
    /// </summary>
    public Tensor Quantiles(Tensor observations, Tensor taus)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(taus);
        var psi = _preprocess.Forward(observations);                                    // ψ(s): [B, f]
        if (psi.Shape.Length != 2 || psi.Shape[1] != FeatureSize || taus.Shape.Length != 2 || taus.Shape[0] != psi.Shape[0])
            throw new ArgumentException($"Quantiles: ψ(s) is {psi.ShapeString} and τ {taus.ShapeString}; expected [B, {FeatureSize}] and [B, N].");
        var cosines = Tensor.Empty([taus.Count, NumCosines]);                         // [B·N, n], no gradient
        CosineFeatures(taus.Data, NumCosines, cosines.Data);
        var phi = Tensor.Linear(cosines, _embedding.Weight, _embedding.Bias, Activation.ReLU);   // φ(τ): [B·N, f]
        return _head.Forward(Functional.RepeatMul(psi, phi));                          // f(ψ(s) ⊙ φ(τ)): [B·N, A]
    }

    /// <summary>
    /// Writes Q(s, a) = mean over the N fractions of Z_τ(s, a) from <see cref="Quantiles"/>' output
    /// (<c>[B·N, A]</c>) into <paramref name="q"/> (<c>[B·A]</c>).
    /// </summary>
    public static void MeanOverQuantiles(ReadOnlySpan<float> quantiles, int rows, int n, int actions, Span<float> q)
    {
        for (var b = 0; b < rows; b++)
        {
            var qb = q.Slice(b * actions, actions);
            qb.Clear();
            for (var i = 0; i < n; i++)
            {
                var z = quantiles.Slice((b * n + i) * actions, actions);
                for (var a = 0; a < actions; a++) qb[a] += z[a];
            }
            for (var a = 0; a < actions; a++) qb[a] /= n;
        }
    }

    /// <summary>
    /// Q-values <c>[B, actions]</c>: the mean of the quantiles at the K fixed midpoints <see cref="Midpoints"/>, a
    /// deterministic estimate of E[Z(s, a)], for acting (no gradient flows through it).
    /// </summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var rows = input.Shape[0];
        var k = _midpoints.Length;
        var taus = Tensor.Empty([rows, k]);
        var t = taus.Data;
        for (var b = 0; b < rows; b++) _midpoints.CopyTo(t.Slice(b * k, k));
        var z = Quantiles(input, taus);
        var q = Tensor.Empty([rows, NumActions]);
        MeanOverQuantiles(z.Data, rows, k, NumActions, q.Data);
        return q;
    }
}
