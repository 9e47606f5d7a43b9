using RlExperiments.Environments.Wrappers;

namespace RlExperiments.Agents.Normalization;

/// <summary>
/// Reward scaling as Stable-Baselines3's <c>VecNormalize(norm_reward=True)</c>: each environment keeps a
/// discounted return <c>Gₜ = γ·Gₜ₋₁ + rₜ</c> (reset to 0 when its episode ends), the running variance of those
/// returns is tracked, and rewards are divided by <c>√(var + ε)</c> and clipped to [−clip, clip] (not centred).
/// Used only while training: evaluation reports raw returns.
/// </summary>
public sealed class RewardNormalizer
{
    private readonly float[] _returns;

    /// <summary>Creates the normaliser for <paramref name="numEnvs"/> environments.</summary>
    /// <param name="numEnvs">Number of environments; at least 1.</param>
    /// <param name="gamma">The discount of the tracked returns, in [0, 1] (use the algorithm's γ).</param>
    /// <param name="clip">Scaled rewards are clipped to [−clip, clip]; positive (default 10).</param>
    /// <param name="epsilon">Added to the variance; non-negative (default 1e-8).</param>
    public RewardNormalizer(int numEnvs, double gamma, double clip = 10.0, double epsilon = 1e-8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numEnvs, 1);
        if (!(gamma >= 0 && gamma <= 1)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must lie in [0, 1].");
        if (!(clip > 0)) throw new ArgumentOutOfRangeException(nameof(clip), clip, "clip must be positive.");
        if (!(epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be ≥ 0.");
        Gamma = gamma;
        Clip = clip;
        Epsilon = epsilon;
        _returns = new float[numEnvs];
        Statistics = new RunningMeanStd(1);
    }

    /// <summary>The discount of the tracked returns.</summary>
    public double Gamma { get; }

    /// <summary>The clip bound of scaled rewards.</summary>
    public double Clip { get; }

    /// <summary>The constant added to the variance.</summary>
    public double Epsilon { get; }

    /// <summary>The running statistics of the discounted returns.</summary>
    public RunningMeanStd Statistics { get; }

    /// <summary>Zeroes the tracked returns (on an environment reset).</summary>
    public void ResetReturns() => Array.Clear(_returns);

    /// <summary>A copy of the running discounted returns, one per environment (for checkpoints).</summary>
    public double[] GetReturns() => Array.ConvertAll(_returns, r => (double)r);

    /// <summary>Restores returns taken with <see cref="GetReturns"/>.</summary>
    /// <exception cref="ArgumentException">The length differs from the number of environments.</exception>
    public void SetReturns(ReadOnlySpan<double> returns)
    {
        if (returns.Length != _returns.Length)
            throw new ArgumentException($"Expected {_returns.Length} returns (one per environment); got {returns.Length}.", nameof(returns));
        for (var i = 0; i < _returns.Length; i++) _returns[i] = (float)returns[i];
    }

    /// <summary>
    /// One vector step: updates the returns with <paramref name="rewards"/> and the statistics with the returns,
    /// writes the scaled rewards to <paramref name="scaled"/>, then zeroes the returns of environments whose
    /// episode ended (<paramref name="dones"/>), in VecNormalize's order.
    /// </summary>
    public void Step(ReadOnlySpan<float> rewards, ReadOnlySpan<bool> dones, Span<float> scaled)
    {
        if (rewards.Length != _returns.Length || dones.Length != _returns.Length || scaled.Length != _returns.Length)
            throw new ArgumentException($"Expected {_returns.Length} rewards, dones and outputs; got {rewards.Length}, {dones.Length} and {scaled.Length}.");
        var g = (float)Gamma;
        for (var i = 0; i < _returns.Length; i++) _returns[i] = _returns[i] * g + rewards[i];
        Statistics.UpdateBatch(_returns);
        var scale = (float)(1.0 / Math.Sqrt(Statistics.Var[0] + Epsilon));
        var clip = (float)Clip;
        for (var i = 0; i < _returns.Length; i++)
        {
            scaled[i] = Math.Clamp(rewards[i] * scale, -clip, clip);
            if (dones[i]) _returns[i] = 0f;
        }
    }

    /// <summary>A copy of the return statistics, for checkpoints.</summary>
    public RunningMeanStdState GetState() => Statistics.GetState();

    /// <summary>Restores statistics taken with <see cref="GetState"/>.</summary>
    public void SetState(RunningMeanStdState state) => Statistics.SetState(state);
}
