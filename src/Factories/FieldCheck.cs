using System.Globalization;

namespace RlExperiments.Factories;

/// <summary>
/// Field checks for <see cref="IValidatable.Validate"/> implementations, with uniform messages of the form
/// <c>AdamOptimizerFactory.Beta1 = 1.5 is invalid; allowed: [0, 1).</c> The exception's <c>ParamName</c>
/// is the field name. Public so that user-defined factories report errors the same way.
/// </summary>
public static class FieldCheck
{
    /// <summary>Throws unless <paramref name="value"/> is finite and ≥ 0.</summary>
    public static void NonNegative(string owner, string field, double value)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw OutOfRange(owner, field, value, "a finite number ≥ 0");
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and &gt; 0.</summary>
    public static void Positive(string owner, string field, double value)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw OutOfRange(owner, field, value, "a finite number > 0");
    }

    /// <summary>Throws unless <paramref name="value"/> ≥ <paramref name="min"/>.</summary>
    public static void AtLeast(string owner, string field, long value, long min)
    {
        if (value < min)
            throw OutOfRange(owner, field, value, $"an integer ≥ {min.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>Throws unless <paramref name="value"/> lies in [<paramref name="min"/>, <paramref name="max"/>) (or [min, max] when <paramref name="maxInclusive"/>).</summary>
    public static void InRange(string owner, string field, double value, double min, double max, bool maxInclusive = false)
    {
        var ok = value >= min && (maxInclusive ? value <= max : value < max);
        if (!ok)
            throw OutOfRange(owner, field, value,
                $"[{Format(min)}, {Format(max)}{(maxInclusive ? "]" : ")")}");
    }

    /// <summary>Throws unless <paramref name="value"/> is a non-empty, non-whitespace string.</summary>
    public static void NotEmpty(string owner, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ArgumentException(
                $"{owner}.{field} = {(value is null ? "null" : $"\"{value}\"")} is invalid; allowed: a non-empty string.", field);
    }

    /// <summary>The longest file name allowed, in UTF-8 bytes (the limit of ext4, APFS and NTFS).</summary>
    public const int MaxFileNameBytes = 255;

    /// <summary>
    /// Throws unless <paramref name="value"/> is a plain file name: non-empty, at most <see cref="MaxFileNameBytes"/> UTF-8
    /// bytes, no directory separators, control characters (newline, tab, ...) or characters invalid in file names, not
    /// made only of dots, and without leading or trailing white space.
    /// </summary>
    public static void FileName(string owner, string field, string? value)
    {
        NotEmpty(owner, field, value);
        ArgumentNullException.ThrowIfNull(value);
        var shown = Escape(value);
        if (value.Any(char.IsControl))
            throw new ArgumentException($"{owner}.{field} = \"{shown}\" is invalid: it contains a control character; allowed: a plain file name of printable characters.", field);
        if (value.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || value.Contains('/') || value.Contains('\\') || value.All(c => c == '.'))
            throw new ArgumentException(
                $"{owner}.{field} = \"{shown}\" is invalid; allowed: a plain file name without directory separators or invalid characters, not made only of dots.", field);
        if (value != value.Trim())
            throw new ArgumentException($"{owner}.{field} = \"{shown}\" is invalid: it starts or ends with white space; allowed: a plain file name without leading or trailing white space.", field);
        var bytes = System.Text.Encoding.UTF8.GetByteCount(value);
        if (bytes > MaxFileNameBytes)
            throw new ArgumentException(
                $"{owner}.{field} = \"{shown[..Math.Min(40, shown.Length)]}…\" ({bytes.ToString(CultureInfo.InvariantCulture)} bytes) is invalid; allowed: at most {MaxFileNameBytes.ToString(CultureInfo.InvariantCulture)} bytes in UTF-8 (the file-name limit).", field);
    }

    private static string Escape(string value) =>
        string.Concat(value.Select(c => char.IsControl(c) ? string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}") : c.ToString()));

    /// <summary>Creates the exception for a value outside its allowed range.</summary>
    public static ArgumentOutOfRangeException OutOfRange(string owner, string field, object? value, string allowed) =>
        new(field, value, $"{owner}.{field} = {FormatObject(value)} is invalid; allowed: {allowed}.");

    internal static string Format(double value) => value switch
    {
        double.PositiveInfinity => "+∞",
        double.NegativeInfinity => "-∞",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string FormatObject(object? value) => value switch
    {
        null => "null",
        double d => Format(d),
        string s => $"\"{s}\"",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "?",
    };
}
