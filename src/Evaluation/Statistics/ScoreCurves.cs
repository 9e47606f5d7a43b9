namespace RlExperiments.Evaluation.Statistics;

/// <summary>
/// Score curves of one group on a common step grid: <c>this[run, point]</c> is run <c>run</c>'s score (e.g. test return)
/// at <c>Steps[point]</c> environment steps. Immutable; every value is finite.
/// </summary>
public sealed class ScoreCurves
{
    private readonly double[] _steps;
    private readonly double[,] _values;

    /// <summary>Creates curves from a shared, strictly increasing step grid and a runs × points array (both copied).</summary>
    /// <exception cref="ArgumentException">When the shapes disagree, the grid is not strictly increasing, or a value is NaN or ±∞.</exception>
    public ScoreCurves(string name, IReadOnlyList<double> steps, double[,] values)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(values);
        Name = name;
        if (values.GetLength(0) == 0 || steps.Count == 0)
            throw new ArgumentException($"Group '{name}' has no curves: it needs at least one run and one evaluation point.", nameof(values));
        if (values.GetLength(1) != steps.Count)
            throw new ArgumentException($"Group '{name}': the curves have {values.GetLength(1)} points but the step grid has {steps.Count}.", nameof(values));
        for (var i = 0; i < steps.Count; i++)
        {
            if (!double.IsFinite(steps[i]) || (i > 0 && steps[i] <= steps[i - 1]))
                throw new ArgumentException($"Group '{name}': the step grid must be finite and strictly increasing (position {i}: {steps[i]}).", nameof(steps));
        }
        for (var r = 0; r < values.GetLength(0); r++)
        for (var p = 0; p < values.GetLength(1); p++)
        {
            if (!double.IsFinite(values[r, p]))
                throw new ArgumentException($"Group '{name}' has a non-finite score ({values[r, p]}) in run {r} at step {steps[p]}.", nameof(values));
        }
        _steps = steps.ToArray();
        _values = (double[,])values.Clone();
    }

    /// <summary>
    /// Puts runs evaluated at possibly different steps on one grid. When every run has the same steps, they are used as
    /// they are. Otherwise the grid is the union of all runs' steps inside the range every run covers (from the latest
    /// first step to the earliest last step), thinned to at most <paramref name="maxPoints"/> evenly spaced steps, and each
    /// run is interpolated linearly onto it. Nothing is extrapolated: a run that stopped early shortens the common range.
    /// </summary>
    /// <param name="name">The group's name.</param>
    /// <param name="runs">Each run's (step, score) points, in any order; a repeated step keeps its last score.</param>
    /// <param name="maxPoints">The largest grid built when the runs' steps differ (at least 2).</param>
    /// <exception cref="ArgumentException">When there are no runs, a run has no points or a non-finite value, or the runs share no step range.</exception>
    public static ScoreCurves FromRuns(string name, IEnumerable<IReadOnlyList<(double Step, double Score)>> runs, int maxPoints = 200)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(runs);
        if (maxPoints < 2)
            throw new ArgumentOutOfRangeException(nameof(maxPoints), maxPoints, "maxPoints must be at least 2.");
        var cleaned = new List<(double[] Steps, double[] Scores)>();
        var index = 0;
        foreach (var run in runs)
        {
            if (run is null || run.Count == 0)
                throw new ArgumentException($"Group '{name}': run {index} has no evaluation points.", nameof(runs));
            var byStep = new SortedDictionary<double, double>();
            foreach (var (step, score) in run)
            {
                if (!double.IsFinite(step) || !double.IsFinite(score))
                    throw new ArgumentException($"Group '{name}': run {index} has a non-finite point (step {step}, score {score}).", nameof(runs));
                byStep[step] = score;
            }
            cleaned.Add((byStep.Keys.ToArray(), byStep.Values.ToArray()));
            index++;
        }
        if (cleaned.Count == 0)
            throw new ArgumentException($"Group '{name}' has no runs.", nameof(runs));

        var first = cleaned[0].Steps;
        if (cleaned.All(c => c.Steps.AsSpan().SequenceEqual(first)))
        {
            var same = new double[cleaned.Count, first.Length];
            for (var r = 0; r < cleaned.Count; r++)
            for (var p = 0; p < first.Length; p++)
                same[r, p] = cleaned[r].Scores[p];
            return new ScoreCurves(name, first, same);
        }

        var start = cleaned.Max(c => c.Steps[0]);
        var end = cleaned.Min(c => c.Steps[^1]);
        if (start > end)
            throw new ArgumentException($"Group '{name}': the runs' evaluation steps do not overlap (latest first step {start} > earliest last step {end}).", nameof(runs));
        var union = cleaned.SelectMany(c => c.Steps).Where(s => s >= start && s <= end).Distinct().Order().ToArray();
        double[] grid;
        if (union.Length <= maxPoints)
            grid = union;
        else
        {
            grid = new double[maxPoints];
            for (var i = 0; i < maxPoints; i++)
                grid[i] = start + (end - start) * i / (maxPoints - 1);
        }
        var values = new double[cleaned.Count, grid.Length];
        for (var r = 0; r < cleaned.Count; r++)
        for (var p = 0; p < grid.Length; p++)
            values[r, p] = Interpolate(cleaned[r].Steps, cleaned[r].Scores, grid[p]);
        return new ScoreCurves(name, grid, values);
    }

    private static double Interpolate(double[] xs, double[] ys, double x)
    {
        var i = Array.BinarySearch(xs, x);
        if (i >= 0)
            return ys[i];
        i = ~i;
        if (i == 0)
            return ys[0];
        if (i >= xs.Length)
            return ys[^1];
        var f = (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
        return ys[i - 1] + f * (ys[i] - ys[i - 1]);
    }

    /// <summary>The group's name.</summary>
    public string Name { get; }

    /// <summary>The shared step grid, strictly increasing.</summary>
    public IReadOnlyList<double> Steps => _steps;

    /// <summary>The number of runs.</summary>
    public int Runs => _values.GetLength(0);

    /// <summary>The number of evaluation points.</summary>
    public int Points => _values.GetLength(1);

    /// <summary>Run <paramref name="run"/>'s score at evaluation point <paramref name="point"/>.</summary>
    public double this[int run, int point] => _values[run, point];

    /// <summary>All runs' scores at one evaluation point, as a one-task <see cref="ScoreMatrix"/>.</summary>
    public ScoreMatrix AtPoint(int point)
    {
        var m = new double[Runs, 1];
        for (var r = 0; r < Runs; r++)
            m[r, 0] = _values[r, point];
        return ScoreMatrix.Wrap(Name, m);
    }

    /// <summary>The runs × points array (a copy).</summary>
    public double[,] ToArray() => (double[,])_values.Clone();
}

/// <summary>
/// A sample-efficiency curve: an aggregate metric (IQM by default) of the runs' scores at each evaluation step, with a
/// bootstrap confidence band. As in rliable, each resample draws whole runs, so every point of a resample uses the same runs.
/// </summary>
/// <param name="Group">The group's name.</param>
/// <param name="Metric">The aggregate metric on each point.</param>
/// <param name="Steps">The evaluation steps.</param>
/// <param name="Values">The metric at each step with its interval.</param>
public sealed record SampleEfficiencyCurve(string Group, AggregateMetric Metric, IReadOnlyList<double> Steps, IReadOnlyList<Estimate> Values)
{
    /// <summary>Computes the curve of <paramref name="metric"/> over <paramref name="curves"/>.</summary>
    /// <exception cref="ArgumentException">For <see cref="AggregateMetric.OptimalityGap"/> without a threshold.</exception>
    public static SampleEfficiencyCurve Compute(ScoreCurves curves, AggregateMetric metric = AggregateMetric.InterquartileMean,
        BootstrapOptions? options = null, double? optimalityThreshold = null)
    {
        ArgumentNullException.ThrowIfNull(curves);
        options ??= BootstrapOptions.Default;
        options.Validate();
        if (metric == AggregateMetric.OptimalityGap && optimalityThreshold is null)
            throw new ArgumentException("The optimality gap needs a threshold γ.", nameof(optimalityThreshold));
        int runs = curves.Runs, points = curves.Points;
        var point = new double[points];
        var column = new double[runs];
        for (var p = 0; p < points; p++)
            point[p] = Evaluate(metric, curves, p, null, column, optimalityThreshold);
        if (runs < 2)
            return new SampleEfficiencyCurve(curves.Name, metric, curves.Steps,
                point.Select(v => new Estimate(v, double.NaN, double.NaN, options.ConfidenceLevel)).ToArray());

        var replicates = new double[points][];
        for (var p = 0; p < points; p++)
            replicates[p] = new double[options.Repetitions];
        var rng = new Core.Rng(options.Seed);
        var picks = new int[runs];
        for (var r = 0; r < options.Repetitions; r++)
        {
            for (var i = 0; i < runs; i++)
                picks[i] = rng.NextInt(runs);
            for (var p = 0; p < points; p++)
                replicates[p][r] = Evaluate(metric, curves, p, picks, column, optimalityThreshold);
        }
        return new SampleEfficiencyCurve(curves.Name, metric, curves.Steps,
            StratifiedBootstrap.IntervalsFromReplicates(point, replicates, options.ConfidenceLevel));
    }

    private static double Evaluate(AggregateMetric metric, ScoreCurves curves, int p, int[]? picks, double[] column, double? gamma)
    {
        for (var i = 0; i < column.Length; i++)
            column[i] = curves[picks?[i] ?? i, p];
        switch (metric)
        {
            case AggregateMetric.InterquartileMean:
                Array.Sort(column);
                return Aggregates.TrimmedMeanOfSorted(column, 0.25);
            case AggregateMetric.Mean:
                return column.Average();
            case AggregateMetric.Median:
                return Aggregates.Median(column);
            case AggregateMetric.OptimalityGap:
                return column.Average(v => Math.Max(gamma!.Value - v, 0));
            default:
                throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric.");
        }
    }
}
