using RlExperiments.Core;

namespace RlExperiments.Tensors.Distributions;

/// <summary>
/// A batch of diagonal Gaussians with mean [batch, d] and log standard deviation [batch, d] or [d]
/// (state-independent, as PPO uses). Log-probabilities and entropies are summed over the last
/// dimension, giving one value per row, as Stable-Baselines3's DiagGaussian does.
/// </summary>
public readonly struct Normal
{
    private static readonly float HalfLog2Pi = 0.5f * MathF.Log(2f * MathF.PI);

    /// <summary>Creates the distributions.</summary>
    public Normal(Tensor mean, Tensor logStd)
    {
        if (mean.Rank != 2)
            throw new ArgumentException($"Normal needs a mean of shape [batch, d]; got {mean.ShapeString}.", nameof(mean));
        var d = mean.Shape[1];
        var ok = logStd.Shape.SequenceEqual(mean.Shape) || (logStd.Rank == 1 && logStd.Shape[0] == d);
        if (!ok)
            throw new ArgumentException($"Normal: logStd {logStd.ShapeString} must be [{d}] or {mean.ShapeString} for mean {mean.ShapeString}.", nameof(logStd));
        Mean = mean;
        LogStd = logStd;
        Std = logStd.Exp();
    }

    /// <summary>Means, [batch, d].</summary>
    public Tensor Mean { get; }

    /// <summary>Log standard deviations, [batch, d] or [d].</summary>
    public Tensor LogStd { get; }

    /// <summary>Standard deviations.</summary>
    public Tensor Std { get; }

    /// <summary>Σ_d log N(x | μ, σ), [batch]: −½((x − μ)/σ)² − log σ − ½log 2π, summed over d.</summary>
    public Tensor LogProb(Tensor x)
    {
        var z = (x - Mean) / Std;
        return (z * z * -0.5f - LogStd - HalfLog2Pi).Sum(1);
    }

    /// <summary>Σ_d (½ + ½log 2π + log σ), [batch].</summary>
    public Tensor Entropy()
    {
        var perDim = LogStd + (0.5f + HalfLog2Pi);
        if (perDim.Rank == 1)
        {
            // State-independent log-std: the same entropy for every row.
            var rows = Mean.Shape[0];
            return (Tensor.Zeros([rows, perDim.Shape[0]]) + perDim).Sum(1);
        }
        return perDim.Sum(1);
    }

    /// <summary>A draw with no gradient.</summary>
    public Tensor Sample(Rng rng)
    {
        using var _ = Tensor.NoGrad();
        return RSample(rng);
    }

    /// <summary>A reparameterised draw μ + σ·ε, ε ~ N(0, I): gradients flow to the mean and log-std.</summary>
    public Tensor RSample(Rng rng)
    {
        var eps = Tensor.Empty(Mean.Shape);
        rng.FillNormal(eps.Data);
        return Mean + Std * eps;
    }

    /// <summary>The mean (the deterministic policy).</summary>
    public Tensor Mode() => Mean;
}
