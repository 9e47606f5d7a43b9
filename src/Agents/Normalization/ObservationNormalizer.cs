using RlExperiments.Environments.Wrappers;

namespace RlExperiments.Agents.Normalization;

/// <summary>
/// Observation normalisation as Stable-Baselines3's <c>VecNormalize(norm_obs=True)</c>: running mean and
/// variance over every observation the training environments return (a batch of N rows per step, reset
/// observations included), and <c>clip((obs − mean) / √(var + ε), −clip, clip)</c>. It lives in the agent, so
/// the same statistics apply when acting on raw observations from test environments; only the training loop
/// calls <see cref="Update"/>, so evaluation sees frozen statistics.
/// </summary>
public sealed class ObservationNormalizer
{
    private readonly float[] _mean;
    private readonly float[] _invStd;

    /// <summary>Creates the normaliser for observations of <paramref name="size"/> floats.</summary>
    /// <param name="size">Floats per observation; at least 1.</param>
    /// <param name="clip">Normalised values are clipped to [−clip, clip]; positive (VecNormalize's default 10).</param>
    /// <param name="epsilon">Added to the variance; non-negative (VecNormalize's default 1e-8).</param>
    public ObservationNormalizer(int size, double clip = 10.0, double epsilon = 1e-8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (!(clip > 0)) throw new ArgumentOutOfRangeException(nameof(clip), clip, "clip must be positive.");
        if (!(epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be ≥ 0.");
        Size = size;
        Clip = clip;
        Epsilon = epsilon;
        Statistics = new RunningMeanStd(size);
        _mean = new float[size];
        _invStd = new float[size];
        Refresh();
    }

    /// <summary>Floats per observation.</summary>
    public int Size { get; }

    /// <summary>The clip bound of normalised values.</summary>
    public double Clip { get; }

    /// <summary>The constant added to the variance.</summary>
    public double Epsilon { get; }

    /// <summary>The running statistics of raw observations (Gymnasium/SB3 <c>RunningMeanStd</c>: count starts at 1e-4).</summary>
    public RunningMeanStd Statistics { get; }

    /// <summary>Folds a batch of raw observations (rows of <see cref="Size"/>) into the statistics.</summary>
    public void Update(ReadOnlySpan<float> observations)
    {
        Statistics.UpdateBatch(observations);
        Refresh();
    }

    /// <summary>Writes the normalised form of <paramref name="observations"/> (rows of <see cref="Size"/>) into <paramref name="destination"/> (may be the same memory).</summary>
    public void Normalize(ReadOnlySpan<float> observations, Span<float> destination)
    {
        if (observations.Length % Size != 0 || destination.Length < observations.Length)
            throw new ArgumentException($"Expected rows of {Size} floats and a destination at least as long; got {observations.Length} and {destination.Length}.");
        var clip = (float)Clip;
        for (var i = 0; i < observations.Length; i++)
        {
            var j = i % Size;
            destination[i] = Math.Clamp((observations[i] - _mean[j]) * _invStd[j], -clip, clip);
        }
    }

    /// <summary>A copy of the statistics, for checkpoints.</summary>
    public RunningMeanStdState GetState() => Statistics.GetState();

    /// <summary>Restores statistics taken with <see cref="GetState"/>.</summary>
    public void SetState(RunningMeanStdState state)
    {
        Statistics.SetState(state);
        Refresh();
    }

    private void Refresh()
    {
        var mean = Statistics.Mean;
        var variance = Statistics.Var;
        for (var j = 0; j < Size; j++)
        {
            _mean[j] = (float)mean[j];
            _invStd[j] = (float)(1.0 / Math.Sqrt(variance[j] + Epsilon));
        }
    }
}
