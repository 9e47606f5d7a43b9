using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Linq;
using RlExperiments.Core;
using RlExperiments.Factories;

namespace RlExperiments.Experiments.Persistence;

/// <summary>
/// Reads and writes the framework's JSON documents (experiment.json and friends): a versioned envelope
/// <c>{ "formatVersion": 1, "kind": "...", "payload": { ... } }</c> whose payload is a record serialised with
/// Newtonsoft.Json, polymorphic values tagged by <c>"$type"</c> with names from a <see cref="TypeAllowList"/>.
/// </summary>
/// <remarks>
/// <para><b>Reading is safe and strict.</b> Before anything is deserialised the whole document is parsed and every
/// <c>$type</c> is checked against the allow-list; a name that is not allowed (e.g. a tampered
/// <c>"System.Diagnostics.Process, System"</c>) is reported with its location and the allowed names, and no object
/// at all is created. An unknown <c>formatVersion</c>, the wrong <c>kind</c>, a missing required field, an unknown
/// field, a duplicated property or invalid JSON each give an <see cref="ExperimentJsonException"/> naming the
/// field or the line and position. After deserialisation, <see cref="IValidatable.Validate"/> runs on the payload,
/// so out-of-range values are reported at load.</para>
/// <para><b>Writing</b> goes through <see cref="AtomicFile"/>: a crash never leaves a partial file. Types that are
/// not allowed cannot be written either (the error says how to allow them).</para>
/// <para>Numbers round-trip exactly (shortest round-trip form); enums are written as names; date-like strings stay strings.</para>
/// </remarks>
public sealed class ExperimentJson
{
    /// <summary>The format version this version of the framework writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The format versions this version of the framework reads.</summary>
    public static IReadOnlyList<int> SupportedVersions { get; } = [FormatVersion];

    private const string VersionField = "formatVersion";
    private const string KindField = "kind";
    private const string PayloadField = "payload";

    private readonly JsonSerializer _serializer;

    /// <summary>Creates a reader/writer for the types on <paramref name="allowList"/> (later additions to the list are honoured).</summary>
    public ExperimentJson(TypeAllowList allowList)
    {
        AllowList = allowList ?? throw new ArgumentNullException(nameof(allowList));
        _serializer = JsonSerializer.Create(CreateSettings());
    }

    /// <summary>The instance over <see cref="TypeAllowList.Default"/>.</summary>
    public static ExperimentJson Default { get; } = new(TypeAllowList.Default);

    /// <summary>The allow-list consulted for <c>$type</c> names.</summary>
    public TypeAllowList AllowList { get; }

    /// <summary>
    /// New Newtonsoft.Json settings with this instance's conventions (allow-list binder, <see cref="TypeNameHandling.Auto"/>,
    /// <see cref="ExperimentContractResolver"/>, unknown members are errors, enums as strings), for code that
    /// serialises framework records itself. Prefer <see cref="Serialize{T}"/>/<see cref="Deserialize{T}"/>,
    /// which add the envelope, the up-front type check and validation.
    /// </summary>
    public JsonSerializerSettings CreateSettings() => new()
    {
        TypeNameHandling = TypeNameHandling.Auto,
        SerializationBinder = new AllowListSerializationBinder(AllowList),
        ContractResolver = new ExperimentContractResolver(),
        MissingMemberHandling = MissingMemberHandling.Error,
        ObjectCreationHandling = ObjectCreationHandling.Replace,
        MetadataPropertyHandling = MetadataPropertyHandling.Default,
        DateParseHandling = DateParseHandling.None,
        FloatParseHandling = FloatParseHandling.Double,
        FloatFormatHandling = FloatFormatHandling.String,
        NullValueHandling = NullValueHandling.Include,
        Formatting = Formatting.Indented,
        MaxDepth = 64,
        Culture = CultureInfo.InvariantCulture,
        Converters = { new StrictStringEnumConverter(), StrictIntegerConverter.Instance },
    };

    /// <summary>The default <c>kind</c> of a <typeparamref name="T"/> document: its allow-list name, else its CLR name.</summary>
    public string KindOf<T>() => AllowList.TryGetName(typeof(T), out var name) ? name : typeof(T).Name;

    /// <summary>Serialises <paramref name="value"/> into an envelope of kind <paramref name="kind"/> (default <see cref="KindOf{T}"/>).</summary>
    /// <exception cref="InvalidOperationException">A type in <paramref name="value"/> is not on the allow-list.</exception>
    public string Serialize<T>(T value, string? kind = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        kind ??= KindOf<T>();
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var writer = new JsonTextWriter(text) { Formatting = Formatting.Indented, Indentation = 2 })
        {
            writer.WriteStartObject();
            writer.WritePropertyName(VersionField);
            writer.WriteValue(FormatVersion);
            writer.WritePropertyName(KindField);
            writer.WriteValue(kind);
            writer.WritePropertyName(PayloadField);
            try
            {
                _serializer.Serialize(writer, value, typeof(T));
            }
            catch (JsonException ex) when (ex.InnerException is InvalidOperationException inner)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inner);
            }
            writer.WriteEndObject();
        }
        return text.ToString() + "\n";
    }

    /// <summary>Serialises <paramref name="value"/> and writes it to <paramref name="path"/> atomically (directories are created).</summary>
    public void WriteFile<T>(string path, T value, string? kind = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var json = Serialize(value, kind);
        AtomicFile.WriteAllText(path, json);
    }

    /// <summary>Reads a document of kind <paramref name="kind"/> (default <see cref="KindOf{T}"/>) from JSON text.</summary>
    /// <param name="json">The document.</param>
    /// <param name="kind">The expected kind.</param>
    /// <param name="source">Names the document in error messages (e.g. a file path).</param>
    /// <param name="notes">Receives a note for each member of an older version read under its new name (see the renames in <c>LegacyMembers</c>); null to drop them.</param>
    /// <exception cref="ExperimentJsonException">The document is not a valid one (see the remarks on <see cref="ExperimentJson"/>).</exception>
    public T Deserialize<T>(string json, string? kind = null, string source = "JSON text", ICollection<string>? notes = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        kind ??= KindOf<T>();
        var root = Parse(json, source);
        var payload = CheckEnvelope(root, kind, source);
        CheckTypeNames(payload, source);
        LegacyMembers.Migrate(payload, source, notes);
        LegacyNetworkFields.Migrate(payload, source, notes, AllowList, _serializer);

        T? value;
        try
        {
            value = payload.ToObject<T>(_serializer);
        }
        catch (JsonException ex)
        {
            throw Wrap(ex, source);
        }
        catch (Exception ex) when (ex is OverflowException or InvalidCastException or FormatException or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            throw new ExperimentJsonException($"{source}: a value cannot be read: {ex.Message}", ex, source);
        }
        if (value is null)
            throw new ExperimentJsonException($"{source}: '{PayloadField}' is null; expected a {kind}.", source: source, jsonPath: PayloadField);
        if (value is IValidatable validatable)
        {
            try
            {
                validatable.Validate();
            }
            catch (ArgumentException ex)
            {
                throw new ExperimentJsonException($"{source}: invalid value: {Clean(ex)}", ex, source, ex.ParamName);
            }
        }
        return value;
    }

    /// <summary>
    /// Reads a document of kind <paramref name="kind"/> (default <see cref="KindOf{T}"/>) from <paramref name="path"/>;
    /// <paramref name="notes"/> receives what moved when the file uses an older version's member names.
    /// </summary>
    /// <exception cref="ExperimentJsonException">The file is not a valid document.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public T ReadFile<T>(string path, string? kind = null, ICollection<string>? notes = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Deserialize<T>(File.ReadAllText(path), kind, path, notes);
    }

    private static JToken Parse(string json, string source)
    {
        try
        {
            using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Double, MaxDepth = 64 };
            var token = JToken.ReadFrom(reader, new JsonLoadSettings
            {
                LineInfoHandling = LineInfoHandling.Load,
                DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error,
                CommentHandling = CommentHandling.Ignore,
            });
            while (reader.Read())
            {
                if (reader.TokenType != JsonToken.Comment)
                    throw new JsonReaderException($"Additional text found after the end of the document: {reader.TokenType}.", reader.Path, reader.LineNumber, reader.LinePosition, null);
            }
            return token;
        }
        catch (JsonReaderException ex)
        {
            throw new ExperimentJsonException(
                $"{source} is not valid JSON (line {ex.LineNumber}, position {ex.LinePosition}): {ex.Message}",
                ex, source, ex.Path, ex.LineNumber, ex.LinePosition);
        }
    }

    private static JToken CheckEnvelope(JToken root, string kind, string source)
    {
        if (root is not JObject envelope)
            throw At(root, source, $"the document must be a JSON object {{ \"{VersionField}\": {FormatVersion}, \"{KindField}\": \"{kind}\", \"{PayloadField}\": {{...}} }}; found {Describe(root)}");

        if (!envelope.TryGetValue(VersionField, StringComparison.Ordinal, out var versionToken))
            throw At(envelope, source, $"required field '{VersionField}' is missing (supported versions: {string.Join(", ", SupportedVersions)})");
        if (versionToken.Type != JTokenType.Integer)
            throw At(versionToken, source, $"'{VersionField}' must be an integer; found {Describe(versionToken)} (supported versions: {string.Join(", ", SupportedVersions)})");
        var version = versionToken.Value<long>();
        if (!SupportedVersions.Contains((int)Math.Clamp(version, int.MinValue, int.MaxValue)))
            throw At(versionToken, source,
                $"{VersionField} {version} is not supported by this version of RlExperiments (supported versions: {string.Join(", ", SupportedVersions)})" +
                (version > FormatVersion ? "; the file was written by a newer version" : ""));

        if (!envelope.TryGetValue(KindField, StringComparison.Ordinal, out var kindToken))
            throw At(envelope, source, $"required field '{KindField}' is missing (expected \"{kind}\")");
        if (kindToken.Type != JTokenType.String || (string?)kindToken != kind)
            throw At(kindToken, source, $"the document is of kind {Describe(kindToken)}, expected \"{kind}\"");

        if (!envelope.TryGetValue(PayloadField, StringComparison.Ordinal, out var payload))
            throw At(envelope, source, $"required field '{PayloadField}' is missing");

        foreach (var property in envelope.Properties())
            if (property.Name is not (VersionField or KindField or PayloadField))
                throw At(property, source, $"unknown field '{property.Name}' in the envelope; allowed: {VersionField}, {KindField}, {PayloadField}");
        return payload;
    }

    /// <summary>Checks every <c>$type</c> in the payload before anything is created, reporting all offending names at once.</summary>
    private void CheckTypeNames(JToken payload, string source)
    {
        var bad = new List<(string Name, JToken Token)>();
        IEnumerable<JToken> tokens = payload is JContainer container ? container.DescendantsAndSelf() : [payload];
        foreach (var obj in tokens.OfType<JObject>())
        {
            foreach (var property in obj.Properties())
            {
                switch (property.Name)
                {
                    case "$type":
                        var name = property.Value.Type == JTokenType.String ? (string)property.Value! : property.Value.ToString(Formatting.None);
                        if (property.Value.Type != JTokenType.String || !AllowList.TryGetType(name, out _))
                            bad.Add((name, property));
                        break;
                    case "$ref" or "$id":
                        throw At(property, source, $"'{property.Name}' (object references) is not supported in experiment files");
                }
            }
        }
        if (bad.Count == 0)
            return;
        var first = bad[0].Token;
        var where = string.Join("; ", bad.Select(b => $"'{b.Name}' at {Location(b.Token)}"));
        throw new ExperimentJsonException(
            $"{source}: {where}: " + AllowList.DescribeDisallowed(bad.Select(b => b.Name)),
            null, source, first.Path, LineOf(first), PositionOf(first));
    }

    private static ExperimentJsonException Wrap(JsonException ex, string source)
    {
        var (line, position, path) = ex switch
        {
            JsonSerializationException s => ((int?)s.LineNumber, (int?)s.LinePosition, s.Path),
            JsonReaderException r => (r.LineNumber, r.LinePosition, r.Path),
            _ => (null, null, null),
        };
        string detail;
        const string requiredPrefix = "Required property '";
        if (ex.InnerException is DisallowedTypeException disallowed)
            detail = disallowed.Message;
        else if (ex.InnerException is ArgumentException invalid)
            detail = $"invalid value: {Clean(invalid)}";
        else if (ex.Message.StartsWith(requiredPrefix, StringComparison.Ordinal))
        {
            var field = ex.Message[requiredPrefix.Length..ex.Message.IndexOf('\'', requiredPrefix.Length)];
            var isNull = ex.Message.Contains("got null", StringComparison.Ordinal) || ex.Message.Contains("non-null", StringComparison.Ordinal);
            detail = $"required field '{field}' is {(isNull ? "null" : "missing")} ({ex.Message})";
        }
        else if (ex.Message.Contains("is an interface or abstract class", StringComparison.Ordinal))
            detail = $"{ex.Message} The object needs a \"$type\" naming one of the allowed types.";
        else
            detail = ex.InnerException is { } cause and not JsonException ? $"{ex.Message} {cause.Message}" : ex.Message;
        var hasLocation = detail.Contains("line ", StringComparison.Ordinal);
        return new ExperimentJsonException(
            $"{source}: {detail}" + (line is > 0 && !hasLocation ? $" (at {path}, line {line}, position {position})" : ""),
            ex, source, path, line is > 0 ? line : null, line is > 0 ? position : null);
    }

    /// <summary>The message of an argument exception without the " (Parameter 'x')" and "Actual value was" suffixes .NET appends.</summary>
    private static string Clean(ArgumentException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static ExperimentJsonException At(JToken token, string source, string message) =>
        new($"{source}: {message} (at {Location(token)}).", null, source, token.Path, LineOf(token), PositionOf(token));

    private static string Location(JToken token)
    {
        var path = string.IsNullOrEmpty(token.Path) ? "the root" : token.Path;
        return LineOf(token) is { } line ? $"{path}, line {line}, position {PositionOf(token)}" : path;
    }

    private static int? LineOf(JToken token) => token is IJsonLineInfo info && info.HasLineInfo() ? info.LineNumber : null;

    private static int? PositionOf(JToken token) => token is IJsonLineInfo info && info.HasLineInfo() ? info.LinePosition : null;

    private static string Describe(JToken token) => token.Type switch
    {
        JTokenType.String => $"\"{(string?)token}\"",
        JTokenType.Object => "an object",
        JTokenType.Array => "an array",
        JTokenType.Null => "null",
        _ => token.ToString(Formatting.None),
    };
}
