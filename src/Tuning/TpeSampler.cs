using RlExperiments.Core;

namespace RlExperiments.Tuning;

/// <summary>
/// Optuna 4's Tree-structured Parzen Estimator (<c>TPESampler</c>). The finished trials (complete and pruned) are split
/// into the good ("below") ones, the best <see cref="Gamma"/>(n) of them, and the rest; a Parzen estimator
/// (<see cref="ParzenEstimator"/>) is fitted on each group, l(x) on the good and g(x) on the rest, with old observations
/// down-weighted in trial order; <see cref="TpeSamplerOptions.EiCandidates"/> draws from l(x) are scored by
/// log l(x) − log g(x) and the best is taken. Floats are truncated Gaussians (in log space when log-scaled), integers
/// whole-number cells of them, categoricals Optuna's prior-smoothed tables. Until
/// <see cref="TpeSamplerOptions.StartupTrials"/> trials are finished it samples from the prior.
/// </summary>
/// <remarks>
/// <para>Independent (default): one estimator per hyperparameter, over the trials where it is active.
/// <see cref="TpeSamplerOptions.Multivariate"/>: one joint estimator over the hyperparameters every finished trial has;
/// <see cref="TpeSamplerOptions.Group"/>: one per group of hyperparameters that always appear together. Hyperparameters
/// left out of the joint estimators are sampled independently. <see cref="TpeSamplerOptions.ConstantLiar"/>: running
/// trials (the history holds them; the optimizer passes every trial of the storage, other workers' included) join g(x).</para>
/// <para>Pruned trials rank after complete ones, by the step they reached (later first) and then their last value, as in
/// Optuna. A candidate configuration forbidden by the space's forbidden clauses is rejected and a new one is built, up
/// to <see cref="MaxForbiddenRejections"/> times, after which it falls back to a prior sample
/// (<see cref="ConfigurationSpace.Sample"/>), so it never suggests a forbidden configuration.</para>
/// </remarks>
public sealed class TpeSampler : ISampler
{
    /// <summary>Creates a TPE sampler.</summary>
    /// <param name="direction">Whether lower or higher objective values are better.</param>
    /// <param name="options">Settings (null: Optuna 4's defaults).</param>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public TpeSampler(StudyDirection direction = StudyDirection.Minimize, TpeSamplerOptions? options = null)
    {
        options ??= new TpeSamplerOptions();
        options.Validate();
        Direction = direction;
        Options = options;
    }

    /// <summary>Optimisation direction.</summary>
    public StudyDirection Direction { get; }

    /// <summary>The settings.</summary>
    public TpeSamplerOptions Options { get; }

    /// <summary>Forbidden TPE candidates rejected before falling back to a prior sample.</summary>
    public const int MaxForbiddenRejections = 100;

    /// <summary>Optuna's <c>default_gamma</c>: the number of good trials among <paramref name="n"/> finished ones, min(ceil(0.1 n), 25).</summary>
    /// <param name="n">Number of finished (complete and pruned) trials.</param>
    public static int Gamma(int n) => Math.Min((int)Math.Ceiling(0.1 * n), 25);

    /// <inheritdoc />
    public Configuration Suggest(ConfigurationSpace space, IReadOnlyList<Trial> history, Rng rng)
    {
        int finished = history.Count(IsFinished);
        if (finished < Math.Max(Options.StartupTrials, 1)) return space.Sample(rng);
        var (below, above) = Split(history, Gamma(finished), Direction, Options.ConstantLiar);
        var belowConfigs = below.Select(i => history[i].Configuration).ToList();
        var aboveConfigs = above.Select(i => history[i].Configuration).ToList();

        var joint = new List<JointModel>();
        if (Options.Multivariate)
        {
            var finishedNames = history.Where(IsFinished).Select(t => t.Configuration.Keys);
            var groups = Options.Group ? Decompose(finishedNames) : new List<HashSet<string>> { Intersect(finishedNames) };
            foreach (var g in groups)
            {
                var dims = space.Hyperparameters.Where(hp => g.Contains(hp.Name)).Select(TpeDimension.For).OfType<TpeDimension>().ToArray();
                if (dims.Length > 0) joint.Add(Fit(dims, belowConfigs, aboveConfigs));
            }
        }
        var independent = new Dictionary<string, JointModel>(StringComparer.Ordinal);
        for (int attempt = 0; attempt < MaxForbiddenRejections; attempt++)
        {
            var chosen = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var m in joint) m.SuggestInto(chosen, Options.EiCandidates, rng);
            var candidate = space.Build((hp, _) =>
            {
                if (chosen.TryGetValue(hp.Name, out var v)) return v;
                if (TpeDimension.For(hp) is not { } dim) return hp.Sample(rng);
                if (!independent.TryGetValue(hp.Name, out var model))
                    independent[hp.Name] = model = Fit([dim], belowConfigs, aboveConfigs);
                var one = new Dictionary<string, object>(StringComparer.Ordinal);
                model.SuggestInto(one, Options.EiCandidates, rng);
                return one[hp.Name];
            });
            if (!space.IsForbidden(candidate)) return candidate;
        }
        return space.Sample(rng);
    }

    private static bool IsFinished(Trial t) =>
        t.State == TrialState.Pruned || (t.State == TrialState.Complete && t.Value is double v && !double.IsNaN(v));

    /// <summary>
    /// Optuna's <c>_split_trials</c>: the <paramref name="nBelow"/> best complete trials are good; if there are fewer,
    /// the best pruned ones (later step first, then last value) fill up; every other finished trial, and with the
    /// constant liar every running trial, is bad. Both lists hold indices into <paramref name="history"/>, in trial order.
    /// </summary>
    internal static (List<int> Below, List<int> Above) Split(IReadOnlyList<Trial> history, int nBelow, StudyDirection direction, bool constantLiar)
    {
        double sign = direction == StudyDirection.Minimize ? 1 : -1;
        var complete = new List<int>();
        var pruned = new List<int>();
        var above = new List<int>();
        for (int i = 0; i < history.Count; i++)
        {
            var t = history[i];
            if (t.State == TrialState.Running) { if (constantLiar) above.Add(i); }
            else if (IsFinished(t)) (t.State == TrialState.Complete ? complete : pruned).Add(i);
        }
        // Stable sorts: ties keep trial order, as Python's sorted does.
        var completeSorted = complete.OrderBy(i => sign * history[i].Value!.Value).ToList();
        var prunedSorted = pruned.OrderBy(i => PrunedRank(history[i], sign).Step).ThenBy(i => PrunedRank(history[i], sign).Value).ToList();
        int fromComplete = Math.Min(nBelow, completeSorted.Count);
        int fromPruned = Math.Min(nBelow - fromComplete, prunedSorted.Count);
        var below = completeSorted.Take(fromComplete).Concat(prunedSorted.Take(fromPruned)).ToList();
        above.AddRange(completeSorted.Skip(fromComplete));
        above.AddRange(prunedSorted.Skip(fromPruned));
        below.Sort();
        above.Sort();
        return (below, above);
    }

    /// <summary>Optuna's <c>_get_pruned_trial_score</c>: (−last step, signed last value; NaN last); no report ranks last.</summary>
    private static (double Step, double Value) PrunedRank(Trial t, double sign)
    {
        if (t.LastIntermediateValue is { } last)
            return (-last.Step, double.IsNaN(last.Value) ? double.PositiveInfinity : sign * last.Value);
        // A pruned trial whose steps the history does not carry: rank it by the last value it stored.
        if (t.Value is double v) return (0, double.IsNaN(v) ? double.PositiveInfinity : sign * v);
        return (1, 0);
    }

    /// <summary>The hyperparameters active in every given trial (Optuna's intersection search space).</summary>
    internal static HashSet<string> Intersect(IEnumerable<IEnumerable<string>> trials)
    {
        HashSet<string>? common = null;
        foreach (var names in trials)
            if (common is null) common = new HashSet<string>(names, StringComparer.Ordinal);
            else common.IntersectWith(names);
        return common ?? new HashSet<string>(StringComparer.Ordinal);
    }

    /// <summary>
    /// Optuna's group decomposition (<c>_SearchSpaceGroup</c>): trial by trial, each group is split into the part the
    /// trial has and the part it lacks, and the trial's new names form a group; so each final group holds names that
    /// were always active together.
    /// </summary>
    internal static List<HashSet<string>> Decompose(IEnumerable<IEnumerable<string>> trials)
    {
        var groups = new List<HashSet<string>>();
        foreach (var names in trials)
        {
            var rest = new HashSet<string>(names, StringComparer.Ordinal);
            var next = new List<HashSet<string>>();
            foreach (var g in groups)
            {
                next.Add(g.Where(rest.Contains).ToHashSet(StringComparer.Ordinal));
                next.Add(g.Where(n => !rest.Contains(n)).ToHashSet(StringComparer.Ordinal));
                rest.ExceptWith(g);
            }
            next.Add(rest);
            groups = next.Where(g => g.Count > 0).ToList();
        }
        return groups;
    }

    private JointModel Fit(TpeDimension[] dims, List<Configuration> below, List<Configuration> above)
    {
        List<double[]> Observations(List<Configuration> configs)
        {
            var rows = new List<double[]>();
            foreach (var c in configs)
            {
                var row = new double[dims.Length];
                bool all = true;
                for (int d = 0; d < dims.Length && all; d++)
                {
                    if (c.TryGetValue(dims[d].Hyperparameter.Name, out var v)) row[d] = dims[d].ToInternal(v);
                    else all = false;
                }
                if (all) rows.Add(row);
            }
            return rows;
        }
        return new JointModel(dims,
            new ParzenEstimator(dims, Observations(below), Options.PriorWeight),
            new ParzenEstimator(dims, Observations(above), Options.PriorWeight));
    }

    /// <summary>l(x) and g(x) over some dimensions, and the candidate search between them.</summary>
    private sealed class JointModel(TpeDimension[] dims, ParzenEstimator below, ParzenEstimator above)
    {
        private readonly double[] _x = new double[dims.Length], _best = new double[dims.Length];
        // One integer or categorical: the candidates repeat a few values, so each value's score is computed once.
        private readonly Dictionary<double, double>? _scores = dims.Length == 1 && dims[0].Kind != TpeDimensionKind.Continuous ? new() : null;

        /// <summary>Draws the candidates from l(x) and puts the values of the one with the largest log l(x) − log g(x) into <paramref name="into"/>.</summary>
        public void SuggestInto(Dictionary<string, object> into, int candidates, Rng rng)
        {
            double bestScore = double.NegativeInfinity;
            for (int k = 0; k < candidates; k++)
            {
                below.Sample(rng, _x);
                if (_scores is null || !_scores.TryGetValue(_x[0], out double score))
                {
                    score = below.LogPdf(_x) - above.LogPdf(_x);
                    _scores?.Add(_x[0], score);
                }
                if (k == 0 || score > bestScore)
                {
                    bestScore = score;
                    _x.CopyTo(_best, 0);
                }
            }
            for (int d = 0; d < dims.Length; d++) into[dims[d].Hyperparameter.Name] = dims[d].ToValue(_best[d]);
        }
    }
}
