using System.Globalization;
using RlExperiments.Core;

namespace RlExperiments.Evaluation.Statistics;

/// <summary>
/// Tests for differences between groups of per-run scores: Welch's t-test and a permutation test for two groups,
/// Tukey's HSD for all pairs of two or more groups, and <see cref="Compare"/> for a whole family with family-wise error control.
/// Two-sided by default; semantics follow scipy (<c>ttest_ind(equal_var=False)</c>, <c>permutation_test</c>, <c>tukey_hsd</c>).
/// </summary>
public static class HypothesisTests
{
    /// <summary>
    /// Welch's unequal-variance t-test of mean(A) = mean(B): t = (x̄_A − x̄_B) / √(s²_A/n_A + s²_B/n_B) with
    /// Welch–Satterthwaite degrees of freedom; the p-value comes from the Student-t distribution and the interval is
    /// the (1 − α) confidence interval for the difference of means (one-sided for a one-sided alternative).
    /// </summary>
    /// <remarks>If both groups have zero variance the statistic is ±∞ (p = 0) for different means and 0 (p = 1) for equal ones.</remarks>
    /// <exception cref="ArgumentException">When a group has fewer than 2 scores or α is outside (0, 1).</exception>
    public static PairwiseComparison WelchTTest(ScoreGroup a, ScoreGroup b, double alpha = 0.05, Alternative alternative = Alternative.TwoSided) =>
        Welch(a, b, alpha, alternative, 1 - alpha);

    private static PairwiseComparison Welch(ScoreGroup a, ScoreGroup b, double alpha, Alternative alternative, double confidenceLevel)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        CheckAlpha(alpha);
        a.RequireAtLeast(2, "Welch's t-test");
        b.RequireAtLeast(2, "Welch's t-test");
        double ma = a.Mean, mb = b.Mean;
        double va = a.Variance / a.Count, vb = b.Variance / b.Count;
        var diff = ma - mb;
        var se = Math.Sqrt(va + vb);
        double t, df, p;
        if (se == 0)
        {
            t = diff == 0 ? 0 : diff > 0 ? double.PositiveInfinity : double.NegativeInfinity;
            df = a.Count + b.Count - 2;
        }
        else
        {
            t = diff / se;
            df = (va + vb) * (va + vb) / (va * va / (a.Count - 1) + vb * vb / (b.Count - 1));
        }
        p = alternative switch
        {
            Alternative.Less => Distributions.StudentTCdf(t, df),
            Alternative.Greater => Distributions.StudentTSf(t, df),
            _ => Math.Min(1, 2 * Distributions.StudentTSf(Math.Abs(t), df)),
        };
        double lower, upper;
        if (alternative == Alternative.TwoSided)
        {
            var crit = Distributions.StudentTQuantile(1 - (1 - confidenceLevel) / 2, df);
            (lower, upper) = (diff - crit * se, diff + crit * se);
        }
        else
        {
            var crit = Distributions.StudentTQuantile(confidenceLevel, df);
            (lower, upper) = alternative == Alternative.Less ? (double.NegativeInfinity, diff + crit * se) : (diff - crit * se, double.PositiveInfinity);
        }
        return new PairwiseComparison(ComparisonMethod.WelchTTest, a.Name, b.Name, ma, mb, diff, "t", t, df, p, p,
            lower, upper, confidenceLevel, alpha, p <= alpha, $"Welch–Satterthwaite df = {df.ToString("0.##", CultureInfo.InvariantCulture)}");
    }

    /// <summary>
    /// A permutation test of mean(A) = mean(B) with statistic mean(A) − mean(B), over the ways of splitting the pooled
    /// scores into groups of the original sizes. Exact (every split enumerated, p = share of splits at least as extreme)
    /// when there are at most <paramref name="resamples"/> splits; otherwise <paramref name="resamples"/> seeded random
    /// splits with p = (count + 1) / (resamples + 1). Two-sided p = min(1, 2 · min(p_less, p_greater)), as scipy's
    /// <c>permutation_test</c>. No confidence interval.
    /// </summary>
    /// <exception cref="ArgumentException">When α is outside (0, 1) or resamples is not positive.</exception>
    public static PairwiseComparison PermutationTest(ScoreGroup a, ScoreGroup b, double alpha = 0.05, Alternative alternative = Alternative.TwoSided,
        int resamples = 100_000, ulong seed = 0) => Permutation(a, b, alpha, alternative, resamples, new Rng(seed));

    private static PairwiseComparison Permutation(ScoreGroup a, ScoreGroup b, double alpha, Alternative alternative, int resamples, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        CheckAlpha(alpha);
        if (resamples < 1)
            throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "resamples must be positive.");
        int na = a.Count, nb = b.Count, n = na + nb;
        var pooled = new double[n];
        a.Span.CopyTo(pooled);
        b.Span.CopyTo(pooled.AsSpan(na));
        var total = pooled.Sum();
        var scale = pooled.Max(Math.Abs);
        double Statistic(double sumA) => sumA / na - (total - sumA) / nb;
        var observed = Statistic(a.Span.ToArray().Sum());
        // Ties in floating point: splits within a relative 100 ulps of the observed value count as equal (as scipy).
        var gamma = 100 * double.Epsilon + 100 * 2.220446049250313e-16 * Math.Max(scale, Math.Abs(observed));

        long less = 0, greater = 0, count;
        bool exact;
        var splits = Binomial(n, na);
        if (splits <= resamples)
        {
            exact = true;
            count = 0;
            var idx = new int[na];
            for (var i = 0; i < na; i++)
                idx[i] = i;
            while (true)
            {
                var sum = 0.0;
                for (var i = 0; i < na; i++)
                    sum += pooled[idx[i]];
                Tally(Statistic(sum));
                count++;
                var k = na - 1;
                while (k >= 0 && idx[k] == n - na + k)
                    k--;
                if (k < 0)
                    break;
                idx[k]++;
                for (var j = k + 1; j < na; j++)
                    idx[j] = idx[j - 1] + 1;
            }
        }
        else
        {
            exact = false;
            count = resamples;
            var perm = new int[n];
            for (var i = 0; i < n; i++)
                perm[i] = i;
            for (var r = 0; r < resamples; r++)
            {
                var sum = 0.0;
                for (var i = 0; i < na; i++)
                {
                    var j = i + rng.NextInt(n - i);
                    (perm[i], perm[j]) = (perm[j], perm[i]);
                    sum += pooled[perm[i]];
                }
                Tally(Statistic(sum));
            }
        }

        double pLess, pGreater;
        if (exact)
        {
            pLess = (double)less / count;
            pGreater = (double)greater / count;
        }
        else
        {
            pLess = (less + 1.0) / (count + 1.0);
            pGreater = (greater + 1.0) / (count + 1.0);
        }
        var p = alternative switch
        {
            Alternative.Less => pLess,
            Alternative.Greater => pGreater,
            _ => Math.Min(1, 2 * Math.Min(pLess, pGreater)),
        };
        var details = exact
            ? $"exact over all {count.ToString(CultureInfo.InvariantCulture)} splits"
            : $"Monte Carlo, {count.ToString(CultureInfo.InvariantCulture)} random splits of {FormatCount(splits)}";
        return new PairwiseComparison(ComparisonMethod.PermutationTest, a.Name, b.Name, a.Mean, b.Mean, observed, "Δmean", observed, null,
            p, p, null, null, null, alpha, p <= alpha, details);

        void Tally(double value)
        {
            if (value <= observed + gamma)
                less++;
            if (value >= observed - gamma)
                greater++;
        }
    }

    /// <summary>
    /// Tukey's honestly significant difference test over all pairs of <paramref name="groups"/> (Tukey–Kramer for unequal
    /// sizes): pooled variance MSE with N − k degrees of freedom, q = |x̄_i − x̄_j| / √(MSE/2 · (1/n_i + 1/n_j)), p-values
    /// from the studentized range distribution and simultaneous (1 − α) intervals, so the family-wise error rate is α.
    /// </summary>
    /// <exception cref="ArgumentException">With fewer than 2 groups, duplicate names, no degrees of freedom left for the pooled variance (N − k = 0), or α outside (0, 1).</exception>
    public static ComparisonTable TukeyHsd(IReadOnlyList<ScoreGroup> groups, double alpha = 0.05)
    {
        CheckGroups(groups);
        CheckAlpha(alpha);
        var k = groups.Count;
        var n = groups.Sum(g => g.Count);
        var df = n - k;
        if (df < 1)
            throw new ArgumentException($"Tukey's HSD needs more scores than groups to estimate the pooled variance: {n} scores in {k} groups leave N − k = 0 degrees of freedom (every group has a single score).", nameof(groups));
        var sse = 0.0;
        foreach (var g in groups)
        {
            var mean = g.Mean;
            foreach (var v in g.Scores)
                sse += (v - mean) * (v - mean);
        }
        var mse = sse / df;
        var qCritical = Distributions.StudentizedRangeQuantile(1 - alpha, k, df);
        var rows = new List<PairwiseComparison>();
        for (var i = 0; i < k; i++)
        for (var j = i + 1; j < k; j++)
        {
            var (gi, gj) = (groups[i], groups[j]);
            var diff = gi.Mean - gj.Mean;
            var se = Math.Sqrt(mse / 2 * (1.0 / gi.Count + 1.0 / gj.Count));
            double q = se == 0 ? (diff == 0 ? 0 : double.PositiveInfinity) : Math.Abs(diff) / se;
            var p = Distributions.StudentizedRangeSf(q, k, df);
            rows.Add(new PairwiseComparison(ComparisonMethod.TukeyHsd, gi.Name, gj.Name, gi.Mean, gj.Mean, diff, "q", q, df, p, p,
                diff - qCritical * se, diff + qCritical * se, 1 - alpha, alpha, p <= alpha,
                $"studentized range, k = {k}, df = {df}, MSE = {mse.ToString("G4", CultureInfo.InvariantCulture)}"));
        }
        return new ComparisonTable(ComparisonMethod.TukeyHsd, alpha, Alternative.TwoSided,
            "Tukey's HSD: simultaneous over all pairs (family-wise error ≤ α)",
            groups.Select(GroupStatistics.Of).ToArray(), rows);
    }

    /// <summary>
    /// Compares every pair of <paramref name="groups"/> with <paramref name="method"/>, controlling the family-wise error rate
    /// at <paramref name="alpha"/>: Tukey's HSD does so by construction; Welch's t-test and the permutation test use Holm's
    /// step-down adjustment of the p-values (and, for Welch, Bonferroni-widened simultaneous intervals at level 1 − α/m).
    /// With two groups there is one pair and no adjustment.
    /// </summary>
    /// <param name="groups">Two or more groups with distinct names.</param>
    /// <param name="method">The test.</param>
    /// <param name="alpha">The family-wise significance level.</param>
    /// <param name="seed">Seeds the permutation test's random splits (each pair gets its own child stream).</param>
    /// <param name="resamples">The permutation test's budget (see <see cref="PermutationTest"/>).</param>
    /// <exception cref="ArgumentException">For invalid groups (see the individual tests) or α outside (0, 1).</exception>
    public static ComparisonTable Compare(IReadOnlyList<ScoreGroup> groups, ComparisonMethod method, double alpha = 0.05, ulong seed = 0, int resamples = 100_000)
    {
        if (method == ComparisonMethod.TukeyHsd)
            return TukeyHsd(groups, alpha);
        CheckGroups(groups);
        CheckAlpha(alpha);
        var pairs = new List<(int I, int J)>();
        for (var i = 0; i < groups.Count; i++)
        for (var j = i + 1; j < groups.Count; j++)
            pairs.Add((i, j));
        var m = pairs.Count;
        var level = 1 - alpha / m;
        var root = new Rng(seed);
        var rows = pairs.Select(pair => method == ComparisonMethod.WelchTTest
            ? Welch(groups[pair.I], groups[pair.J], alpha, Alternative.TwoSided, level)
            : Permutation(groups[pair.I], groups[pair.J], alpha, Alternative.TwoSided, resamples, root.SpawnOne())).ToArray();
        var adjusted = Holm(rows.Select(r => r.UnadjustedPValue).ToArray());
        for (var i = 0; i < rows.Length; i++)
            rows[i] = rows[i] with { PValue = adjusted[i], Reject = adjusted[i] <= alpha };
        var control = m == 1 ? "single comparison (no adjustment needed)" : $"Holm step-down over {m} pairs (family-wise error ≤ α)";
        return new ComparisonTable(method, alpha, Alternative.TwoSided, control, groups.Select(GroupStatistics.Of).ToArray(), rows);
    }

    /// <summary>Holm's step-down adjusted p-values (monotone, capped at 1), in the input order.</summary>
    public static double[] Holm(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ToArray();
        var adjusted = new double[m];
        var running = 0.0;
        for (var rank = 0; rank < m; rank++)
        {
            var i = order[rank];
            running = Math.Max(running, Math.Min(1, (m - rank) * pValues[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }

    private static void CheckAlpha(double alpha)
    {
        if (!(alpha > 0 && alpha < 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The significance level α must lie strictly between 0 and 1 (e.g. 0.05).");
    }

    private static void CheckGroups(IReadOnlyList<ScoreGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (groups.Count < 2)
            throw new ArgumentException($"A comparison needs at least 2 groups; got {groups.Count}.", nameof(groups));
        var duplicate = groups.GroupBy(g => g.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Group names must be distinct; '{duplicate.Key}' appears {duplicate.Count()} times.", nameof(groups));
    }

    private static double Binomial(int n, int k)
    {
        var result = 1.0;
        for (var i = 1; i <= k; i++)
            result = result * (n - k + i) / i;
        return Math.Round(result);
    }

    private static string FormatCount(double value) =>
        value < 1e15 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.##E0", CultureInfo.InvariantCulture);
}
