using RlExperiments.Tensors;

namespace RlExperiments.Agents.Algorithms.A2c;

/// <summary>The terms of A2C's objective as plain functions (used by <see cref="A2cAgent"/> and testable on their own).</summary>
public static class A2cLoss
{
    /// <summary>The policy-gradient loss, to minimise: <c>L^PG = −mean(log π_θ(a|s) · A)</c>.</summary>
    /// <param name="logProb">log π_θ(a|s), [B], with gradient.</param>
    /// <param name="advantages">A, [B] (no gradient).</param>
    public static Tensor PolicyLoss(Tensor logProb, Tensor advantages) => -(logProb * advantages).Mean();

    /// <summary>The value loss: <c>L^V = mean((R − V_θ(s))²)</c>.</summary>
    /// <param name="values">V_θ(s), [B], with gradient.</param>
    /// <param name="returns">R = A + V_old, [B].</param>
    public static Tensor ValueLoss(Tensor values, Tensor returns) => Functional.MseLoss(values, returns);

    /// <summary>The total loss: <c>L = L^PG + c_vf·L^V − c_ent·H</c> (no entropy term when <paramref name="entropy"/> is null).</summary>
    public static Tensor Total(Tensor policyLoss, Tensor valueLoss, Tensor? entropy, double vfCoef, double entCoef)
    {
        ArgumentNullException.ThrowIfNull(policyLoss);
        var loss = policyLoss + valueLoss * (float)vfCoef;
        if (entropy is not null && entCoef > 0) loss -= entropy * (float)entCoef;
        return loss;
    }
}
