namespace RlExperiments.Experiments.Algorithms;

/// <summary>
/// The algorithms the framework knows, by name: the one place that lists them. <see cref="Default"/> holds the built-in
/// modules (<see cref="BuiltInAlgorithms"/>); register your own with <c>AlgorithmRegistry.Default.Register(module)</c>
/// without DI, or <c>services.AddRlExperiments(o =&gt; o.AddAlgorithm(module))</c> with it. Registering a module also
/// allows its <see cref="AlgorithmModule.PersistedTypes"/> in every <see cref="Persistence.TypeAllowList"/> built on this registry.
/// Thread-safe.
/// </summary>
public sealed class AlgorithmRegistry
{
    private readonly Lock _lock = new();
    private readonly List<AlgorithmModule> _modules = [];

    /// <summary>Creates a registry holding <paramref name="modules"/> (none when null).</summary>
    /// <exception cref="ArgumentException">Two modules share a name.</exception>
    public AlgorithmRegistry(IEnumerable<AlgorithmModule>? modules = null)
    {
        foreach (var module in modules ?? []) Register(module);
    }

    /// <summary>The process-wide registry with the built-in algorithms.</summary>
    public static AlgorithmRegistry Default { get; } = new(BuiltInAlgorithms.All);

    /// <summary>The registered modules, in registration order.</summary>
    public IReadOnlyList<AlgorithmModule> Modules
    {
        get
        {
            lock (_lock) return _modules.ToArray();
        }
    }

    /// <summary>The registered names, in registration order.</summary>
    public IReadOnlyList<string> Names => Modules.Select(m => m.Name).ToArray();

    /// <summary>Adds <paramref name="module"/>; registering the same module object again does nothing.</summary>
    /// <exception cref="ArgumentException">Another module has the same name (case-insensitive), or the module's name differs from its factory's.</exception>
    public AlgorithmRegistry Register(AlgorithmModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (string.IsNullOrWhiteSpace(module.Name))
            throw new ArgumentException($"{module.GetType().Name}.Name is empty; allowed: a name such as \"DQN\".", nameof(module));
        var factoryName = module.CreateDefault().AlgorithmName;
        if (!string.Equals(factoryName, module.Name, StringComparison.Ordinal))
            throw new ArgumentException($"{module.GetType().Name}.Name is \"{module.Name}\" but its factory's AlgorithmName is \"{factoryName}\"; they must be equal.", nameof(module));
        lock (_lock)
        {
            var existing = _modules.FirstOrDefault(m => string.Equals(m.Name, module.Name, StringComparison.OrdinalIgnoreCase));
            if (ReferenceEquals(existing, module)) return this;
            if (existing is not null)
                throw new ArgumentException($"An algorithm named \"{existing.Name}\" is already registered ({existing.GetType().FullName}); register {module.GetType().FullName} under another name.", nameof(module));
            _modules.Add(module);
        }
        return this;
    }

    /// <summary>Whether an algorithm named <paramref name="name"/> (case-insensitive) is registered.</summary>
    public bool TryGet(string name, out AlgorithmModule module)
    {
        lock (_lock)
            module = _modules.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))!;
        return module is not null;
    }

    /// <summary>The module named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No such algorithm; the message lists the registered ones.</exception>
    public AlgorithmModule Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryGet(name, out var module) ? module
            : throw new ArgumentException($"Unknown algorithm \"{name}\"; registered: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>Whether <paramref name="type"/> is one of the registered modules' persisted types.</summary>
    internal bool TryGetPersistedType(string name, out Type type)
    {
        type = Modules.SelectMany(m => m.PersistedTypes).FirstOrDefault(t => t.Name == name)!;
        return type is not null;
    }

    /// <summary>Every registered module's persisted types.</summary>
    internal IEnumerable<Type> PersistedTypes => Modules.SelectMany(m => m.PersistedTypes);
}
