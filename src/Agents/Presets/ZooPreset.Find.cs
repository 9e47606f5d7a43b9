namespace RlExperiments.Agents.Presets;

/// <summary>Looks presets up by environment id (each algorithm's <c>&lt;Algo&gt;Presets.For</c>).</summary>
public static class ZooPreset
{
    /// <summary>The preset of <paramref name="presets"/> for <paramref name="envId"/>.</summary>
    /// <exception cref="ArgumentException">None is for that id; the message names the algorithm and lists the ids that have one.</exception>
    public static ZooPreset<TParams> Find<TParams>(IReadOnlyList<ZooPreset<TParams>> presets, string envId)
    {
        ArgumentNullException.ThrowIfNull(presets);
        ArgumentNullException.ThrowIfNull(envId);
        foreach (var p in presets)
            if (string.Equals(p.EnvId, envId, StringComparison.Ordinal)) return p;
        var algorithm = presets.Count > 0 ? presets[0].Algorithm : typeof(TParams).Name;
        throw new ArgumentException(
            $"There is no {algorithm} preset for '{envId}'. Presets exist for: {string.Join(", ", presets.Select(p => p.EnvId))}.", nameof(envId));
    }
}
