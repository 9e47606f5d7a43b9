namespace RlExperiments.Environments.Wrappers;

/// <summary>
/// Running mean and variance by the parallel (Chan et al.) update, exactly as Gymnasium's
/// <c>RunningMeanStd</c>: starts at mean 0, variance 1 and count <c>epsilon</c> (default 1e-4), and folds
/// each batch in with <c>update_mean_var_count_from_moments</c>. Statistics are float64.
/// </summary>
public sealed class RunningMeanStd
{
    private readonly double[] _mean;
    private readonly double[] _var;

    /// <summary>Tracks vectors of <paramref name="size"/> elements, with initial count <paramref name="epsilon"/>.</summary>
    public RunningMeanStd(int size, double epsilon = 1e-4)
    {
        if (size <= 0)
            throw new ArgumentOutOfRangeException(nameof(size), size, "size must be positive.");
        if (!(epsilon > 0))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive.");
        _mean = new double[size];
        _var = new double[size];
        Array.Fill(_var, 1.0);
        Count = epsilon;
    }

    /// <summary>The number of elements tracked.</summary>
    public int Size => _mean.Length;

    /// <summary>The running mean.</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>The running population variance.</summary>
    public ReadOnlySpan<double> Var => _var;

    /// <summary>The (fractional) number of samples seen, starting at epsilon.</summary>
    public double Count { get; private set; }

    /// <summary>Folds in one sample (a batch of one: batch variance 0). Allocates nothing.</summary>
    public void Update(ReadOnlySpan<float> sample)
    {
        CheckLength(sample.Length);
        var count = Count;
        var total = count + 1.0;
        for (var i = 0; i < _mean.Length; i++)
        {
            var delta = sample[i] - _mean[i];
            _mean[i] += delta * 1.0 / total;
            _var[i] = (_var[i] * count + 0.0 + delta * delta * count * 1.0 / total) / total;
        }
        Count = total;
    }

    /// <summary>Folds in one sample (a batch of one: batch variance 0). Allocates nothing.</summary>
    public void Update(ReadOnlySpan<double> sample)
    {
        CheckLength(sample.Length);
        var count = Count;
        var total = count + 1.0;
        for (var i = 0; i < _mean.Length; i++)
        {
            var delta = sample[i] - _mean[i];
            _mean[i] += delta * 1.0 / total;
            _var[i] = (_var[i] * count + 0.0 + delta * delta * count * 1.0 / total) / total;
        }
        Count = total;
    }

    /// <summary>
    /// Folds in a batch of <paramref name="batch"/>.Length / <see cref="Size"/> samples stored row-major
    /// (Gymnasium's <c>update(x)</c> with <c>x.shape[0]</c> rows). Allocates nothing.
    /// </summary>
    public void UpdateBatch(ReadOnlySpan<float> batch)
    {
        if (batch.Length == 0 || batch.Length % _mean.Length != 0)
            throw new ArgumentException($"The batch length {batch.Length} must be a positive multiple of {_mean.Length}.", nameof(batch));
        var rows = batch.Length / _mean.Length;
        var count = Count;
        var total = count + rows;
        for (var i = 0; i < _mean.Length; i++)
        {
            double sum = 0;
            for (var r = 0; r < rows; r++)
                sum += batch[r * _mean.Length + i];
            var batchMean = sum / rows;
            double sq = 0;
            for (var r = 0; r < rows; r++)
            {
                var d = batch[r * _mean.Length + i] - batchMean;
                sq += d * d;
            }
            var batchVar = sq / rows;
            var delta = batchMean - _mean[i];
            _mean[i] += delta * rows / total;
            _var[i] = (_var[i] * count + batchVar * rows + delta * delta * count * rows / total) / total;
        }
        Count = total;
    }

    /// <summary>A copy of the statistics.</summary>
    public RunningMeanStdState GetState() => new((double[])_mean.Clone(), (double[])_var.Clone(), Count);

    /// <summary>Restores statistics taken with <see cref="GetState"/>.</summary>
    /// <exception cref="ArgumentException">Sizes differ, or the count or a variance is invalid.</exception>
    public void SetState(RunningMeanStdState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Mean.Length != _mean.Length || state.Var.Length != _var.Length)
            throw new ArgumentException($"The state tracks {state.Mean.Length} elements; this RunningMeanStd tracks {_mean.Length}.", nameof(state));
        if (!(state.Count > 0))
            throw new ArgumentException($"Count must be positive; got {state.Count}.", nameof(state));
        foreach (var v in state.Var)
            if (!(v >= 0))
                throw new ArgumentException($"Variances must be non-negative; got {v}.", nameof(state));
        state.Mean.CopyTo(_mean, 0);
        state.Var.CopyTo(_var, 0);
        Count = state.Count;
    }

    private void CheckLength(int length)
    {
        if (length != _mean.Length)
            throw new ArgumentException($"The sample has {length} elements; this RunningMeanStd tracks {_mean.Length}.");
    }
}
