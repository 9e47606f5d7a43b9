using System.Globalization;
using System.Text.Json;

namespace RlExperiments.Environments;

/// <summary>
/// Keyword arguments for an environment factory (Gymnasium's <c>gym.make(id, **kwargs)</c>), read with
/// typed getters that accept plain CLR numbers, strings and <see cref="JsonElement"/> values, and that
/// name the parameter and environment when a value has the wrong type.
/// </summary>
public sealed class EnvKwargs
{
    private static readonly IReadOnlyDictionary<string, object?> None = System.Collections.ObjectModel.ReadOnlyDictionary<string, object?>.Empty;

    /// <summary>Wraps <paramref name="values"/> for the environment <paramref name="envId"/>.</summary>
    public EnvKwargs(string envId, IReadOnlyDictionary<string, object?>? values)
    {
        EnvId = envId ?? throw new ArgumentNullException(nameof(envId));
        Values = values ?? None;
    }

    /// <summary>The id of the environment being made, for error messages.</summary>
    public string EnvId { get; }

    /// <summary>The raw values.</summary>
    public IReadOnlyDictionary<string, object?> Values { get; }

    /// <summary>The value of <paramref name="name"/> as a double, or <paramref name="defaultValue"/> when absent or null.</summary>
    /// <exception cref="ArgumentException">The value is not a number.</exception>
    public double GetDouble(string name, double defaultValue) =>
        Values.TryGetValue(name, out var value) && value is not null ? ToDouble(value, name, EnvId) : defaultValue;

    /// <summary>The value of <paramref name="name"/> as an int, or <paramref name="defaultValue"/> when absent or null.</summary>
    /// <exception cref="ArgumentException">The value is not an integer.</exception>
    public int GetInt(string name, int defaultValue) =>
        Values.TryGetValue(name, out var value) && value is not null ? ToInt(value, name, EnvId) : defaultValue;

    /// <summary>The value of <paramref name="name"/> as a bool, or <paramref name="defaultValue"/> when absent or null.</summary>
    /// <exception cref="ArgumentException">The value is not a boolean.</exception>
    public bool GetBool(string name, bool defaultValue)
    {
        if (!Values.TryGetValue(name, out var value) || value is null)
            return defaultValue;
        return value switch
        {
            bool b => b,
            JsonElement { ValueKind: JsonValueKind.True } => true,
            JsonElement { ValueKind: JsonValueKind.False } => false,
            string s when bool.TryParse(s, out var b) => b,
            _ => throw Invalid(name, EnvId, value, "a boolean"),
        };
    }

    /// <summary>Converts an option or kwarg value to a double (numbers, numeric strings, JSON numbers).</summary>
    /// <exception cref="ArgumentException">The value is not a number; the message names <paramref name="name"/>.</exception>
    public static double ToDouble(object value, string name, string owner)
    {
        switch (value)
        {
            case double d: return d;
            case float f: return f;
            case int i: return i;
            case long l: return l;
            case short s: return s;
            case byte b: return b;
            case decimal m: return (double)m;
            case JsonElement { ValueKind: JsonValueKind.Number } e: return e.GetDouble();
            case JsonElement { ValueKind: JsonValueKind.String } e when double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var p): return p;
            case string str when double.TryParse(str, NumberStyles.Float, CultureInfo.InvariantCulture, out var p): return p;
            default: throw Invalid(name, owner, value, "a number");
        }
    }

    /// <summary>Converts an option or kwarg value to an int (integral numbers, integral strings, JSON integers).</summary>
    /// <exception cref="ArgumentException">The value is not an integer in range; the message names <paramref name="name"/>.</exception>
    public static int ToInt(object value, string name, string owner)
    {
        switch (value)
        {
            case int i: return i;
            case long l when l is >= int.MinValue and <= int.MaxValue: return (int)l;
            case short s: return s;
            case byte b: return b;
            case double d when d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue: return (int)d;
            case JsonElement { ValueKind: JsonValueKind.Number } e when e.TryGetInt32(out var j): return j;
            case string str when int.TryParse(str, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p): return p;
            default: throw Invalid(name, owner, value, "an integer");
        }
    }

    private static ArgumentException Invalid(string name, string owner, object value, string expected) =>
        new($"Parameter '{name}' of {owner} must be {expected}; got {FormatValue(value)} ({value.GetType().Name}).", name);

    private static string FormatValue(object value) => value switch
    {
        string s => $"\"{s}\"",
        JsonElement e => e.GetRawText(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "?",
    };
}
