using RlExperiments.Core;

namespace RlExperiments.Tuning;

/// <summary>Thrown when a configuration does not fit its space; <see cref="Errors"/> lists every problem.</summary>
public sealed class ConfigurationValidationException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errors">One message per problem.</param>
    public ConfigurationValidationException(IReadOnlyList<string> errors)
        : base("Invalid configuration: " + string.Join(" ", errors)) => Errors = errors;

    /// <summary>One message per problem.</summary>
    public IReadOnlyList<string> Errors { get; }
}

/// <summary>
/// A ConfigSpace-like set of hyperparameters with activation conditions and forbidden clauses. Parents must be added
/// before their children.
/// </summary>
public sealed class ConfigurationSpace
{
    private readonly List<Hyperparameter> _hps = new();
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<Condition> _conditions = new();
    private readonly List<ForbiddenClause> _forbidden = new();

    /// <summary>Draws <see cref="Sample"/> makes before giving up when forbidden clauses reject every draw.</summary>
    public const int MaxSampleAttempts = 10_000;

    /// <summary>Creates an empty space.</summary>
    /// <param name="name">Optional descriptive name.</param>
    public ConfigurationSpace(string name = "") => Name = name;

    /// <summary>Descriptive name.</summary>
    public string Name { get; }
    /// <summary>Hyperparameters in insertion order.</summary>
    public IReadOnlyList<Hyperparameter> Hyperparameters => _hps;
    /// <summary>All conditions.</summary>
    public IReadOnlyList<Condition> Conditions => _conditions;
    /// <summary>All forbidden clauses; a configuration forbidden by any of them is invalid.</summary>
    public IReadOnlyList<ForbiddenClause> Forbidden => _forbidden;

    /// <summary>Adds hyperparameters.</summary>
    /// <param name="hyperparameters">Hyperparameters with new names.</param>
    public ConfigurationSpace Add(params Hyperparameter[] hyperparameters)
    {
        foreach (var hp in hyperparameters)
        {
            if (_index.ContainsKey(hp.Name)) throw new ArgumentException($"Hyperparameter '{hp.Name}' is already in the space.");
            _index[hp.Name] = _hps.Count;
            _hps.Add(hp);
        }
        return this;
    }

    /// <summary>Adds conditions; several conditions on one child must all hold.</summary>
    /// <param name="conditions">Conditions whose parent was added before the child.</param>
    public ConfigurationSpace Add(params Condition[] conditions)
    {
        foreach (var c in conditions)
        {
            var child = Get(c.Child); var parent = Get(c.Parent);
            if (_index[c.Parent] >= _index[c.Child]) throw new ArgumentException($"Parent '{c.Parent}' must be added before child '{c.Child}'.");
            var values = c switch { EqualsCondition e => new[] { e.Value }, InCondition i => i.Values.ToArray(), _ => Array.Empty<object>() };
            foreach (var v in values)
                if (parent.Check(parent.Coerce(v)) is { } err) throw new ArgumentException($"Condition {c}: {err}");
            _ = child;
            _conditions.Add(c);
        }
        return this;
    }

    /// <summary>
    /// Adds forbidden clauses. Every named hyperparameter must be in the space, values of
    /// <see cref="ForbiddenEqualsClause"/> must be legal, both sides of a <see cref="ForbiddenRelation"/> must be numeric
    /// (float, integer, or categorical/constant with only numeric values), and the space's <see cref="Default"/> must not
    /// be forbidden. Either all clauses are added or, on error, none.
    /// </summary>
    /// <param name="clauses">Clauses to add.</param>
    public ConfigurationSpace Add(params ForbiddenClause[] clauses)
    {
        ArgumentNullException.ThrowIfNull(clauses);
        foreach (var c in clauses)
        {
            if (c is null) throw new ArgumentNullException(nameof(clauses), "Forbidden clauses must not be null.");
            CheckClause(c, c);
        }
        var defaults = Default;
        foreach (var c in clauses)
            if (c.IsForbidden(defaults))
                throw new ArgumentException($"Clause {c} forbids the space's default configuration {defaults}; change the defaults or the clause.", nameof(clauses));
        _forbidden.AddRange(clauses);
        return this;
    }

    private void CheckClause(ForbiddenClause clause, ForbiddenClause root)
    {
        foreach (var name in clause.HyperparameterNames)
            if (!_index.ContainsKey(name)) throw new ArgumentException($"Clause {root} names unknown hyperparameter '{name}'.");
        switch (clause)
        {
            case ForbiddenEqualsClause e:
                var hp = Get(e.Name);
                if (hp.Check(hp.Coerce(e.Value)) is { } err) throw new ArgumentException($"Clause {root}: {err}");
                break;
            case ForbiddenRelation r:
                foreach (var name in new[] { r.Left, r.Right })
                    if (!IsNumeric(Get(name)))
                        throw new ArgumentException($"Clause {root} compares '{name}', which is not numeric ({Get(name).GetType().Name}); relations need float, integer, or numeric categorical/constant hyperparameters.");
                break;
            case ForbiddenAndConjunction a:
                foreach (var inner in a.Clauses) CheckClause(inner, root);
                break;
        }
    }

    private static bool IsNumeric(Hyperparameter hp) => hp switch
    {
        FloatHyperparameter or IntegerHyperparameter => true,
        CategoricalHyperparameter c => c.Choices.All(v => v is double or long),
        ConstantHyperparameter k => k.Value is double or long,
        _ => false,
    };

    /// <summary>
    /// A copy of this space without the named hyperparameters (and the conditions and forbidden clauses naming them; a
    /// conjunction naming one is dropped whole, so the copy forbids no more than before), e.g. to drop what an
    /// algorithm here cannot express. Removing a parent whose children stay is an error, since the children's activity
    /// would become undefined.
    /// </summary>
    /// <param name="names">Hyperparameters to remove; each must be in the space.</param>
    public ConfigurationSpace Without(params string[] names)
    {
        var removed = new HashSet<string>(names, StringComparer.Ordinal);
        foreach (var name in removed) Get(name);
        foreach (var c in _conditions)
            if (removed.Contains(c.Parent) && !removed.Contains(c.Child))
                throw new ArgumentException($"Cannot remove '{c.Parent}': '{c.Child}' depends on it ({c}); remove both or neither.", nameof(names));
        var copy = new ConfigurationSpace(Name).Add(_hps.Where(h => !removed.Contains(h.Name)).ToArray());
        copy.Add(_conditions.Where(c => !removed.Contains(c.Child)).ToArray());
        return copy.Add(_forbidden.Where(f => !f.HyperparameterNames.Any(removed.Contains)).ToArray());
    }

    /// <summary>Gets a hyperparameter by name.</summary>
    /// <param name="name">Name.</param>
    public Hyperparameter Get(string name) => TryGet(name, out var hp) ? hp : throw new KeyNotFoundException($"Unknown hyperparameter '{name}'.");

    /// <summary>Tries to get a hyperparameter by name.</summary>
    /// <param name="name">Name.</param>
    /// <param name="hyperparameter">The hyperparameter when found.</param>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Hyperparameter hyperparameter)
    {
        if (_index.TryGetValue(name, out var i)) { hyperparameter = _hps[i]; return true; }
        hyperparameter = null; return false;
    }

    /// <summary>Whether a hyperparameter is active given the (partial) values of its parents.</summary>
    /// <param name="name">Hyperparameter name.</param>
    /// <param name="values">Values chosen so far.</param>
    public bool IsActive(string name, IReadOnlyDictionary<string, object> values)
    {
        foreach (var c in _conditions)
        {
            if (c.Child != name) continue;
            if (!values.TryGetValue(c.Parent, out var pv) || !c.IsSatisfiedBy(pv)) return false;
        }
        return true;
    }

    /// <summary>Builds a configuration by choosing each active hyperparameter in order; inactive ones are omitted.</summary>
    /// <param name="choose">Value for an active hyperparameter given the values chosen so far.</param>
    public Configuration Build(Func<Hyperparameter, IReadOnlyDictionary<string, object>, object> choose)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        var ordered = new List<KeyValuePair<string, object>>();
        foreach (var hp in _hps)
        {
            if (!IsActive(hp.Name, values)) continue;
            var v = ConfigValues.Normalize(choose(hp, values));
            values[hp.Name] = v;
            ordered.Add(new(hp.Name, v));
        }
        return new Configuration(ordered);
    }

    /// <summary>
    /// Draws a random configuration (log-uniform for log-scaled numerics; inactive children omitted). Forbidden
    /// configurations are rejected and redrawn (deterministic for a given <paramref name="rng"/> state); after
    /// <see cref="MaxSampleAttempts"/> rejected draws it throws <see cref="InvalidOperationException"/>.
    /// </summary>
    /// <param name="rng">Seeded random source.</param>
    public Configuration Sample(Rng rng)
    {
        for (int attempt = 0; attempt < MaxSampleAttempts; attempt++)
        {
            var config = Build((hp, _) => hp.Sample(rng));
            if (!IsForbidden(config)) return config;
        }
        throw new InvalidOperationException(
            $"Could not sample a configuration{(Name.Length > 0 ? $" of space '{Name}'" : "")} that is not forbidden in {MaxSampleAttempts} attempts; "
            + $"the forbidden clauses [{string.Join("; ", _forbidden)}] exclude (almost) all of the space.");
    }

    /// <summary>Whether any forbidden clause forbids the configuration.</summary>
    /// <param name="configuration">Values of the active hyperparameters.</param>
    public bool IsForbidden(IReadOnlyDictionary<string, object> configuration)
    {
        foreach (var c in _forbidden)
            if (c.IsForbidden(configuration)) return true;
        return false;
    }

    /// <summary>The default configuration (defaults of the hyperparameters active under the defaults).</summary>
    public Configuration Default => Build((hp, _) => hp.Default);

    /// <summary>Lists every problem of a configuration (empty when valid).</summary>
    /// <param name="configuration">Configuration to check.</param>
    public IReadOnlyList<string> GetErrors(Configuration configuration)
    {
        var errors = new List<string>();
        foreach (var name in configuration.Keys)
            if (!_index.ContainsKey(name)) errors.Add($"Unknown hyperparameter '{name}'.");
        foreach (var hp in _hps)
        {
            bool active = IsActive(hp.Name, configuration);
            bool present = configuration.TryGetValue(hp.Name, out var v);
            if (active && !present) errors.Add($"Active hyperparameter '{hp.Name}' is missing.");
            else if (!active && present)
            {
                var conds = string.Join(" and ", _conditions.Where(c => c.Child == hp.Name));
                errors.Add($"Hyperparameter '{hp.Name}' is inactive ({conds}) but was given.");
            }
            else if (present && hp.Check(v!) is { } err) errors.Add(err);
        }
        foreach (var c in _forbidden)
            if (c.IsForbidden(configuration)) errors.Add($"Configuration is forbidden by clause {c}.");
        return errors;
    }

    /// <summary>Throws <see cref="ConfigurationValidationException"/> naming every problem when the configuration is invalid.</summary>
    /// <param name="configuration">Configuration to check.</param>
    public void Validate(Configuration configuration)
    {
        var errors = GetErrors(configuration);
        if (errors.Count > 0) throw new ConfigurationValidationException(errors);
    }
}
