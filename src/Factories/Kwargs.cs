using System.Collections.ObjectModel;
using System.Globalization;
using System.Text.Json;

namespace RlExperiments.Factories;

/// <summary>
/// JSON-friendly keyword arguments: a read-only copy of a string-keyed dictionary whose values are
/// <c>null</c>, <see cref="bool"/>, <see cref="string"/>, integers (stored as <see cref="long"/>) or floating-point
/// numbers (stored as <see cref="double"/>). Normalising the value types makes a dictionary equal to itself after a
/// JSON round trip.
/// </summary>
public static class Kwargs
{
    /// <summary>The empty dictionary.</summary>
    public static IReadOnlyDictionary<string, object?> Empty { get; } = ReadOnlyDictionary<string, object?>.Empty;

    /// <summary>
    /// Copies <paramref name="values"/> into a read-only dictionary with normalised values (integers as
    /// <see cref="long"/>, floats as <see cref="double"/>; <see cref="JsonElement"/> and Newtonsoft <c>JValue</c>
    /// primitives unwrapped).
    /// </summary>
    /// <param name="values">The kwargs; null gives <see cref="Empty"/>.</param>
    /// <param name="owner">The record and field, e.g. <c>"EnvFactory.Kwargs"</c>, for error messages.</param>
    /// <exception cref="ArgumentException">A key is empty, or a value is not a primitive; the message names the key and the type.</exception>
    public static IReadOnlyDictionary<string, object?> Normalize(IReadOnlyDictionary<string, object?>? values, string owner)
    {
        if (values is null || values.Count == 0)
            return Empty;
        var copy = new Dictionary<string, object?>(values.Count, StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            if (string.IsNullOrWhiteSpace(key))
                throw new ArgumentException($"{owner} has an empty key; allowed: non-empty parameter names.", owner);
            copy[key] = NormalizeValue(value, key, owner);
        }
        return new ReadOnlyDictionary<string, object?>(copy);
    }

    /// <summary>Order-insensitive equality of two normalised dictionaries.</summary>
    public static bool AreEqual(IReadOnlyDictionary<string, object?>? a, IReadOnlyDictionary<string, object?>? b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a is null || b is null || a.Count != b.Count) return false;
        foreach (var (key, value) in a)
            if (!b.TryGetValue(key, out var other) || !Equals(value, other))
                return false;
        return true;
    }

    /// <summary>An order-insensitive hash of a normalised dictionary.</summary>
    public static int GetHashCode(IReadOnlyDictionary<string, object?>? values)
    {
        if (values is null) return 0;
        var hash = 0;
        foreach (var (key, value) in values)
            hash ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(key), value);
        return hash;
    }

    /// <summary>A compact display form, e.g. <c>{g: 9.81, max_episode_steps: 100}</c>.</summary>
    public static string Format(IReadOnlyDictionary<string, object?>? values) =>
        values is null ? "null" :
        "{" + string.Join(", ", values.Select(kv => $"{kv.Key}: {FormatValue(kv.Value)}")) + "}";

    private static string FormatValue(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "?",
    };

    private static object? NormalizeValue(object? value, string key, string owner)
    {
        switch (value)
        {
            case null: return null;
            case bool or string: return value;
            case int or long or short or byte or sbyte or ushort or uint: return Convert.ToInt64(value, CultureInfo.InvariantCulture);
            case ulong u when u <= long.MaxValue: return (long)u;
            case double: return value;
            case float f: return (double)f;
            case decimal m: return (double)m;
            case JsonElement e:
                switch (e.ValueKind)
                {
                    case JsonValueKind.Null: return null;
                    case JsonValueKind.True: return true;
                    case JsonValueKind.False: return false;
                    case JsonValueKind.String: return e.GetString();
                    case JsonValueKind.Number: return e.TryGetInt64(out var l) ? l : e.GetDouble();
                }
                break;
        }
        // Newtonsoft's JValue (and similar wrappers) expose the primitive through a Value property; unwrap
        // without referencing Newtonsoft from this project.
        if (value.GetType().FullName == "Newtonsoft.Json.Linq.JValue")
            return NormalizeValue(value.GetType().GetProperty("Value")!.GetValue(value), key, owner);
        throw new ArgumentException(
            $"{owner}[\"{key}\"] is a {Describe(value)}; allowed values: null, true/false, integers, numbers and strings.", owner);
    }

    private static string Describe(object value) => value switch
    {
        JsonElement e => $"JSON {e.ValueKind.ToString().ToLowerInvariant()}",
        _ => value.GetType().FullName ?? value.GetType().Name,
    };
}
