namespace RlExperiments.Environments.ClassicControl;

/// <summary>
/// Parses Gymnasium's reset options (<c>utils.maybe_parse_reset_bounds</c> and Pendulum's
/// <c>x_init</c>/<c>y_init</c>), failing clearly on unknown keys, non-numbers and inverted bounds.
/// </summary>
internal static class ResetOptions
{
    /// <summary>The <c>"low"</c>/<c>"high"</c> bounds of the initial-state distribution, defaulting to the given ones.</summary>
    public static (double Low, double High) Bounds(
        IReadOnlyDictionary<string, object?>? options, double defaultLow, double defaultHigh, Env env)
    {
        if (options is null)
            return (defaultLow, defaultHigh);
        var owner = NameOf(env);
        CheckKeys(options, owner, "low", "high");
        var low = Number(options, "low", defaultLow, owner);
        var high = Number(options, "high", defaultHigh, owner);
        if (low > high)
            throw new ArgumentException($"{owner} reset option low ({low}) must not exceed high ({high}).", nameof(options));
        return (low, high);
    }

    /// <summary>The environment's name for messages: its spec id, else its type name.</summary>
    public static string NameOf(Env env) => env.Spec?.Id ?? env.GetType().Name;

    /// <summary>The number under <paramref name="key"/>, or <paramref name="defaultValue"/> when absent.</summary>
    public static double Number(IReadOnlyDictionary<string, object?> options, string key, double defaultValue, string owner)
    {
        if (!options.TryGetValue(key, out var value))
            return defaultValue;
        if (value is null)
            throw new ArgumentException($"{owner} reset option '{key}' must be a number; got null.", nameof(options));
        return EnvKwargs.ToDouble(value, key, $"{owner} reset options");
    }

    /// <summary>Rejects keys other than <paramref name="allowed"/>, listing the allowed ones.</summary>
    public static void CheckKeys(IReadOnlyDictionary<string, object?> options, string owner, params string[] allowed)
    {
        foreach (var key in options.Keys)
            if (Array.IndexOf(allowed, key) < 0)
                throw new ArgumentException(
                    $"Unknown reset option '{key}' for {owner}. Allowed options: {string.Join(", ", allowed)}.", nameof(options));
    }
}
