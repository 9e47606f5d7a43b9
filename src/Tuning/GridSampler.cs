using RlExperiments.Core;

namespace RlExperiments.Tuning;

/// <summary>
/// Grid search: every choice of each categorical, <see cref="PointsPerNumeric"/> evenly spaced points (geometric when log)
/// of each numeric, respecting conditions (inactive children are not expanded) and skipping points forbidden by the
/// space's forbidden clauses. Each grid point is suggested once,
/// in random order; when all were suggested (any trial state counts) <see cref="Suggest"/> throws.
/// </summary>
public sealed class GridSampler : ISampler
{
    /// <summary>Creates a grid sampler.</summary>
    /// <param name="pointsPerNumeric">Points per float/integer hyperparameter (at least 1; 1 means the default).</param>
    public GridSampler(int pointsPerNumeric = 5)
    {
        if (pointsPerNumeric < 1) throw new ArgumentOutOfRangeException(nameof(pointsPerNumeric), "Need at least one point per numeric hyperparameter.");
        PointsPerNumeric = pointsPerNumeric;
    }

    /// <summary>Points per numeric hyperparameter.</summary>
    public int PointsPerNumeric { get; }

    /// <summary>Grid values of one hyperparameter.</summary>
    /// <param name="hp">Hyperparameter.</param>
    public IReadOnlyList<object> Values(Hyperparameter hp)
    {
        int n = PointsPerNumeric;
        switch (hp)
        {
            case CategoricalHyperparameter c: return c.Choices;
            case ConstantHyperparameter k: return new[] { k.Value };
            case FloatHyperparameter f:
                if (n == 1) return new object[] { f.DefaultValue };
                return Enumerable.Range(0, n).Select(i => (object)(f.Log
                    ? Math.Clamp(Math.Exp(Math.Log(f.Lower) + (Math.Log(f.Upper) - Math.Log(f.Lower)) * i / (n - 1)), f.Lower, f.Upper)
                    : f.Lower + (f.Upper - f.Lower) * i / (n - 1))).ToArray();
            case IntegerHyperparameter g:
                if (n == 1) return new object[] { g.DefaultValue };
                return Enumerable.Range(0, n).Select(i => Math.Clamp((long)Math.Round(g.Log
                        ? Math.Exp(Math.Log(g.Lower) + (Math.Log(g.Upper) - Math.Log(g.Lower)) * i / (n - 1))
                        : g.Lower + (double)(g.Upper - g.Lower) * i / (n - 1)), g.Lower, g.Upper))
                    .Distinct().Select(v => (object)v).ToArray();
            default: throw new NotSupportedException($"Grid over {hp.GetType().Name} is not supported.");
        }
    }

    /// <summary>All grid configurations that are not forbidden, in lexicographic order of the space's hyperparameters.</summary>
    /// <param name="space">Search space.</param>
    public IReadOnlyList<Configuration> Enumerate(ConfigurationSpace space)
    {
        var result = new List<Configuration>();
        var hps = space.Hyperparameters;
        var current = new List<KeyValuePair<string, object>>();
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        void Recurse(int i)
        {
            if (i == hps.Count)
            {
                var config = new Configuration(current);
                if (!space.IsForbidden(config)) result.Add(config);
                return;
            }
            var hp = hps[i];
            if (!space.IsActive(hp.Name, values)) { Recurse(i + 1); return; }
            foreach (var v in Values(hp))
            {
                values[hp.Name] = v; current.Add(new(hp.Name, v));
                Recurse(i + 1);
                current.RemoveAt(current.Count - 1); values.Remove(hp.Name);
            }
        }
        Recurse(0);
        return result;
    }

    /// <inheritdoc />
    public Configuration Suggest(ConfigurationSpace space, IReadOnlyList<Trial> history, Rng rng)
    {
        var seen = history.Select(t => t.Configuration).ToHashSet();
        var all = Enumerate(space);
        if (all.Count == 0) throw new InvalidOperationException($"The grid is empty: the forbidden clauses [{string.Join("; ", space.Forbidden)}] exclude every grid point.");
        var left = all.Where(c => !seen.Contains(c)).ToList();
        if (left.Count == 0) throw new InvalidOperationException("The grid is exhausted: every grid point was already suggested.");
        return left[rng.NextInt(left.Count)];
    }
}
