using RlExperiments.Core;

namespace RlExperiments.Tuning;

/// <summary>
/// Optuna-style independent Tree-structured Parzen Estimator. Complete trials are split into good ("below") and
/// bad by the <c>gamma(n) = min(ceil(0.1 n), 25)</c> quantile; for each active hyperparameter a Parzen window
/// l(x) is fitted on the good and g(x) on the bad observations of that hyperparameter (truncated Gaussians in the
/// (log-)transformed space with Optuna's neighbour-gap bandwidths and magic clip, plus a prior component; smoothed
/// categorical weights with a uniform prior); <see cref="EiCandidates"/> draws from l(x) are scored by
/// log l(x) − log g(x) and the best is taken. Until <see cref="StartupTrials"/> trials are complete it samples randomly.
/// A candidate configuration forbidden by the space's forbidden clauses is rejected and a new one is built, up to
/// <see cref="MaxForbiddenRejections"/> times, after which it falls back to a prior sample (<see cref="ConfigurationSpace.Sample"/>,
/// which itself rejects forbidden draws); so it never suggests a forbidden configuration.
/// </summary>
public sealed class TpeSampler : ISampler
{
    /// <summary>Creates a TPE sampler.</summary>
    /// <param name="direction">Whether lower or higher objective values are better.</param>
    /// <param name="startupTrials">Random trials before TPE starts (Optuna default 10).</param>
    /// <param name="eiCandidates">Candidates drawn from l(x) per hyperparameter (Optuna default 24).</param>
    /// <param name="priorWeight">Weight of the prior component (Optuna default 1).</param>
    public TpeSampler(StudyDirection direction = StudyDirection.Minimize, int startupTrials = 10, int eiCandidates = 24, double priorWeight = 1.0)
    {
        if (startupTrials < 0) throw new ArgumentOutOfRangeException(nameof(startupTrials));
        if (eiCandidates < 1) throw new ArgumentOutOfRangeException(nameof(eiCandidates));
        if (!(priorWeight > 0)) throw new ArgumentOutOfRangeException(nameof(priorWeight));
        Direction = direction; StartupTrials = startupTrials; EiCandidates = eiCandidates; PriorWeight = priorWeight;
    }

    /// <summary>Optimisation direction.</summary>
    public StudyDirection Direction { get; }
    /// <summary>Random trials before TPE starts.</summary>
    public int StartupTrials { get; }
    /// <summary>Candidates drawn from l(x) per hyperparameter.</summary>
    public int EiCandidates { get; }
    /// <summary>Weight of the prior component.</summary>
    public double PriorWeight { get; }

    /// <summary>Forbidden TPE candidates rejected before falling back to a prior sample.</summary>
    public const int MaxForbiddenRejections = 100;

    /// <summary>Number of good trials among <paramref name="n"/> complete ones: min(ceil(0.1 n), 25).</summary>
    /// <param name="n">Number of complete trials.</param>
    public static int Gamma(int n) => Math.Min((int)Math.Ceiling(0.1 * n), 25);

    /// <inheritdoc />
    public Configuration Suggest(ConfigurationSpace space, IReadOnlyList<Trial> history, Rng rng)
    {
        var complete = history.Where(t => t.State == TrialState.Complete && t.Value is double v && !double.IsNaN(v)).ToList();
        if (complete.Count < Math.Max(StartupTrials, 1)) return space.Sample(rng);
        var sign = Direction == StudyDirection.Minimize ? 1.0 : -1.0;
        // Stable sort keeps trial order among ties.
        var ordered = complete.Select((t, i) => (t, i)).OrderBy(p => sign * p.t.Value!.Value).ThenBy(p => p.i).Select(p => p.t).ToList();
        int nBelow = Gamma(ordered.Count);
        var below = ordered.Take(nBelow).Select(t => t.Configuration).ToList();
        var above = ordered.Skip(nBelow).Select(t => t.Configuration).ToList();
        for (int attempt = 0; attempt < MaxForbiddenRejections; attempt++)
        {
            var candidate = space.Build((hp, _) => SuggestOne(hp, below, above, rng));
            if (!space.IsForbidden(candidate)) return candidate;
        }
        return space.Sample(rng);
    }

    private object SuggestOne(Hyperparameter hp, List<Configuration> below, List<Configuration> above, Rng rng)
    {
        switch (hp)
        {
            case ConstantHyperparameter k: return k.Value;
            case CategoricalHyperparameter c:
            {
                var l = CategoricalWeights(c, Observed(below, c.Name));
                var g = CategoricalWeights(c, Observed(above, c.Name));
                int best = -1; double bestScore = double.NegativeInfinity;
                for (int k = 0; k < EiCandidates; k++)
                {
                    int idx = Draw(l, rng);
                    double score = Math.Log(l[idx]) - Math.Log(g[idx]);
                    if (score > bestScore) { bestScore = score; best = idx; }
                }
                return c.Choices[best];
            }
            case FloatHyperparameter f:
            {
                double lo = f.Log ? Math.Log(f.Lower) : f.Lower, hi = f.Log ? Math.Log(f.Upper) : f.Upper;
                Func<object, double> tr = v => f.Log ? Math.Log(Convert.ToDouble(v)) : Convert.ToDouble(v);
                double x = Acquire(lo, hi, Observed(below, f.Name).Select(tr).ToArray(), Observed(above, f.Name).Select(tr).ToArray(), rng);
                return Math.Clamp(f.Log ? Math.Exp(x) : x, f.Lower, f.Upper);
            }
            case IntegerHyperparameter g:
            {
                Func<object, double> tr = v => g.Log ? Math.Log(Convert.ToDouble(v)) : Convert.ToDouble(v);
                double x = Acquire(g.TransformedLow, g.TransformedHigh, Observed(below, g.Name).Select(tr).ToArray(), Observed(above, g.Name).Select(tr).ToArray(), rng);
                return g.FromTransformed(x);
            }
            default: throw new NotSupportedException($"TPE over {hp.GetType().Name} is not supported.");
        }
    }

    private static List<object> Observed(List<Configuration> configs, string name) =>
        configs.Where(c => c.ContainsKey(name)).Select(c => c[name]).ToList();

    private double[] CategoricalWeights(CategoricalHyperparameter c, List<object> observed)
    {
        var w = Enumerable.Repeat(PriorWeight / c.Choices.Count, c.Choices.Count).ToArray();
        var ow = ObservationWeights(observed.Count);
        for (int i = 0; i < observed.Count; i++)
        {
            int idx = c.IndexOf(observed[i]);
            if (idx >= 0) w[idx] += ow[i];
        }
        double s = w.Sum();
        for (int i = 0; i < w.Length; i++) w[i] /= s;
        return w;
    }

    /// <summary>Optuna's default weights: flat for fewer than 25 observations, else a ramp for the oldest ones.</summary>
    private static double[] ObservationWeights(int n)
    {
        if (n == 0) return Array.Empty<double>();
        if (n < 25) return Enumerable.Repeat(1.0, n).ToArray();
        int ramp = n - 25;
        var w = new double[n];
        for (int i = 0; i < ramp; i++) w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * i / (ramp - 1);
        for (int i = ramp; i < n; i++) w[i] = 1.0;
        return w;
    }

    private static int Draw(double[] weights, Rng rng)
    {
        double u = rng.NextDouble(), acc = 0;
        for (int i = 0; i < weights.Length; i++) { acc += weights[i]; if (u < acc) return i; }
        return weights.Length - 1;
    }

    private double Acquire(double lo, double hi, double[] below, double[] above, Rng rng)
    {
        var l = Parzen.Fit(below, lo, hi, PriorWeight);
        var g = Parzen.Fit(above, lo, hi, PriorWeight);
        double best = double.NaN, bestScore = double.NegativeInfinity;
        for (int k = 0; k < EiCandidates; k++)
        {
            double x = l.Sample(rng);
            double score = l.LogPdf(x) - g.LogPdf(x);
            if (score > bestScore || double.IsNaN(best)) { bestScore = score; best = x; }
        }
        return best;
    }

    /// <summary>A mixture of Gaussians truncated to [Low, High].</summary>
    private sealed class Parzen
    {
        private double[] _mu = Array.Empty<double>(), _sigma = Array.Empty<double>(), _w = Array.Empty<double>(), _logZ = Array.Empty<double>();
        private double _lo, _hi;

        public static Parzen Fit(double[] obs, double lo, double hi, double priorWeight)
        {
            int n = obs.Length, m = n + 1;
            var mus = new double[m];
            Array.Copy(obs, mus, n);
            mus[n] = 0.5 * (lo + hi);
            var w = new double[m];
            Array.Copy(ObservationWeights(n), w, n);
            w[n] = priorWeight;
            double ws = w.Sum();
            for (int i = 0; i < m; i++) w[i] /= ws;

            // Neighbour-gap bandwidths (Optuna, consider_endpoints = false), then magic clip; the prior keeps the full width.
            var order = Enumerable.Range(0, m).OrderBy(i => mus[i]).ThenBy(i => i).ToArray();
            var ext = new double[m + 2];
            ext[0] = lo; ext[m + 1] = hi;
            for (int j = 0; j < m; j++) ext[j + 1] = mus[order[j]];
            var sorted = new double[m];
            for (int j = 0; j < m; j++) sorted[j] = Math.Max(ext[j + 1] - ext[j], ext[j + 2] - ext[j + 1]);
            if (m + 2 >= 4)
            {
                sorted[0] = ext[2] - ext[1];
                sorted[m - 1] = ext[m] - ext[m - 1];
            }
            var sig = new double[m];
            for (int j = 0; j < m; j++) sig[order[j]] = sorted[j];
            double maxS = hi - lo, minS = (hi - lo) / Math.Min(100.0, 1.0 + m);
            for (int i = 0; i < m; i++) sig[i] = Math.Clamp(sig[i], minS, maxS);
            sig[n] = hi - lo;

            var logZ = new double[m];
            for (int i = 0; i < m; i++)
                logZ[i] = Math.Log(Math.Max(Phi((hi - mus[i]) / sig[i]) - Phi((lo - mus[i]) / sig[i]), 1e-300));
            return new Parzen { _mu = mus, _sigma = sig, _w = w, _logZ = logZ, _lo = lo, _hi = hi };
        }

        public double Sample(Rng rng)
        {
            int k = Draw(_w, rng);
            for (int t = 0; t < 100; t++)
            {
                double x = rng.Normal(_mu[k], _sigma[k]);
                if (x >= _lo && x <= _hi) return x;
            }
            return Math.Clamp(rng.Normal(_mu[k], _sigma[k]), _lo, _hi);
        }

        public double LogPdf(double x)
        {
            double max = double.NegativeInfinity;
            var terms = new double[_mu.Length];
            for (int i = 0; i < _mu.Length; i++)
            {
                double z = (x - _mu[i]) / _sigma[i];
                terms[i] = Math.Log(_w[i]) - 0.5 * z * z - Math.Log(_sigma[i]) - 0.5 * Math.Log(2 * Math.PI) - _logZ[i];
                if (terms[i] > max) max = terms[i];
            }
            double s = 0;
            foreach (var t in terms) s += Math.Exp(t - max);
            return max + Math.Log(s);
        }

        private static double Phi(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

        /// <summary>Complementary error function (Numerical Recipes erfcc, relative error below 1.2e-7).</summary>
        private static double Erfc(double x)
        {
            double z = Math.Abs(x), t = 1.0 / (1.0 + 0.5 * z);
            double r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
                + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
            return x >= 0 ? r : 2.0 - r;
        }
    }
}
