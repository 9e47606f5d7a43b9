namespace RlExperiments.Evaluation.Statistics;

/// <summary>
/// The two-sided Mann–Whitney U test (Wilcoxon rank-sum) of "A and B come from the same distribution" with the
/// normal approximation, tie correction and continuity correction, as <c>scipy.stats.mannwhitneyu(a, b,
/// method="asymptotic")</c>: rank-based, so it suits skewed per-seed scores such as a sampler's best value after n trials.
/// </summary>
public static class MannWhitney
{
    /// <summary>Tests two samples; returns U of <paramref name="a"/> (scipy's statistic), z and the two-sided p-value.</summary>
    /// <exception cref="ArgumentException">When a sample is empty or holds NaN.</exception>
    public static MannWhitneyResult Test(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count == 0 || b.Count == 0) throw new ArgumentException($"Mann–Whitney needs two non-empty samples; got {a.Count} and {b.Count} values.");
        if (a.Any(double.IsNaN) || b.Any(double.IsNaN)) throw new ArgumentException("Mann–Whitney samples must not contain NaN.");
        int n1 = a.Count, n2 = b.Count, n = n1 + n2;
        var all = a.Select(v => (v, first: true)).Concat(b.Select(v => (v, first: false))).OrderBy(p => p.v).ToArray();
        // Mid-ranks of tied runs; Σ (t³ − t) over tie groups for the variance.
        double rankSumA = 0, tieTerm = 0;
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j + 1 < n && all[j + 1].v == all[i].v) j++;
            double midRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) if (all[k].first) rankSumA += midRank;
            double t = j - i + 1;
            tieTerm += t * t * t - t;
            i = j + 1;
        }
        // U1 = R1 − n1 (n1 + 1)/2; under H0, E[U] = n1 n2 / 2 and Var[U] = n1 n2 / 12 ((n + 1) − Σ(t³ − t) / (n (n − 1))).
        double u1 = rankSumA - n1 * (n1 + 1) / 2.0;
        double mu = n1 * (double)n2 / 2;
        double variance = n1 * (double)n2 / 12 * (n + 1 - (n > 1 ? tieTerm / (n * (double)(n - 1)) : 0));
        if (variance <= 0) return new MannWhitneyResult(u1, 0, 1);
        // Two-sided with continuity correction: z = (max(U1, U2) − μ − ½) / σ, p = 2 (1 − Φ(z)), capped at 1.
        double uMax = Math.Max(u1, n1 * (double)n2 - u1);
        double z = (uMax - mu - 0.5) / Math.Sqrt(variance);
        return new MannWhitneyResult(u1, z, Math.Min(1, 2 * Distributions.NormalSf(z)));
    }
}
