using RlExperiments.Core;

namespace RlExperiments.Tuning;

/// <summary>
/// The (μ/μ_w, λ)-CMA-ES of Hansen's tutorial (arXiv:1604.00772) with the settings of the <c>cmaes</c> package that
/// Optuna's CmaEsSampler drives: active (negative) recombination weights, cumulative step-size adaptation, rank-one
/// and rank-μ covariance updates, box bounds by resampling (10·n tries) then clipping. Deterministic given the told
/// solutions: <see cref="Tell"/> uses no randomness, so replaying the same generations gives the same distribution.
/// </summary>
internal sealed class CmaEs
{
    private const double Eps = 1e-8;
    private readonly int _n, _lambda, _mu, _maxResampling;
    private readonly double[] _weights, _lo, _hi;
    private readonly double _muEff, _cc, _c1, _cmu, _cSigma, _dSigma, _chiN;
    private readonly double[] _mean, _pSigma, _pc;
    private double[,] _c;
    private double[,]? _b;
    private double[]? _d;
    private double _sigma;

    /// <summary>Starts at <paramref name="mean"/> with step size <paramref name="sigma"/> and C = I inside [lo, hi].</summary>
    public CmaEs(double[] mean, double sigma, double[] lo, double[] hi, int? populationSize = null)
    {
        _n = mean.Length;
        if (_n < 2) throw new ArgumentException("CMA-ES needs at least two dimensions.", nameof(mean));
        _lambda = populationSize ?? 4 + (int)Math.Floor(3 * Math.Log(_n));          // eq. 48
        if (_lambda < 2) throw new ArgumentOutOfRangeException(nameof(populationSize), _lambda, "A population of at least 2.");
        _mu = _lambda / 2;
        _maxResampling = 10 * _n;
        _mean = (double[])mean.Clone(); _lo = (double[])lo.Clone(); _hi = (double[])hi.Clone();
        _sigma = Math.Max(sigma, Eps);

        // w'_i = ln((λ+1)/2) − ln i (eq. 49); μ_eff of the positive and of the negative part.
        var wp = new double[_lambda];
        for (int i = 0; i < _lambda; i++) wp[i] = Math.Log((_lambda + 1) / 2.0) - Math.Log(i + 1);
        _muEff = SquaredSumOverSumOfSquares(wp, 0, _mu);
        double muEffMinus = SquaredSumOverSumOfSquares(wp, _mu, _lambda);
        // Learning rates of the rank-one (c1) and rank-μ (cμ) updates, α_cov = 2.
        _c1 = 2 / ((_n + 1.3) * (_n + 1.3) + _muEff);
        _cmu = Math.Min(1 - _c1 - 1e-8, 2 * (_muEff - 2 + 1 / _muEff) / ((_n + 2) * (_n + 2) + 2 * _muEff / 2));
        // Negative weights scaled so the update keeps C positive definite (eqs. 50–53).
        double minAlpha = Math.Min(1 + _c1 / _cmu, Math.Min(1 + 2 * muEffMinus / (_muEff + 2), (1 - _c1 - _cmu) / (_n * _cmu)));
        double pos = wp.Where(w => w > 0).Sum(), neg = wp.Where(w => w < 0).Sum(w => -w);
        _weights = wp.Select(w => w >= 0 ? w / pos : minAlpha / neg * w).ToArray();
        // Step-size cumulation (eq. 55) and damping; rank-one cumulation (eq. 56); E‖N(0, I)‖.
        _cSigma = (_muEff + 2) / (_n + _muEff + 5);
        _dSigma = 1 + 2 * Math.Max(0, Math.Sqrt((_muEff - 1) / (_n + 1)) - 1) + _cSigma;
        _cc = (4 + _muEff / _n) / (_n + 4 + 2 * _muEff / _n);
        _chiN = Math.Sqrt(_n) * (1 - 1.0 / (4 * _n) + 1.0 / (21.0 * _n * _n));
        _pSigma = new double[_n]; _pc = new double[_n];
        _c = new double[_n, _n];
        for (int i = 0; i < _n; i++) _c[i, i] = 1;
    }

    /// <summary>λ, the number of solutions told per generation.</summary>
    public int PopulationSize => _lambda;
    /// <summary>Generations told so far.</summary>
    public int Generation { get; private set; }
    /// <summary>Current mean (a copy).</summary>
    public double[] Mean => (double[])_mean.Clone();
    /// <summary>Current step size σ.</summary>
    public double Sigma => _sigma;
    /// <summary>Current covariance matrix C (a copy).</summary>
    public double[,] Covariance => (double[,])_c.Clone();

    /// <summary>x = m + σ B D z with z ~ N(0, I), redrawn until inside the bounds (10·n tries), then clipped.</summary>
    public double[] Ask(Rng rng)
    {
        var (b, d) = Eigen();
        var x = new double[_n];
        for (int attempt = 0; attempt <= _maxResampling; attempt++)
        {
            var z = new double[_n];
            for (int i = 0; i < _n; i++) z[i] = rng.Normal() * d[i];
            bool inside = true;
            for (int i = 0; i < _n; i++)
            {
                double y = 0;
                for (int j = 0; j < _n; j++) y += b[i, j] * z[j];
                x[i] = _mean[i] + _sigma * y;
                inside &= x[i] >= _lo[i] && x[i] <= _hi[i];
            }
            if (inside) return x;
        }
        for (int i = 0; i < _n; i++) x[i] = Math.Clamp(x[i], _lo[i], _hi[i]);
        return x;
    }

    /// <summary>One generation's update from exactly λ (solution, value to minimise) pairs.</summary>
    public void Tell(IReadOnlyList<(double[] X, double Y)> solutions)
    {
        if (solutions.Count != _lambda) throw new ArgumentException($"Tell needs {_lambda} solutions, got {solutions.Count}.", nameof(solutions));
        Generation++;
        var sorted = solutions.OrderBy(s => s.Y).ToArray();                           // stable: ties keep trial order
        var (b, d) = Eigen();
        _b = null; _d = null;
        // y_k = (x_k − m) / σ ~ N(0, C); y_w = Σ_{i≤μ} w_i y_{i:λ} (eq. 41); m ← m + c_m σ y_w with c_m = 1.
        var y = new double[_lambda][];
        for (int k = 0; k < _lambda; k++)
        {
            y[k] = new double[_n];
            for (int i = 0; i < _n; i++) y[k][i] = (sorted[k].X[i] - _mean[i]) / _sigma;
        }
        var yw = new double[_n];
        for (int k = 0; k < _mu; k++)
            for (int i = 0; i < _n; i++) yw[i] += _weights[k] * y[k][i];
        for (int i = 0; i < _n; i++) _mean[i] += _sigma * yw[i];

        // p_σ ← (1 − c_σ) p_σ + √(c_σ (2 − c_σ) μ_eff) C^(−1/2) y_w;  σ ← σ exp(c_σ/d_σ (‖p_σ‖/E‖N(0,I)‖ − 1)).
        var cInvSqrtYw = CInvSqrt(b, d, yw);
        double ks = Math.Sqrt(_cSigma * (2 - _cSigma) * _muEff);
        for (int i = 0; i < _n; i++) _pSigma[i] = (1 - _cSigma) * _pSigma[i] + ks * cInvSqrtYw[i];
        double normPSigma = Math.Sqrt(_pSigma.Sum(v => v * v));
        _sigma = Math.Min(_sigma * Math.Exp(_cSigma / _dSigma * (normPSigma / _chiN - 1)), 1e32);

        // h_σ stalls the rank-one path while ‖p_σ‖ is large; p_c ← (1 − c_c) p_c + h_σ √(c_c (2 − c_c) μ_eff) y_w.
        double left = normPSigma / Math.Sqrt(1 - Math.Pow(1 - _cSigma, 2 * (Generation + 1)));
        double hSigma = left < (1.4 + 2.0 / (_n + 1)) * _chiN ? 1 : 0;
        double kc = hSigma * Math.Sqrt(_cc * (2 - _cc) * _muEff);
        for (int i = 0; i < _n; i++) _pc[i] = (1 - _cc) * _pc[i] + kc * yw[i];

        // Negative weights are rescaled by n / ‖C^(−1/2) y_k‖² (eq. 46).
        var wio = new double[_lambda];
        for (int k = 0; k < _lambda; k++)
        {
            if (_weights[k] >= 0) { wio[k] = _weights[k]; continue; }
            var v = CInvSqrt(b, d, y[k]);
            wio[k] = _weights[k] * _n / (v.Sum(a => a * a) + Eps);
        }
        // C ← (1 + c1 δ(h_σ) − c1 − c_μ Σw) C + c1 p_c p_cᵀ + c_μ Σ w°_k y_k y_kᵀ (eq. 47).
        double deltaH = (1 - hSigma) * _cc * (2 - _cc);
        double keep = 1 + _c1 * deltaH - _c1 - _cmu * _weights.Sum();
        var c = new double[_n, _n];
        for (int i = 0; i < _n; i++)
            for (int j = 0; j < _n; j++)
            {
                double rankMu = 0;
                for (int k = 0; k < _lambda; k++) rankMu += wio[k] * y[k][i] * y[k][j];
                c[i, j] = keep * _c[i, j] + _c1 * _pc[i] * _pc[j] + _cmu * rankMu;
            }
        _c = c;
    }

    private double[] CInvSqrt(double[,] b, double[] d, double[] v)
    {
        // C^(−1/2) v = B D^(−1) Bᵀ v.
        var t = new double[_n];
        for (int j = 0; j < _n; j++)
        {
            double s = 0;
            for (int i = 0; i < _n; i++) s += b[i, j] * v[i];
            t[j] = s / d[j];
        }
        var r = new double[_n];
        for (int i = 0; i < _n; i++)
            for (int j = 0; j < _n; j++) r[i] += b[i, j] * t[j];
        return r;
    }

    /// <summary>C = B diag(D²) Bᵀ (symmetrised first; negative eigenvalues replaced by ε), cached until the next tell.</summary>
    private (double[,] B, double[] D) Eigen()
    {
        if (_b is not null && _d is not null) return (_b, _d);
        for (int i = 0; i < _n; i++)
            for (int j = i + 1; j < _n; j++) _c[i, j] = _c[j, i] = 0.5 * (_c[i, j] + _c[j, i]);
        var (values, vectors) = SymmetricEigen.Decompose(_c);
        var d = values.Select(v => Math.Sqrt(v < 0 ? Eps : v)).ToArray();
        for (int i = 0; i < _n; i++)
            for (int j = 0; j < _n; j++)
            {
                double s = 0;
                for (int k = 0; k < _n; k++) s += vectors[i, k] * d[k] * d[k] * vectors[j, k];
                _c[i, j] = s;
            }
        _b = vectors; _d = d;
        return (_b, _d);
    }

    private static double SquaredSumOverSumOfSquares(double[] w, int from, int to)
    {
        double s = 0, s2 = 0;
        for (int i = from; i < to; i++) { s += w[i]; s2 += w[i] * w[i]; }
        return s * s / s2;
    }
}
