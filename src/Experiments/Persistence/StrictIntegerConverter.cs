using System.Globalization;
using System.Numerics;
using Newtonsoft.Json;

namespace RlExperiments.Experiments.Persistence;

/// <summary>
/// Reads integer fields strictly: only JSON integers (no strings, no fractions), range-checked before conversion, so
/// <c>"trainFreq": 99999999999999999999</c> is an error naming the field, the value and the allowed range instead of an
/// <see cref="OverflowException"/>. Writes integers as they are.
/// </summary>
public sealed class StrictIntegerConverter : JsonConverter
{
    private static readonly Dictionary<Type, (BigInteger Min, BigInteger Max)> Ranges = new()
    {
        [typeof(sbyte)] = (sbyte.MinValue, sbyte.MaxValue),
        [typeof(byte)] = (byte.MinValue, byte.MaxValue),
        [typeof(short)] = (short.MinValue, short.MaxValue),
        [typeof(ushort)] = (ushort.MinValue, ushort.MaxValue),
        [typeof(int)] = (int.MinValue, int.MaxValue),
        [typeof(uint)] = (uint.MinValue, uint.MaxValue),
        [typeof(long)] = (long.MinValue, long.MaxValue),
        [typeof(ulong)] = (ulong.MinValue, ulong.MaxValue),
    };

    /// <summary>The shared instance.</summary>
    public static StrictIntegerConverter Instance { get; } = new();

    /// <summary>True for the integer types and their nullable forms.</summary>
    public static bool Handles(Type type) => Ranges.ContainsKey(Nullable.GetUnderlyingType(type) ?? type);

    /// <inheritdoc />
    public override bool CanConvert(Type objectType) => Handles(objectType);

    /// <inheritdoc />
    public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var underlying = Nullable.GetUnderlyingType(objectType);
        var type = underlying ?? objectType;
        var (min, max) = Ranges[type];
        var allowed = string.Create(CultureInfo.InvariantCulture, $"an integer in [{min}, {max}]");
        switch (reader.TokenType)
        {
            case JsonToken.Null when underlying is not null:
                return null;
            case JsonToken.Integer:
                var value = reader.Value switch
                {
                    BigInteger b => b,
                    IConvertible c => new BigInteger(c.ToInt64(CultureInfo.InvariantCulture)),
                    _ => throw Invalid(reader, reader.Value?.ToString() ?? "?", allowed),
                };
                if (value < min || value > max)
                    throw Invalid(reader, value.ToString(CultureInfo.InvariantCulture), allowed);
                return type == typeof(ulong) ? (ulong)value : Convert.ChangeType((long)value, type, CultureInfo.InvariantCulture);
            default:
                var raw = reader.TokenType switch
                {
                    JsonToken.String => $"\"{reader.Value}\"",
                    JsonToken.Null => "null",
                    JsonToken.StartObject => "an object",
                    JsonToken.StartArray => "an array",
                    _ => Convert.ToString(reader.Value, CultureInfo.InvariantCulture) ?? reader.TokenType.ToString(),
                };
                throw Invalid(reader, raw, allowed);
        }
    }

    /// <inheritdoc />
    public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteValue(value);
    }

    private static JsonSerializationException Invalid(JsonReader reader, string raw, string allowed)
    {
        var info = reader as IJsonLineInfo;
        return new JsonSerializationException(
            $"'{reader.Path}' = {raw} is invalid; allowed: {allowed}.", reader.Path, info?.LineNumber ?? 0, info?.LinePosition ?? 0, null);
    }
}
