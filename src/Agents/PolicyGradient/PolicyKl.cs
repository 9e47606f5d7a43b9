using RlExperiments.Agents.Networks;
using RlExperiments.Tensors;

namespace RlExperiments.Agents.PolicyGradient;

/// <summary>The mean KL divergence between a saved policy output and a policy network's current one.</summary>
public static class PolicyKl
{
    /// <summary>
    /// <c>mean_i KL(π_old(·|s_i) ‖ π_θ(·|s_i))</c> over the observations: for a categorical
    /// <c>Σ_a p_old (log p_old − log p_θ)</c>; for a diagonal Gaussian
    /// <c>Σ_d [log σ_θ − log σ_old + (σ_old² + (μ_old − μ_θ)²) / 2σ_θ² − ½]</c>. Computed in double, without gradient.
    /// </summary>
    /// <param name="policy">The current policy.</param>
    /// <param name="observations">Observations [B, obs].</param>
    /// <param name="oldOutput">The old policy's output [B·k] on the same observations (logits or means).</param>
    /// <param name="oldLogStd">The old log-std [k] of a Gaussian policy (empty for a categorical one).</param>
    public static double Mean(IStochasticPolicyNetwork policy, Tensor observations, ReadOnlySpan<float> oldOutput, ReadOnlySpan<float> oldLogStd)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(observations);
        using var scope = Tensor.Scope();
        using var noGrad = Tensor.NoGrad();
        var output = policy.Forward(observations).Data;
        var rows = observations.Shape[0];
        var k = policy.ActionOutputs;
        if (output.Length != oldOutput.Length)
            throw new ArgumentException($"oldOutput has {oldOutput.Length} values; the policy gives {output.Length}.", nameof(oldOutput));
        double sum = 0;
        if (policy.IsContinuous)
        {
            var logStd = policy.LogStd!.Data;
            for (var r = 0; r < rows; r++)
                for (var j = 0; j < k; j++)
                {
                    double ls0 = oldLogStd[j], ls1 = logStd[j];
                    var d = (double)oldOutput[r * k + j] - output[r * k + j];
                    sum += ls1 - ls0 + (Math.Exp(2 * ls0) + d * d) / (2 * Math.Exp(2 * ls1)) - 0.5;
                }
        }
        else
        {
            for (var r = 0; r < rows; r++)
            {
                var lse0 = LogSumExp(oldOutput.Slice(r * k, k));
                var lse1 = LogSumExp(output.Slice(r * k, k));
                for (var j = 0; j < k; j++)
                {
                    var lp0 = oldOutput[r * k + j] - lse0;
                    var lp1 = output[r * k + j] - lse1;
                    sum += Math.Exp(lp0) * (lp0 - lp1);
                }
            }
        }
        return sum / rows;
    }

    private static double LogSumExp(ReadOnlySpan<float> x)
    {
        double max = double.NegativeInfinity, s = 0;
        foreach (var v in x) max = Math.Max(max, v);
        foreach (var v in x) s += Math.Exp(v - max);
        return max + Math.Log(s);
    }
}
