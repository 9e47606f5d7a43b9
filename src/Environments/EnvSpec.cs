using System.Text.Json.Serialization;

namespace RlExperiments.Environments;

/// <summary>
/// A registry entry (Gymnasium's <c>EnvSpec</c>): the id, the factory, the time limit the registry
/// applies through <see cref="Wrappers.TimeLimit"/>, the reward threshold at which the task counts as
/// solved, and the keyword arguments the factory accepts.
/// </summary>
/// <param name="Id">The id, e.g. "CartPole-v1".</param>
/// <param name="Factory">Creates the bare environment from validated keyword arguments (not serialised).</param>
public sealed record EnvSpec(string Id, Func<EnvKwargs, Env> Factory)
{
    private readonly int? _maxEpisodeSteps;

    /// <summary>The id, e.g. "CartPole-v1".</summary>
    public string Id { get; init; } = string.IsNullOrWhiteSpace(Id)
        ? throw new ArgumentException("An environment id must not be empty.", nameof(Id))
        : Id;

    /// <summary>Creates the bare environment from validated keyword arguments (not serialised).</summary>
    [JsonIgnore]
    public Func<EnvKwargs, Env> Factory { get; init; } = Factory ?? throw new ArgumentNullException(nameof(Factory));

    /// <summary>The episode length after which <see cref="Wrappers.TimeLimit"/> truncates; null for no limit.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value below 1.</exception>
    public int? MaxEpisodeSteps
    {
        get => _maxEpisodeSteps;
        init => _maxEpisodeSteps = value is <= 0
            ? throw new ArgumentOutOfRangeException(nameof(MaxEpisodeSteps), value, "max_episode_steps must be positive (or null for no limit).")
            : value;
    }

    /// <summary>The average return at which the task counts as solved; null when Gymnasium defines none.</summary>
    public double? RewardThreshold { get; init; }

    /// <summary>The keyword arguments the factory accepts (besides <c>max_episode_steps</c>, which the registry handles).</summary>
    public IReadOnlyList<string> Parameters { get; init; } = [];

    /// <summary>The keyword arguments the environment was made with (empty on a registered spec).</summary>
    public IReadOnlyDictionary<string, object?> Kwargs { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, object?>.Empty;
}
