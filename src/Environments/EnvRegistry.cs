using RlExperiments.Environments.ClassicControl;
using RlExperiments.Environments.Internal;
using RlExperiments.Environments.Vector;
using RlExperiments.Environments.Wrappers;

namespace RlExperiments.Environments;

/// <summary>
/// Environments by id, as Gymnasium's registry: <see cref="Make"/> creates the environment from its
/// <see cref="EnvSpec"/> and applies the spec's <see cref="TimeLimit"/>. Comes with the classic-control ids
/// (CartPole-v0/v1, Acrobot-v1, MountainCar-v0, MountainCarContinuous-v0, Pendulum-v1) with Gymnasium's time
/// limits and reward thresholds; users add their own with <see cref="Register(EnvSpec, bool)"/>.
/// </summary>
/// <remarks>
/// A plain thread-safe class: create one (or use <see cref="Default"/>) without any DI container, or register
/// it as a singleton. Keyword arguments are a JSON-friendly <c>IReadOnlyDictionary&lt;string, object?&gt;</c>;
/// every id accepts <c>max_episode_steps</c> (a positive int overriding the spec's limit).
/// </remarks>
public sealed class EnvRegistry
{
    /// <summary>The kwarg that overrides the spec's time limit.</summary>
    public const string MaxEpisodeStepsKwarg = "max_episode_steps";

    private readonly Dictionary<string, EnvSpec> _specs = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Creates a registry, with the built-in classic-control ids unless <paramref name="includeBuiltIns"/> is false.</summary>
    public EnvRegistry(bool includeBuiltIns = true)
    {
        if (includeBuiltIns)
            foreach (var spec in BuiltInSpecs())
                _specs.Add(spec.Id, spec);
    }

    /// <summary>A process-wide registry with the built-in ids (Gymnasium's global <c>gym.registry</c>).</summary>
    public static EnvRegistry Default { get; } = new();

    /// <summary>The registered ids, sorted.</summary>
    public IReadOnlyList<string> Ids
    {
        get
        {
            lock (_lock)
                return _specs.Keys.Order(StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary>Registers <paramref name="spec"/>; an existing id is replaced only when <paramref name="overwrite"/> is true.</summary>
    /// <exception cref="ArgumentException">The id is taken and <paramref name="overwrite"/> is false, or a parameter is named max_episode_steps.</exception>
    public void Register(EnvSpec spec, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Parameters.Contains(MaxEpisodeStepsKwarg))
            throw new ArgumentException($"'{MaxEpisodeStepsKwarg}' is handled by the registry and cannot be a factory parameter.", nameof(spec));
        lock (_lock)
        {
            if (!overwrite && _specs.ContainsKey(spec.Id))
                throw new ArgumentException($"The id '{spec.Id}' is already registered; pass overwrite: true to replace it.", nameof(spec));
            _specs[spec.Id] = spec;
        }
    }

    /// <summary>Registers a factory under <paramref name="id"/> (see <see cref="Register(EnvSpec, bool)"/>).</summary>
    /// <param name="id">The id, e.g. "MyEnv-v0".</param>
    /// <param name="factory">Creates the bare environment; read kwargs through <see cref="EnvKwargs"/>.</param>
    /// <param name="maxEpisodeSteps">The time limit the registry applies, or null for none.</param>
    /// <param name="rewardThreshold">The return at which the task counts as solved, or null.</param>
    /// <param name="parameters">The kwarg names the factory accepts.</param>
    public void Register(string id, Func<EnvKwargs, Env> factory, int? maxEpisodeSteps = null,
        double? rewardThreshold = null, IReadOnlyList<string>? parameters = null) =>
        Register(new EnvSpec(id, factory) { MaxEpisodeSteps = maxEpisodeSteps, RewardThreshold = rewardThreshold, Parameters = parameters ?? [] });

    /// <summary>True when <paramref name="id"/> is registered.</summary>
    public bool Contains(string id)
    {
        lock (_lock)
            return _specs.ContainsKey(id);
    }

    /// <summary>The spec registered under <paramref name="id"/> (Gymnasium's <c>gym.spec</c>).</summary>
    /// <exception cref="ArgumentException">Unknown id; the message lists the known ids and the closest match.</exception>
    public EnvSpec Spec(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_lock)
        {
            if (_specs.TryGetValue(id, out var spec))
                return spec;
            var known = _specs.Keys.Order(StringComparer.Ordinal).ToArray();
            var closest = EditDistance.Closest(id, known);
            throw new ArgumentException(
                $"Unknown environment id '{id}'." + (closest is null ? "" : $" Did you mean '{closest}'?") +
                $" Known ids: {(known.Length == 0 ? "(none)" : string.Join(", ", known))}.", nameof(id));
        }
    }

    /// <summary>
    /// Creates the environment registered under <paramref name="id"/> (Gymnasium's <c>gym.make</c>), wrapped in
    /// <see cref="TimeLimit"/> when the spec (or the <c>max_episode_steps</c> kwarg) sets a limit. The result's
    /// <see cref="Env.Spec"/> carries the effective limit and the kwargs.
    /// </summary>
    /// <param name="id">The id, e.g. "CartPole-v1".</param>
    /// <param name="kwargs">Keyword arguments, e.g. <c>{"g": 9.81}</c> for Pendulum-v1 or <c>{"max_episode_steps": 100}</c>.</param>
    /// <exception cref="ArgumentException">Unknown id (the message lists the known ids and the closest one), or an unknown or invalid kwarg (the message names it and the allowed ones).</exception>
    public Env Make(string id, IReadOnlyDictionary<string, object?>? kwargs = null)
    {
        var spec = Spec(id);
        kwargs ??= System.Collections.ObjectModel.ReadOnlyDictionary<string, object?>.Empty;
        var allowed = spec.Parameters.Append(MaxEpisodeStepsKwarg).ToArray();
        var factoryKwargs = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in kwargs)
        {
            if (!allowed.Contains(key, StringComparer.Ordinal))
            {
                var closest = EditDistance.Closest(key, allowed);
                throw new ArgumentException(
                    $"Unknown parameter '{key}' for {id}." + (closest is null ? "" : $" Did you mean '{closest}'?") +
                    $" Allowed parameters: {string.Join(", ", allowed)}.", key);
            }
            if (key != MaxEpisodeStepsKwarg)
                factoryKwargs[key] = value;
        }

        var maxSteps = spec.MaxEpisodeSteps;
        if (kwargs.TryGetValue(MaxEpisodeStepsKwarg, out var rawMax) && rawMax is not null)
        {
            var m = EnvKwargs.ToInt(rawMax, MaxEpisodeStepsKwarg, id);
            if (m <= 0)
                throw new ArgumentException($"Parameter '{MaxEpisodeStepsKwarg}' of {id} must be a positive integer; got {m}.", MaxEpisodeStepsKwarg);
            maxSteps = m;
        }

        var env = spec.Factory(new EnvKwargs(id, factoryKwargs))
            ?? throw new InvalidOperationException($"The factory registered for {id} returned null.");
        env.Spec = spec with { MaxEpisodeSteps = maxSteps, Kwargs = new Dictionary<string, object?>(kwargs) };
        return maxSteps is { } limit ? new TimeLimit(env, limit) : env;
    }

    /// <summary>
    /// Creates <paramref name="numEnvs"/> copies of <paramref name="id"/> stepping together (Gymnasium's
    /// <c>gym.make_vec</c>), each made by <see cref="Make"/> and optionally wrapped by <paramref name="wrap"/>.
    /// </summary>
    /// <param name="id">The id.</param>
    /// <param name="numEnvs">How many environments; at least 1.</param>
    /// <param name="mode">Sequential (one thread) or parallel (persistent worker threads); see <see cref="VectorMode"/>.</param>
    /// <param name="kwargs">Keyword arguments for every copy.</param>
    /// <param name="wrap">Applied to every copy after Make, e.g. <c>e =&gt; new RecordEpisodeStatistics(e)</c>.</param>
    public VectorEnv MakeVec(string id, int numEnvs, VectorMode mode = VectorMode.Sequential,
        IReadOnlyDictionary<string, object?>? kwargs = null, Func<Env, Env>? wrap = null)
    {
        if (numEnvs <= 0)
            throw new ArgumentOutOfRangeException(nameof(numEnvs), numEnvs, "numEnvs must be at least 1.");
        var envs = new Env[numEnvs];
        for (var i = 0; i < numEnvs; i++)
        {
            var env = Make(id, kwargs);
            envs[i] = wrap is null ? env : wrap(env);
        }
        return mode switch
        {
            VectorMode.Sequential => new SequentialVectorEnv(envs),
            VectorMode.Parallel => new ParallelVectorEnv(envs),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "mode must be Sequential or Parallel."),
        };
    }

    private static IEnumerable<EnvSpec> BuiltInSpecs()
    {
        yield return new EnvSpec("CartPole-v0", k => new CartPole(k.GetBool("sutton_barto_reward", false)))
        { MaxEpisodeSteps = 200, RewardThreshold = 195.0, Parameters = ["sutton_barto_reward"] };
        yield return new EnvSpec("CartPole-v1", k => new CartPole(k.GetBool("sutton_barto_reward", false)))
        { MaxEpisodeSteps = 500, RewardThreshold = 475.0, Parameters = ["sutton_barto_reward"] };
        yield return new EnvSpec("MountainCar-v0", k => new MountainCar(k.GetDouble("goal_velocity", 0.0)))
        { MaxEpisodeSteps = 200, RewardThreshold = -110.0, Parameters = ["goal_velocity"] };
        yield return new EnvSpec("MountainCarContinuous-v0", k => new MountainCarContinuous(k.GetDouble("goal_velocity", 0.0)))
        { MaxEpisodeSteps = 999, RewardThreshold = 90.0, Parameters = ["goal_velocity"] };
        yield return new EnvSpec("Pendulum-v1", k => new Pendulum(k.GetDouble("g", Pendulum.DefaultGravity)))
        { MaxEpisodeSteps = 200, RewardThreshold = null, Parameters = ["g"] };
        yield return new EnvSpec("Acrobot-v1", _ => new Acrobot())
        { MaxEpisodeSteps = 500, RewardThreshold = -100.0, Parameters = [] };
    }
}
