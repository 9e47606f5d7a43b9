using RlExperiments.Core;

namespace RlExperiments.Tensors.Distributions;

/// <summary>
/// A batch of categorical distributions parameterised by unnormalised <c>logits</c> [batch, n]
/// (PyTorch's <c>Categorical(logits=...)</c>). Actions are integer-valued floats, one per row.
/// </summary>
public readonly struct Categorical
{
    /// <summary>Creates the distributions; log-probabilities are computed once, with gradient to the logits.</summary>
    public Categorical(Tensor logits)
    {
        if (logits.Rank != 2)
            throw new ArgumentException($"Categorical needs logits of shape [batch, n]; got {logits.ShapeString}.", nameof(logits));
        Logits = logits;
        LogProbs = logits.LogSoftmax();
    }

    /// <summary>The logits given.</summary>
    public Tensor Logits { get; }

    /// <summary>Normalised log-probabilities, [batch, n].</summary>
    public Tensor LogProbs { get; }

    /// <summary>Probabilities, [batch, n].</summary>
    public Tensor Probs => LogProbs.Exp();

    /// <summary>log π(a) for one action per row, [batch].</summary>
    public Tensor LogProb(Tensor actions) => LogProbs.Gather(1, actions);

    /// <summary>Entropy per row, −Σ p·log p, [batch].</summary>
    public Tensor Entropy() => -(LogProbs.Exp() * LogProbs).Sum(1);

    /// <summary>Draws one action per row by inverse-CDF sampling (no gradient).</summary>
    public Tensor Sample(Rng rng)
    {
        using var _ = Tensor.NoGrad();
        int rows = LogProbs.Shape[0], n = LogProbs.Shape[1];
        var result = Tensor.Empty([rows]);
        var lp = LogProbs.Data;
        var dst = result.Data;
        for (var r = 0; r < rows; r++)
        {
            var u = rng.NextDouble();
            var cumulative = 0.0;
            var pick = n - 1;
            for (var j = 0; j < n; j++)
            {
                cumulative += Math.Exp(lp[r * n + j]);
                if (u < cumulative) { pick = j; break; }
            }
            dst[r] = pick;
        }
        return result;
    }

    /// <summary>The most likely action per row (the deterministic policy).</summary>
    public Tensor Mode() => Logits.Argmax(1);
}
