using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace RlExperiments.Experiments.Persistence;

/// <summary>
/// Writes enums as their names and reads only names (case-insensitive) or defined numbers; anything else is
/// an error that lists the allowed names.
/// </summary>
public sealed class StrictStringEnumConverter : StringEnumConverter
{
    /// <summary>Creates the converter (numbers are accepted only when they are defined values).</summary>
    public StrictStringEnumConverter() => AllowIntegerValues = true;

    /// <inheritdoc />
    public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var enumType = Nullable.GetUnderlyingType(objectType) ?? objectType;
        object? value;
        try
        {
            value = base.ReadJson(reader, objectType, existingValue, serializer);
        }
        catch (JsonSerializationException ex)
        {
            throw Invalid(reader, enumType, Convert.ToString(reader.Value, CultureInfo.InvariantCulture), ex);
        }
        if (value is not null && !Enum.IsDefined(enumType, value))
            throw Invalid(reader, enumType, Convert.ToString(reader.Value, CultureInfo.InvariantCulture), null);
        return value;
    }

    private static JsonSerializationException Invalid(JsonReader reader, Type enumType, string? raw, Exception? inner)
    {
        var info = reader as IJsonLineInfo;
        return new JsonSerializationException(
            $"'{raw}' is not a valid {enumType.Name}; allowed: {string.Join(", ", Enum.GetNames(enumType))}.",
            reader.Path, info?.LineNumber ?? 0, info?.LinePosition ?? 0, inner);
    }
}
