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
        for (var r = 0; r < rows; r++) dst[r] = SampleRow(lp.Slice(r * n, n), rng);
        return result;
    }

    /// <summary>
    /// <c>new Categorical(logits).Sample(rng)</c> and its <c>LogProb</c> on plain spans, for acting without tensors:
    /// <paramref name="logits"/> holds <paramref name="actions"/>.Length rows of n logits; each row's action (an
    /// integer-valued float) and log-probability are written. The same draws and values, bit for bit, as the tensor path.
    /// </summary>
    /// <param name="logits">Rows × n unnormalised logits, row-major.</param>
    /// <param name="rng">The random stream (one <see cref="Rng.NextDouble"/> per row, in row order).</param>
    /// <param name="actions">One action per row.</param>
    /// <param name="logProbs">One log π(a) per row.</param>
    /// <param name="scratch">At least n floats of work space.</param>
    public static void SampleFromLogits(ReadOnlySpan<float> logits, Rng rng, Span<float> actions, Span<float> logProbs, Span<float> scratch)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var rows = actions.Length;
        if (rows == 0 || logits.Length % rows != 0 || logits.Length == 0 || logProbs.Length != rows)
            throw new ArgumentException($"SampleFromLogits: {logits.Length} logits, {rows} actions and {logProbs.Length} log-probs do not describe whole rows.", nameof(logits));
        var n = logits.Length / rows;
        if (scratch.Length < n)
            throw new ArgumentException($"SampleFromLogits: scratch needs {n} floats; got {scratch.Length}.", nameof(scratch));
        var lp = scratch[..n];
        for (var r = 0; r < rows; r++)
        {
            Tensor.LogSoftmaxRow(logits.Slice(r * n, n), lp);
            var pick = SampleRow(lp, rng);
            actions[r] = pick;
            logProbs[r] = lp[pick];
        }
    }

    /// <summary>Inverse-CDF draw from one row of log-probabilities.</summary>
    private static int SampleRow(ReadOnlySpan<float> logProbs, Rng rng)
    {
        var u = rng.NextDouble();
        var cumulative = 0.0;
        for (var j = 0; j < logProbs.Length; j++)
        {
            cumulative += Math.Exp(logProbs[j]);
            if (u < cumulative) return j;
        }
        return logProbs.Length - 1;
    }

    /// <summary>The most likely action per row (the deterministic policy).</summary>
    public Tensor Mode() => Logits.Argmax(1);
}
