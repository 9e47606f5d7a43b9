using RlExperiments.Core;

namespace RlExperiments.Tensors.Distributions;

/// <summary>
/// The tanh-squashed diagonal Gaussian of SAC: a = tanh(u), u ~ N(μ, σ). Its log-density carries the
/// change-of-variables correction <c>−Σ log(1 − tanh²u)</c>, computed in the exact, stable form
/// <c>log(1 − tanh²u) = 2(log 2 − u − softplus(−2u))</c> rather than with an ε inside the log.
/// </summary>
public readonly struct TanhNormal
{
    private static readonly float Log2 = MathF.Log(2f);

    /// <summary>Creates the distribution from the pre-squash Gaussian's mean and log-std.</summary>
    public TanhNormal(Tensor mean, Tensor logStd) => Base = new Normal(mean, logStd);

    /// <summary>The Gaussian before squashing.</summary>
    public Normal Base { get; }

    /// <summary>A reparameterised squashed draw and its log-probability [batch], both with gradient.</summary>
    public (Tensor Action, Tensor LogProb) RSampleWithLogProb(Rng rng)
    {
        var u = Base.RSample(rng);
        return (u.Tanh(), LogProbOfPreSquash(u));
    }

    /// <summary>log π(tanh u) for pre-squash values <paramref name="u"/> [batch, d].</summary>
    public Tensor LogProbOfPreSquash(Tensor u)
    {
        // log(1 - tanh(u)^2) = 2 * (log 2 - u - softplus(-2u))
        var logDetJacobian = ((-2f * u).Softplus() + u - Log2) * -2f;
        return Base.LogProb(u) - logDetJacobian.Sum(1);
    }

    /// <summary>tanh(μ): the deterministic action.</summary>
    public Tensor Mode() => Base.Mean.Tanh();
}
