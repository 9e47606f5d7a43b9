namespace RlExperiments.Evaluation.Statistics;

/// <summary>A named sample of scalar scores, one per run (e.g. each seed's final test return). Immutable; all values finite.</summary>
public sealed class ScoreGroup
{
    private readonly double[] _scores;

    /// <summary>Creates a group (the scores are copied).</summary>
    /// <exception cref="ArgumentException">When there are no scores or one is NaN or ±∞ (the message names the group and run).</exception>
    public ScoreGroup(string name, IEnumerable<double> scores)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(scores);
        Name = name;
        _scores = scores.ToArray();
        if (_scores.Length == 0)
            throw new ArgumentException($"Group '{name}' is empty: it needs at least one score.", nameof(scores));
        for (var i = 0; i < _scores.Length; i++)
        {
            if (!double.IsFinite(_scores[i]))
                throw new ArgumentException($"Group '{name}' has a non-finite score ({_scores[i]}) at run {i}; scores must be finite numbers.", nameof(scores));
        }
    }

    /// <summary>The per-run means over tasks of a score matrix, as a group.</summary>
    public static ScoreGroup FromMatrix(ScoreMatrix scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var values = new double[scores.Runs];
        for (var r = 0; r < scores.Runs; r++)
        {
            var sum = 0.0;
            for (var t = 0; t < scores.Tasks; t++)
                sum += scores[r, t];
            values[r] = sum / scores.Tasks;
        }
        return new ScoreGroup(scores.Name, values);
    }

    /// <summary>The group's name.</summary>
    public string Name { get; }

    /// <summary>The scores.</summary>
    public IReadOnlyList<double> Scores => _scores;

    /// <summary>The number of scores.</summary>
    public int Count => _scores.Length;

    /// <summary>The sample mean.</summary>
    public double Mean => _scores.Average();

    /// <summary>The sample variance (n − 1 denominator); NaN with a single score.</summary>
    public double Variance
    {
        get
        {
            if (_scores.Length < 2)
                return double.NaN;
            var mean = Mean;
            var ss = 0.0;
            foreach (var v in _scores)
                ss += (v - mean) * (v - mean);
            return ss / (_scores.Length - 1);
        }
    }

    /// <summary>The sample standard deviation (n − 1 denominator); NaN with a single score.</summary>
    public double StandardDeviation => Math.Sqrt(Variance);

    internal ReadOnlySpan<double> Span => _scores;

    internal void RequireAtLeast(int count, string test)
    {
        if (_scores.Length < count)
            throw new ArgumentException($"Group '{Name}' has {_scores.Length} score(s) but {test} needs at least {count} per group (its variance must be estimated).");
    }
}

/// <summary>The alternative hypothesis of a two-group test about mean(A) − mean(B).</summary>
public enum Alternative
{
    /// <summary>The means differ.</summary>
    TwoSided,
    /// <summary>mean(A) &lt; mean(B).</summary>
    Less,
    /// <summary>mean(A) &gt; mean(B).</summary>
    Greater,
}

/// <summary>A method for comparing groups.</summary>
public enum ComparisonMethod
{
    /// <summary>Welch's unequal-variance t-test per pair; Holm's step-down correction across pairs.</summary>
    WelchTTest,
    /// <summary>Permutation test on the difference of means per pair; Holm's step-down correction across pairs.</summary>
    PermutationTest,
    /// <summary>Tukey's honestly significant difference over all pairs (pooled variance, studentized range).</summary>
    TukeyHsd,
}

/// <summary>Descriptive statistics of one group in a comparison.</summary>
/// <param name="Name">The group's name.</param>
/// <param name="Count">The number of scores.</param>
/// <param name="Mean">The sample mean.</param>
/// <param name="StandardDeviation">The sample standard deviation (n − 1); NaN for a single score.</param>
public sealed record GroupStatistics(string Name, int Count, double Mean, double StandardDeviation)
{
    /// <summary>The statistics of a group.</summary>
    public static GroupStatistics Of(ScoreGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return new GroupStatistics(group.Name, group.Count, group.Mean, group.StandardDeviation);
    }
}

/// <summary>One row of a comparison: group A against group B.</summary>
/// <param name="Method">The test.</param>
/// <param name="GroupA">The first group's name.</param>
/// <param name="GroupB">The second group's name.</param>
/// <param name="MeanA">The mean of A.</param>
/// <param name="MeanB">The mean of B.</param>
/// <param name="Difference">mean(A) − mean(B).</param>
/// <param name="StatisticName">The test statistic's name: "t", "q" or "Δmean".</param>
/// <param name="Statistic">The test statistic's value.</param>
/// <param name="DegreesOfFreedom">The statistic's degrees of freedom, where defined.</param>
/// <param name="UnadjustedPValue">The p-value of this comparison alone.</param>
/// <param name="PValue">The p-value the decision uses: adjusted for multiplicity where a family of comparisons is made (Tukey's is adjusted by construction).</param>
/// <param name="ConfidenceLower">The lower end of the confidence interval for the difference, where defined (−∞ for a one-sided "less" interval).</param>
/// <param name="ConfidenceUpper">The upper end of the interval, where defined (+∞ for a one-sided "greater" interval).</param>
/// <param name="ConfidenceLevel">The interval's coverage (simultaneous for a family), where defined.</param>
/// <param name="Alpha">The significance level.</param>
/// <param name="Reject">Whether the null hypothesis of equal means is rejected at <paramref name="Alpha"/> (PValue ≤ Alpha).</param>
/// <param name="Details">How the p-value was obtained, e.g. "exact over 252 splits".</param>
public sealed record PairwiseComparison(
    ComparisonMethod Method,
    string GroupA,
    string GroupB,
    double MeanA,
    double MeanB,
    double Difference,
    string StatisticName,
    double Statistic,
    double? DegreesOfFreedom,
    double UnadjustedPValue,
    double PValue,
    double? ConfidenceLower,
    double? ConfidenceUpper,
    double? ConfidenceLevel,
    double Alpha,
    bool Reject,
    string Details)
{
    /// <summary>The decision in words: "A &gt; B", "A &lt; B" or "no significant difference".</summary>
    public string Decision => !Reject ? "no significant difference"
        : Difference > 0 ? $"{GroupA} > {GroupB}"
        : Difference < 0 ? $"{GroupA} < {GroupB}"
        : $"{GroupA} ≠ {GroupB}";
}

/// <summary>The result of comparing groups: their descriptive statistics and one row per pair.</summary>
/// <param name="Method">The test.</param>
/// <param name="Alpha">The significance level.</param>
/// <param name="Alternative">The alternative hypothesis (Tukey's HSD is always two-sided).</param>
/// <param name="FamilyWiseControl">How the family-wise error rate is controlled, in words.</param>
/// <param name="Groups">The groups' statistics, in input order.</param>
/// <param name="Comparisons">One row per pair (i &lt; j in input order).</param>
public sealed record ComparisonTable(
    ComparisonMethod Method,
    double Alpha,
    Alternative Alternative,
    string FamilyWiseControl,
    IReadOnlyList<GroupStatistics> Groups,
    IReadOnlyList<PairwiseComparison> Comparisons)
{
    /// <summary>A human-readable name of the method, e.g. "Welch's t-test".</summary>
    public string MethodName => Method switch
    {
        ComparisonMethod.WelchTTest => "Welch's t-test",
        ComparisonMethod.PermutationTest => "Permutation test (difference of means)",
        ComparisonMethod.TukeyHsd => "Tukey's HSD",
        _ => Method.ToString(),
    };
}
