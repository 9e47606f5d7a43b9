namespace RlExperiments.Evaluation.Statistics;

/// <summary>
/// Scores of one method (a "group", e.g. "PPO") as a runs × tasks matrix, as in rliable: <c>this[run, task]</c> is the
/// score of run (seed) <c>run</c> on task <c>task</c>. Most experiments here have one task (one environment), so the
/// matrix is a single column of per-seed scores. Immutable; every score is finite.
/// </summary>
public sealed class ScoreMatrix
{
    private readonly double[,] _scores;

    /// <summary>Creates a matrix from a runs × tasks array (copied).</summary>
    /// <param name="name">The group's name, used in error messages and tables.</param>
    /// <param name="scores">scores[run, task]; at least one run and one task, all finite.</param>
    /// <exception cref="ArgumentException">When the array is empty or holds NaN or ±∞ (the message names the group, run and task).</exception>
    public ScoreMatrix(string name, double[,] scores)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(scores);
        Name = name;
        if (scores.GetLength(0) == 0 || scores.GetLength(1) == 0)
            throw new ArgumentException($"Group '{name}' has no scores (a {scores.GetLength(0)} × {scores.GetLength(1)} matrix); it needs at least one run and one task.", nameof(scores));
        for (var r = 0; r < scores.GetLength(0); r++)
        for (var t = 0; t < scores.GetLength(1); t++)
        {
            if (!double.IsFinite(scores[r, t]))
                throw new ArgumentException($"Group '{name}' has a non-finite score ({scores[r, t]}) at run {r}, task {t}; scores must be finite numbers.", nameof(scores));
        }
        _scores = (double[,])scores.Clone();
    }

    private ScoreMatrix(string name, double[,] scores, bool _)
    {
        Name = name;
        _scores = scores;
    }

    /// <summary>A single-task matrix: one score per run (e.g. the final test return of each seed).</summary>
    /// <exception cref="ArgumentException">When there are no scores or one is NaN or ±∞.</exception>
    public static ScoreMatrix FromRuns(string name, IEnumerable<double> runScores)
    {
        ArgumentNullException.ThrowIfNull(runScores);
        var values = runScores.ToArray();
        var m = new double[values.Length, 1];
        for (var i = 0; i < values.Length; i++)
            m[i, 0] = values[i];
        return new ScoreMatrix(name, m);
    }

    internal static ScoreMatrix Wrap(string name, double[,] scores) => new(name, scores, true);

    /// <summary>The group's name.</summary>
    public string Name { get; }

    /// <summary>The number of runs (rows).</summary>
    public int Runs => _scores.GetLength(0);

    /// <summary>The number of tasks (columns).</summary>
    public int Tasks => _scores.GetLength(1);

    /// <summary>The score of run <paramref name="run"/> on task <paramref name="task"/>.</summary>
    public double this[int run, int task] => _scores[run, task];

    /// <summary>All scores, run-major (run 0's tasks first), as a new array.</summary>
    public double[] Flatten()
    {
        var result = new double[Runs * Tasks];
        var i = 0;
        foreach (var v in _scores)
            result[i++] = v;
        return result;
    }

    /// <summary>The scores of one task across runs, as a new array.</summary>
    public double[] Task(int task)
    {
        var result = new double[Runs];
        for (var r = 0; r < Runs; r++)
            result[r] = _scores[r, task];
        return result;
    }

    /// <summary>A copy of the scores as a runs × tasks array.</summary>
    public double[,] ToArray() => (double[,])_scores.Clone();
}
