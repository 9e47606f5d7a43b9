using RlExperiments.Core;

namespace RlExperiments.Tuning;

/// <summary>
/// Optuna's Parzen estimator (<c>_ParzenEstimator</c>, Optuna 4, with Optuna 5's multivariate bandwidths): a mixture with one kernel per observation plus a
/// prior kernel; each kernel is a product over the dimensions of a truncated Gaussian (floats, in log space when
/// log-scaled), a Gaussian's mass over the integer's cell, or a smoothed categorical table. With one dimension it is
/// the independent TPE's l(x) or g(x); with several (multivariate TPE) one kernel spans all dimensions of an observation.
/// </summary>
/// <remarks>
/// Weights: <see cref="DefaultWeights"/> over the observations in trial order, then the prior weight, normalised.
/// Bandwidths, per dimension: the larger gap to the neighbouring observations in that dimension (the outermost take
/// their inner gap, Optuna's consider_endpoints = false), clipped to [range / min(100, n + 2), range] (the magic clip).
/// Optuna 5 uses this rule for the multivariate estimator too (PR #6746, with multivariate on by default); Optuna 4's
/// multivariate rule, 0.2 n^(−1/(d+4)) of the range (Scott's), gave every kernel one bandwidth (see
/// benchmarks/results/samplers/comparison.md for the two against each other). The prior kernel sits mid-range with the whole range as σ.
/// </remarks>
internal sealed class ParzenEstimator
{
    private static readonly double HalfLog2Pi = 0.5 * Math.Log(2 * Math.PI);
    private readonly TpeDimension[] _dims;
    private readonly int _k;
    private readonly double[] _logWeight, _cumWeight, _scratch;
    // Numeric dimensions, per kernel: centre and bandwidth in the transformed space, and the log normaliser
    // (log Z of the truncation, plus log σ + ½ log 2π for a density).
    private readonly double[][] _mu, _sigma, _logNorm;
    // Categorical dimensions, per kernel k and choice c at [k * choices + c]: probability and its log.
    private readonly double[][] _p, _logP;

    /// <summary>Fits the estimator.</summary>
    /// <param name="dims">Dimensions (at least one).</param>
    /// <param name="observations">One row of internal values per observation (<see cref="TpeDimension.ToInternal"/>), in trial order.</param>
    /// <param name="priorWeight">Weight of the prior kernel relative to an observation's (Optuna 1.0).</param>
    public ParzenEstimator(TpeDimension[] dims, IReadOnlyList<double[]> observations, double priorWeight)
    {
        _dims = dims;
        int n = observations.Count;
        _k = n + 1;
        var w = new double[_k];
        if (n == 0) w[0] = 1.0;
        else
        {
            DefaultWeights(n).CopyTo(w, 0);
            w[n] = priorWeight;
        }
        double total = w.Sum();
        _logWeight = new double[_k];
        _cumWeight = new double[_k];
        double acc = 0;
        for (int k = 0; k < _k; k++)
        {
            _logWeight[k] = Math.Log(w[k] / total);
            acc += w[k] / total;
            _cumWeight[k] = acc;
        }
        _scratch = new double[_k];
        _mu = new double[dims.Length][];
        _sigma = new double[dims.Length][];
        _logNorm = new double[dims.Length][];
        _p = new double[dims.Length][];
        _logP = new double[dims.Length][];
        var column = new double[n];
        for (int d = 0; d < dims.Length; d++)
        {
            for (int i = 0; i < n; i++) column[i] = observations[i][d];
            if (dims[d].Kind == TpeDimensionKind.Categorical) FitCategorical(d, column, priorWeight);
            else FitNumeric(d, column);
        }
    }

    /// <summary>Number of kernels (observations + the prior).</summary>
    public int Kernels => _k;

    /// <summary>
    /// Optuna's <c>default_weights</c>: 1 for each of fewer than 25 observations; else a linear ramp from 1/n to 1 over
    /// the n − 25 oldest and 1 for the 25 newest, so old observations fade.
    /// </summary>
    /// <param name="n">Number of observations, oldest first.</param>
    public static double[] DefaultWeights(int n)
    {
        var w = new double[n];
        Array.Fill(w, 1.0);
        int ramp = n - 25;
        // numpy.linspace(1/n, 1, ramp): ramp points, the first 1/n and (when ramp > 1) the last 1.
        for (int i = 0; i < ramp; i++) w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * i / (ramp - 1);
        return w;
    }

    private void FitCategorical(int d, double[] observed, double priorWeight)
    {
        // Optuna: every kernel starts at priorWeight / K per choice; an observation's kernel adds 1 to its choice;
        // each row is normalised (the prior row is then uniform).
        int c = _dims[d].Choices, n = observed.Length;
        var p = new double[_k * c];
        if (n == 0) Array.Fill(p, 1.0 / c);
        else
        {
            Array.Fill(p, priorWeight / _k);
            for (int i = 0; i < n; i++) p[i * c + (int)observed[i]] += 1;
            for (int k = 0; k < _k; k++)
            {
                double s = 0;
                for (int j = 0; j < c; j++) s += p[k * c + j];
                for (int j = 0; j < c; j++) p[k * c + j] /= s;
            }
        }
        _p[d] = p;
        _logP[d] = Array.ConvertAll(p, Math.Log);
    }

    private void FitNumeric(int d, double[] observed)
    {
        var dim = _dims[d];
        double low = dim.Low, high = dim.High, range = high - low;
        int n = observed.Length;
        var mu = new double[_k];
        var sigma = new double[_k];
        for (int i = 0; i < n; i++) mu[i] = dim.Kind == TpeDimensionKind.Discrete ? dim.Transform(observed[i]) : observed[i];
        if (n > 0)
        {
            // Sorted centres between the two ends: e[0] = low, e[1..n] = centres, e[n + 1] = high.
            var order = Enumerable.Range(0, n).OrderBy(i => mu[i]).ToArray();
            var e = new double[n + 2];
            e[0] = low; e[n + 1] = high;
            for (int j = 0; j < n; j++) e[j + 1] = mu[order[j]];
            for (int j = 0; j < n; j++)
            {
                double s = Math.Max(e[j + 1] - e[j], e[j + 2] - e[j + 1]);
                // consider_endpoints = false: the outermost centres take their gap to the inner neighbour only.
                if (n >= 2 && j == 0) s = e[2] - e[1];
                if (n >= 2 && j == n - 1) s = e[n] - e[n - 1];
                sigma[order[j]] = s;
            }
        }
        // Magic clip: no kernel narrower than range / min(100, K + 1), none wider than the range.
        double minSigma = range / Math.Min(100.0, 1.0 + _k);
        for (int i = 0; i < n; i++) sigma[i] = Math.Clamp(sigma[i], minSigma, range);
        mu[n] = 0.5 * (low + high);
        sigma[n] = range;

        var logNorm = new double[_k];
        for (int k = 0; k < _k; k++)
        {
            double logZ = GaussianMass.LogMass((low - mu[k]) / sigma[k], (high - mu[k]) / sigma[k]);
            // A density: N(x; μ, σ) / Z = φ(z) / (σ Z); its −log σ is the term Optuna 3.1 lacked (Optuna PR #5110).
            logNorm[k] = dim.Kind == TpeDimensionKind.Continuous ? logZ + Math.Log(sigma[k]) + HalfLog2Pi : logZ;
        }
        _mu[d] = mu; _sigma[d] = sigma; _logNorm[d] = logNorm;
    }

    /// <summary>Draws one point (internal values) into <paramref name="x"/>: a kernel by weight, then each dimension from it.</summary>
    public void Sample(Rng rng, Span<double> x)
    {
        int k = Draw(_cumWeight, 0, _k, rng.NextDouble());
        for (int d = 0; d < _dims.Length; d++)
        {
            var dim = _dims[d];
            if (dim.Kind == TpeDimensionKind.Categorical)
            {
                int c = dim.Choices;
                double u = rng.NextDouble(), acc = 0;
                int j = 0;
                for (; j < c - 1; j++) { acc += _p[d][k * c + j]; if (u < acc) break; }
                x[d] = j;
                continue;
            }
            double t = TruncatedNormal(_mu[d][k], _sigma[d][k], dim.Low, dim.High, rng);
            if (dim.Kind == TpeDimensionKind.Continuous) x[d] = t;
            else
            {
                var i = (IntegerHyperparameter)dim.Hyperparameter;
                x[d] = Math.Clamp(Math.Round(dim.Untransform(t)), i.Lower, i.Upper);
            }
        }
    }

    /// <summary>log of the mixture's density (mass, for integers and categoricals) at <paramref name="x"/> (internal values).</summary>
    public double LogPdf(ReadOnlySpan<double> x)
    {
        var s = _scratch;
        Array.Copy(_logWeight, s, _k);
        for (int d = 0; d < _dims.Length; d++)
        {
            var dim = _dims[d];
            double v = x[d];
            switch (dim.Kind)
            {
                case TpeDimensionKind.Categorical:
                {
                    int c = dim.Choices, j = (int)v;
                    var logP = _logP[d];
                    for (int k = 0; k < _k; k++) s[k] += logP[k * c + j];
                    break;
                }
                case TpeDimensionKind.Continuous:
                {
                    var mu = _mu[d]; var sigma = _sigma[d]; var norm = _logNorm[d];
                    for (int k = 0; k < _k; k++)
                    {
                        double z = (v - mu[k]) / sigma[k];
                        s[k] += -0.5 * z * z - norm[k];
                    }
                    break;
                }
                default:
                {
                    // The integer's cell [v − ½, v + ½], mapped to the kernels' (log) space.
                    double lo = dim.Transform(v - 0.5), hi = dim.Transform(v + 0.5);
                    var mu = _mu[d]; var sigma = _sigma[d]; var norm = _logNorm[d];
                    for (int k = 0; k < _k; k++)
                        s[k] += GaussianMass.LogMass((lo - mu[k]) / sigma[k], (hi - mu[k]) / sigma[k]) - norm[k];
                    break;
                }
            }
        }
        double max = double.NegativeInfinity;
        for (int k = 0; k < _k; k++) if (s[k] > max) max = s[k];
        if (double.IsNegativeInfinity(max)) return max;
        double sum = 0;
        for (int k = 0; k < _k; k++) sum += Math.Exp(s[k] - max);
        return max + Math.Log(sum);
    }

    private static int Draw(double[] cumulative, int start, int count, double u)
    {
        for (int i = 0; i < count - 1; i++) if (u < cumulative[start + i]) return i;
        return count - 1;
    }

    /// <summary>A draw from N(μ, σ²) truncated to [low, high] (μ lies inside, so rejection accepts at least about half the draws).</summary>
    private static double TruncatedNormal(double mu, double sigma, double low, double high, Rng rng)
    {
        for (int t = 0; t < 100; t++)
        {
            double x = mu + sigma * rng.Normal();
            if (x >= low && x <= high) return x;
        }
        return Math.Clamp(mu, low, high);
    }
}
