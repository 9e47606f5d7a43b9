using RlExperiments.Core;

namespace RlExperiments.Tuning;

/// <summary>
/// Optuna 4's <c>CmaEsSampler</c> with its defaults: CMA-ES over the numeric hyperparameters that no condition switches
/// off (floats as they are, log-scale ones in log space, integers as rounded continuous values on
/// [low − 0.5, high + 0.5]), each then scaled to [0, 1] (Optuna's <c>transform_0_1</c>, since Optuna 3.2), so the
/// search starts at the centre of the unit cube with σ0 = 1/6 in every dimension whatever the ranges; categoricals and
/// conditional hyperparameters sampled independently at random, as Optuna's default independent sampler does.
/// λ = 4 + ⌊3 ln n⌋; the first <see cref="StartupTrials"/> complete trials are random; no restarts. With fewer than two
/// such numeric dimensions it samples randomly, as Optuna does.
/// <para>
/// No state is kept between calls: the distribution is recomputed from the history every time, so workers in other
/// processes and on other machines (a shared <see cref="IStudyStorage"/>) and a reopened study continue the same
/// search. A trial belongs to the generation that was current when it started, i.e. the number of generations that had
/// λ complete members among the trials finished before its <see cref="Trial.StartedUtc"/> (without timestamps: all
/// earlier finished trials); a generation is told its first λ complete members in trial order, and later members of a
/// told generation are ignored, as in Optuna (its generation system attribute, without storing anything).
/// </para>
/// </summary>
public sealed class CmaEsSampler : ISampler
{
    /// <summary>Creates a CMA-ES sampler.</summary>
    /// <param name="direction">Whether lower or higher objective values are better.</param>
    /// <param name="sigma0">Initial step size in the unit cube the ranges are scaled to; null = 1/6 (Optuna's min (high − low)/6 there).</param>
    /// <param name="populationSize">λ; null = 4 + ⌊3 ln n⌋ for n dimensions.</param>
    /// <param name="startupTrials">Complete trials sampled at random before CMA-ES starts (Optuna default 1).</param>
    public CmaEsSampler(StudyDirection direction = StudyDirection.Minimize, double? sigma0 = null, int? populationSize = null, int startupTrials = 1)
    {
        if (sigma0 is { } s && !(s > 0 && double.IsFinite(s))) throw new ArgumentOutOfRangeException(nameof(sigma0), s, "A positive finite step size, or null for the default.");
        if (populationSize is { } p && p < 2) throw new ArgumentOutOfRangeException(nameof(populationSize), p, "At least 2, or null for 4 + floor(3 ln n).");
        if (startupTrials < 0) throw new ArgumentOutOfRangeException(nameof(startupTrials), startupTrials, "An integer ≥ 0.");
        Direction = direction; Sigma0 = sigma0; PopulationSize = populationSize; StartupTrials = startupTrials;
    }

    /// <summary>Optimisation direction.</summary>
    public StudyDirection Direction { get; }
    /// <summary>Initial step size in the unit cube; null = the default 1/6.</summary>
    public double? Sigma0 { get; }
    /// <summary>Population size λ; null = the default.</summary>
    public int? PopulationSize { get; }
    /// <summary>Complete trials before CMA-ES starts.</summary>
    public int StartupTrials { get; }

    /// <summary>Forbidden CMA-ES candidates rejected before falling back to a prior sample.</summary>
    public const int MaxForbiddenRejections = 100;

    /// <summary>The hyperparameters CMA-ES searches: numeric ones with low &lt; high that no condition switches off.</summary>
    /// <param name="space">Search space.</param>
    public static IReadOnlyList<Hyperparameter> SearchedHyperparameters(ConfigurationSpace space)
    {
        var conditional = space.Conditions.Select(c => c.Child).ToHashSet(StringComparer.Ordinal);
        return space.Hyperparameters.Where(hp => !conditional.Contains(hp.Name) && hp switch
        {
            FloatHyperparameter f => f.Lower < f.Upper,
            IntegerHyperparameter g => g.Lower < g.Upper,
            _ => false,
        }).ToList();
    }

    /// <inheritdoc />
    public Configuration Suggest(ConfigurationSpace space, IReadOnlyList<Trial> history, Rng rng)
    {
        var dims = SearchedHyperparameters(space);
        if (dims.Count < 2) return space.Sample(rng);
        var es = Replay(dims, history, out bool started);
        if (!started) return space.Sample(rng);
        var index = dims.Select((hp, i) => (hp.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        for (int attempt = 0; attempt < MaxForbiddenRejections; attempt++)
        {
            var u = es.Ask(rng);
            var candidate = space.Build((hp, _) => index.TryGetValue(hp.Name, out int i) ? FromSearch(hp, Low(hp) + u[i] * (High(hp) - Low(hp))) : hp.Sample(rng));
            if (!space.IsForbidden(candidate)) return candidate;
        }
        return space.Sample(rng);
    }

    /// <summary>
    /// The distribution the next trial is drawn from, over the unit cube (dimension i scaled from [Low, High] to [0, 1]):
    /// generations assigned to the history's trials in order, then the told generations replayed from the initial
    /// distribution. <paramref name="started"/> is false before the startup trials.
    /// </summary>
    internal CmaEs Replay(IReadOnlyList<Hyperparameter> dims, IReadOnlyList<Trial> history, out bool started)
    {
        int nd = dims.Count;
        var lo = dims.Select(Low).ToArray();
        var hi = dims.Select(High).ToArray();
        // Optuna: mean = centre of the bounds, σ0 = min over dimensions of (high − low)/6, on the [0, 1] bounds.
        var es = new CmaEs(Enumerable.Repeat(0.5, nd).ToArray(), Sigma0 ?? 1.0 / 6, new double[nd], Enumerable.Repeat(1.0, nd).ToArray(), PopulationSize);
        int lambda = es.PopulationSize;
        double sign = Direction == StudyDirection.Minimize ? 1 : -1;

        // Usable[j]: complete with a finite value and every searched dimension present (its point in search space).
        int n = history.Count;
        var points = new double[]?[n];
        for (int j = 0; j < n; j++)
            if (history[j] is { State: TrialState.Complete, Value: double v } t && double.IsFinite(v) && dims.All(d => t.Configuration.ContainsKey(d.Name)))
                points[j] = dims.Select((d, i) => (ToSearch(d, t.Configuration[d.Name]) - lo[i]) / (hi[i] - lo[i])).ToArray();

        // Complete members of each generation so far, in trial order.
        var members = new List<List<int>>();
        var generation = new int[n];
        bool Visible(int j, DateTime? at) => at is null || history[j].CompletedUtc is not { } done || done <= at;
        int GenerationAt(int k, DateTime? at)
        {
            int known = 0;
            for (int j = 0; j < k; j++) if (points[j] is not null && Visible(j, at)) known++;
            if (known < StartupTrials) return -1;
            int g = 0;
            while (g < members.Count && members[g].Count(j => Visible(j, at)) >= lambda) g++;
            return g;
        }
        for (int k = 0; k < n; k++)
        {
            generation[k] = history[k].State == TrialState.Waiting ? -1 : GenerationAt(k, history[k].StartedUtc);
            if (generation[k] < 0 || points[k] is null) continue;
            while (members.Count <= generation[k]) members.Add(new List<int>());
            members[generation[k]].Add(k);
        }
        int current = GenerationAt(n, null);
        started = current >= 0;

        for (int g = 0; g < current; g++)
        {
            // Told at the start of the first trial of a later generation (or now): its first λ members finished by then.
            int next = Array.FindIndex(generation, x => x > g);
            DateTime? at = next < 0 ? null : history[next].StartedUtc;
            var told = members[g].Where(j => Visible(j, at)).Take(lambda).Select(j => (points[j]!, sign * history[j].Value!.Value)).ToList();
            es.Tell(told);
        }
        return es;
    }

    private static double Low(Hyperparameter hp) => hp switch
    {
        FloatHyperparameter f => f.Log ? Math.Log(f.Lower) : f.Lower,
        IntegerHyperparameter g => g.TransformedLow,
        _ => throw new NotSupportedException(hp.GetType().Name),
    };

    private static double High(Hyperparameter hp) => hp switch
    {
        FloatHyperparameter f => f.Log ? Math.Log(f.Upper) : f.Upper,
        IntegerHyperparameter g => g.TransformedHigh,
        _ => throw new NotSupportedException(hp.GetType().Name),
    };

    /// <summary>A stored value in search space: log for log-scale hyperparameters; integers as their (rounded) value.</summary>
    private static double ToSearch(Hyperparameter hp, object value)
    {
        double v = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
        bool log = hp is FloatHyperparameter { Log: true } or IntegerHyperparameter { Log: true };
        return log ? Math.Log(v) : v;
    }

    private static object FromSearch(Hyperparameter hp, double x) => hp switch
    {
        FloatHyperparameter f => (object)Math.Clamp(f.Log ? Math.Exp(x) : x, f.Lower, f.Upper),
        IntegerHyperparameter g => (object)g.FromTransformed(x),
        _ => throw new NotSupportedException(hp.GetType().Name),
    };
}
