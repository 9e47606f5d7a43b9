namespace RlExperiments.Environments;

/// <summary>
/// The info dictionary of Gymnasium's <c>reset</c> and <c>step</c>, as one reusable object per environment
/// (<see cref="Env.Info"/>) so that stepping allocates nothing. The environment clears it at the start of every Step and Reset;
/// wrappers add to it. Episode statistics have a typed slot; anything else goes into <see cref="Extra"/>,
/// which is created on first use.
/// </summary>
/// <remarks>Read it before the next Step or Reset of the same environment; call <see cref="ToDictionary"/> to keep a copy.</remarks>
public sealed class EnvInfo
{
    private Dictionary<string, object?>? _extra;
    private EpisodeStatistics _episode;
    private bool _dirty;

    /// <summary>True when an episode ended at this step and <see cref="Episode"/> holds its statistics (set by <see cref="Wrappers.RecordEpisodeStatistics"/>).</summary>
    public bool HasEpisode { get; private set; }

    /// <summary>The statistics of the episode that just ended; throws when <see cref="HasEpisode"/> is false.</summary>
    /// <exception cref="InvalidOperationException">No episode ended at this step.</exception>
    public EpisodeStatistics Episode => HasEpisode
        ? _episode
        : throw new InvalidOperationException("info holds no episode statistics: no episode ended at this step, or RecordEpisodeStatistics is not applied.");

    /// <summary>Further entries, keyed as in Gymnasium. Empty unless something was set.</summary>
    public IReadOnlyDictionary<string, object?> Extra =>
        (IReadOnlyDictionary<string, object?>?)_extra ?? System.Collections.ObjectModel.ReadOnlyDictionary<string, object?>.Empty;

    /// <summary>True when nothing is recorded (Gymnasium's <c>{}</c>).</summary>
    public bool IsEmpty => !HasEpisode && (_extra is null || _extra.Count == 0);

    /// <summary>Records the statistics of the episode that ended at this step.</summary>
    /// <exception cref="InvalidOperationException">Statistics were already recorded at this step (RecordEpisodeStatistics applied twice).</exception>
    public void SetEpisode(EpisodeStatistics statistics)
    {
        if (HasEpisode)
            throw new InvalidOperationException("info already holds episode statistics: RecordEpisodeStatistics is applied more than once.");
        _episode = statistics;
        HasEpisode = true;
        _dirty = true;
    }

    /// <summary>Sets an extra entry (allocates the dictionary on first use; keep it off per-step paths).</summary>
    public void Set(string key, object? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        (_extra ??= new Dictionary<string, object?>(StringComparer.Ordinal))[key] = value;
        _dirty = true;
    }

    /// <summary>Looks up an extra entry.</summary>
    public bool TryGetValue(string key, out object? value)
    {
        value = null;
        return _extra is not null && _extra.TryGetValue(key, out value);
    }

    /// <summary>Forgets everything; called by environments at the start of Step and Reset. Allocates nothing.</summary>
    public void Clear()
    {
        if (_dirty)
        {
            HasEpisode = false;
            _extra?.Clear();
            _dirty = false;
        }
    }

    /// <summary>A Gymnasium-shaped copy, e.g. <c>{"episode": {"r": 500.0, "l": 500, "t": 0.01}}</c>, for logging or JSON.</summary>
    public Dictionary<string, object?> ToDictionary()
    {
        var result = _extra is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(_extra);
        if (HasEpisode)
            result["episode"] = new Dictionary<string, object?> { ["r"] = _episode.Return, ["l"] = _episode.Length, ["t"] = _episode.Time };
        return result;
    }
}
