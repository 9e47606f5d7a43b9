using System.Collections;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace RlExperiments.Tuning;

/// <summary>An ordered name-to-value map (values are double, long, string or bool) with value equality.</summary>
public sealed class Configuration : IReadOnlyDictionary<string, object>, IEquatable<Configuration>
{
    private readonly List<string> _keys = new();
    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);

    /// <summary>Creates a configuration from name/value pairs, keeping their order.</summary>
    /// <param name="values">Pairs; names must be distinct.</param>
    public Configuration(IEnumerable<KeyValuePair<string, object>> values)
    {
        foreach (var (k, v) in values)
        {
            if (!_values.TryAdd(k, ConfigValues.Normalize(v))) throw new ArgumentException($"Duplicate hyperparameter '{k}' in configuration.");
            _keys.Add(k);
        }
    }

    /// <summary>Names in insertion order.</summary>
    public IEnumerable<string> Keys => _keys;
    /// <summary>Values in insertion order.</summary>
    public IEnumerable<object> Values => _keys.Select(k => _values[k]);
    /// <summary>Number of entries.</summary>
    public int Count => _keys.Count;
    /// <summary>Value of a hyperparameter.</summary>
    /// <param name="key">Name.</param>
    public object this[string key] => _values.TryGetValue(key, out var v) ? v : throw new KeyNotFoundException($"Hyperparameter '{key}' is not in the configuration.");
    /// <summary>Whether the hyperparameter is present (active).</summary>
    /// <param name="key">Name.</param>
    public bool ContainsKey(string key) => _values.ContainsKey(key);
    /// <summary>Tries to get a value.</summary>
    /// <param name="key">Name.</param>
    /// <param name="value">Value when present.</param>
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out object value) => _values.TryGetValue(key, out value);

    /// <summary>Value as double (long values are widened).</summary>
    /// <param name="key">Name.</param>
    public double GetDouble(string key) => this[key] switch { double d => d, long l => l, var o => throw new InvalidCastException($"'{key}' is {ConfigValues.Format(o)}, not a number.") };
    /// <summary>Value as long.</summary>
    /// <param name="key">Name.</param>
    public long GetLong(string key) => this[key] is long l ? l : throw new InvalidCastException($"'{key}' is {ConfigValues.Format(this[key])}, not an integer.");
    /// <summary>Value as string.</summary>
    /// <param name="key">Name.</param>
    public string GetString(string key) => this[key] is string s ? s : throw new InvalidCastException($"'{key}' is {ConfigValues.Format(this[key])}, not a string.");
    /// <summary>Value as bool.</summary>
    /// <param name="key">Name.</param>
    public bool GetBool(string key) => this[key] is bool b ? b : throw new InvalidCastException($"'{key}' is {ConfigValues.Format(this[key])}, not a bool.");

    /// <summary>A copy with <paramref name="key"/> set to <paramref name="value"/> (replaced in place, or appended when new), e.g. a controller's next action.</summary>
    /// <param name="key">Name.</param>
    /// <param name="value">Value (double, long, int, string or bool).</param>
    public Configuration With(string key, object value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        var pairs = _keys.Select(k => new KeyValuePair<string, object>(k, k == key ? value : _values[k])).ToList();
        if (!_values.ContainsKey(key)) pairs.Add(new KeyValuePair<string, object>(key, value));
        return new Configuration(pairs);
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => _keys.Select(k => new KeyValuePair<string, object>(k, _values[k])).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Same names in the same order with equal values.</summary>
    /// <param name="other">Other configuration.</param>
    public bool Equals(Configuration? other) =>
        other is not null && _keys.SequenceEqual(other._keys) && _keys.All(k => _values[k].Equals(other._values[k]));
    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Configuration);
    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var k in _keys) { h.Add(k); h.Add(_values[k]); }
        return h.ToHashCode();
    }
    /// <inheritdoc />
    public override string ToString() => "{" + string.Join(", ", _keys.Select(k => k + ": " + ConfigValues.Format(_values[k]))) + "}";

    /// <summary>Serialises to a JSON object (doubles keep full precision and a decimal point).</summary>
    public string ToJson()
    {
        var o = new JObject();
        foreach (var k in _keys) o[k] = _values[k] switch { double d => new JValue(d), long l => new JValue(l), string s => new JValue(s), bool b => new JValue(b), _ => throw new InvalidOperationException() };
        return o.ToString(Formatting.Indented);
    }

    /// <summary>Reads a configuration written by <see cref="ToJson"/>; with a space, values are coerced to the hyperparameter types and validated.</summary>
    /// <param name="json">JSON object text.</param>
    /// <param name="space">Optional space to coerce and validate against.</param>
    public static Configuration FromJson(string json, ConfigurationSpace? space = null)
    {
        using var reader = new JsonTextReader(new StringReader(json)) { FloatParseHandling = FloatParseHandling.Double, DateParseHandling = DateParseHandling.None };
        var o = JObject.Load(reader);
        var pairs = new List<KeyValuePair<string, object>>();
        foreach (var p in o.Properties())
        {
            object v = p.Value.Type switch
            {
                JTokenType.Integer => p.Value.Value<long>(),
                JTokenType.Float => p.Value.Value<double>(),
                JTokenType.String => p.Value.Value<string>()!,
                JTokenType.Boolean => p.Value.Value<bool>(),
                _ => throw new FormatException($"Hyperparameter '{p.Name}' has unsupported JSON value {p.Value}."),
            };
            if (space is not null && space.TryGet(p.Name, out var hp)) v = hp.Coerce(v);
            pairs.Add(new(p.Name, v));
        }
        var config = new Configuration(pairs);
        space?.Validate(config);
        return config;
    }
}
