using RlExperiments.Environments;
using RlExperiments.Experiments.Algorithms;
using RlExperiments.Experiments.Persistence;
using RlExperiments.Factories.Logging;

namespace RlExperiments.Experiments;

/// <summary>
/// Options of <c>services.AddRlExperiments(o =&gt; ...)</c>: the user's types that saved files may name, the user's
/// environments, the environment registry and the default metrics logger. Several <c>AddRlExperiments</c>
/// calls add up.
/// </summary>
public sealed class RlExperimentsOptions
{
    private readonly List<(Type Type, string? Name)> _allowedTypes = [];
    private readonly List<EnvSpec> _envSpecs = [];
    private readonly List<AlgorithmModule> _algorithms = [];

    /// <summary>
    /// Registers an algorithm of your own (see <c>docs/adding-an-algorithm.md</c>): the container's
    /// <see cref="AlgorithmRegistry"/> then holds the built-in algorithms and this one, and its persisted types are allowed.
    /// </summary>
    public RlExperimentsOptions AddAlgorithm(AlgorithmModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        _algorithms.Add(module);
        return this;
    }

    /// <summary>The algorithms added with <see cref="AddAlgorithm"/>.</summary>
    public IReadOnlyList<AlgorithmModule> Algorithms => _algorithms;

    /// <summary>The built-in algorithms' <see cref="AlgorithmRegistry.Default"/> when none were added, else a new registry with the built-in ones and the added ones.</summary>
    public AlgorithmRegistry BuildAlgorithmRegistry() =>
        _algorithms.Count == 0 ? AlgorithmRegistry.Default : new AlgorithmRegistry([.. AlgorithmRegistry.Default.Modules, .. _algorithms]);

    /// <summary>Lets saved files name <typeparamref name="T"/> (under <paramref name="name"/>, default the type's name); see <see cref="TypeAllowList.Allow{T}(string?)"/>.</summary>
    /// <returns>These options, for chaining.</returns>
    public RlExperimentsOptions AllowType<T>(string? name = null) => AllowType(typeof(T), name);

    /// <summary>Lets saved files name <paramref name="type"/>; see <see cref="TypeAllowList.Allow(Type, string?)"/>.</summary>
    /// <returns>These options, for chaining.</returns>
    public RlExperimentsOptions AllowType(Type type, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        _allowedTypes.Add((type, name));
        return this;
    }

    /// <summary>Registers an environment under <paramref name="id"/> in the DI container's <see cref="Environments.EnvRegistry"/>; see <see cref="EnvRegistry.Register(string, Func{EnvKwargs, Env}, int?, double?, IReadOnlyList{string}?)"/>.</summary>
    /// <returns>These options, for chaining.</returns>
    public RlExperimentsOptions RegisterEnv(string id, Func<EnvKwargs, Env> factory, int? maxEpisodeSteps = null,
        double? rewardThreshold = null, IReadOnlyList<string>? parameters = null) =>
        RegisterEnv(new EnvSpec(id, factory) { MaxEpisodeSteps = maxEpisodeSteps, RewardThreshold = rewardThreshold, Parameters = parameters ?? [] });

    /// <summary>Registers <paramref name="spec"/> in the DI container's <see cref="Environments.EnvRegistry"/>.</summary>
    /// <returns>These options, for chaining.</returns>
    public RlExperimentsOptions RegisterEnv(EnvSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _envSpecs.Add(spec);
        return this;
    }

    /// <summary>
    /// The registry the container provides. Default: null, meaning <see cref="EnvRegistry.Default"/> when no
    /// environment is registered through <see cref="RegisterEnv(EnvSpec)"/>, else a new registry with the built-in
    /// ids plus the registered ones (the process-wide default is left untouched).
    /// </summary>
    public EnvRegistry? EnvRegistry { get; set; }

    /// <summary>
    /// The metrics logger factory the container provides (builders from <see cref="ExperimentRunner"/> use it unless told
    /// otherwise). Default: TensorBoard event files (as in Tianshou) plus <c>progress.csv</c>.
    /// </summary>
    public LoggerFactory DefaultLoggerFactory { get; set; } = ExperimentServices.DefaultMetricsLogger;

    /// <summary>The types added with <see cref="AllowType(Type, string?)"/>.</summary>
    public IReadOnlyList<(Type Type, string? Name)> AllowedTypes => _allowedTypes;

    /// <summary>The environments added with <see cref="RegisterEnv(EnvSpec)"/>.</summary>
    public IReadOnlyList<EnvSpec> EnvSpecs => _envSpecs;

    /// <summary>Creates the allow-list: the framework's types plus <see cref="AllowedTypes"/>.</summary>
    public TypeAllowList BuildAllowList(AlgorithmRegistry? algorithms = null)
    {
        var list = new TypeAllowList(algorithms: algorithms ?? BuildAlgorithmRegistry());
        foreach (var (type, name) in _allowedTypes)
            list.Allow(type, name);
        return list;
    }

    /// <summary>Creates (or picks) the registry and registers <see cref="EnvSpecs"/> in it; see <see cref="EnvRegistry"/>.</summary>
    /// <exception cref="ArgumentException">An id is already registered with a different spec.</exception>
    public EnvRegistry BuildEnvRegistry()
    {
        var registry = EnvRegistry ?? (_envSpecs.Count == 0 ? EnvRegistry.Default : new EnvRegistry());
        foreach (var spec in _envSpecs)
        {
            if (registry.Contains(spec.Id) && registry.Spec(spec.Id) == spec)
                continue;
            registry.Register(spec);
        }
        return registry;
    }
}
