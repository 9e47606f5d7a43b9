using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using RlExperiments.Core;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Tensors.Serialization;

/// <summary>
/// Reads and writes the safetensors format, so weights move to and from PyTorch
/// (<c>safetensors.torch.load_file</c>): an 8-byte little-endian header length, a JSON header mapping each
/// name to <c>{"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}</c> (plus an optional
/// <c>__metadata__</c> map of strings), then the raw little-endian data. Writes are atomic.
/// </summary>
public static class SafeTensors
{
    private const string MetadataKey = "__metadata__";

    /// <summary>
    /// Writes <paramref name="tensors"/> (in name order) to <paramref name="path"/> through a temporary file
    /// that is renamed into place, so a crash never leaves a half-written file under the final name.
    /// </summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var names = tensors.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
        using var headerJson = new MemoryStream();
        using (var w = new Utf8JsonWriter(headerJson))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject(MetadataKey);
                foreach (var (k, v) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal)) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var name in names)
            {
                if (name == MetadataKey)
                    throw new ArgumentException($"'{MetadataKey}' is reserved and cannot name a tensor.", nameof(tensors));
                var t = tensors[name];
                w.WriteStartObject(name);
                w.WriteString("dtype", "F32");
                w.WriteStartArray("shape");
                foreach (var d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + 4L * t.Count);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += 4L * t.Count;
            }
            w.WriteEndObject();
        }
        // Pad the header with spaces so the data section starts 8-byte aligned, as the reference writer does.
        var header = headerJson.ToArray();
        var padded = (header.Length + 7) / 8 * 8;

        AtomicFile.Write(path, stream =>
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
            stream.Write(len);
            stream.Write(header);
            for (var i = header.Length; i < padded; i++) stream.WriteByte((byte)' ');
            foreach (var name in names)
                stream.Write(MemoryMarshal.AsBytes((ReadOnlySpan<float>)tensors[name].Data));
        });
    }

    /// <summary>Saves a module's parameters (its state dict).</summary>
    public static void Save(string path, Module module, IReadOnlyDictionary<string, string>? metadata = null) =>
        Save(path, module.StateDict(), metadata);

    /// <summary>Reads every tensor and the metadata from <paramref name="path"/>, validating the header against the data.</summary>
    public static SafeTensorsFile Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            throw new FileNotFoundException($"safetensors file '{path}' does not exist.", path);
        }
        return Parse(bytes, path);
    }

    /// <summary>Loads <paramref name="path"/> into <paramref name="module"/>, checking names and shapes (see <see cref="Module.LoadStateDict"/>).</summary>
    public static void LoadInto(string path, Module module)
    {
        var file = Load(path);
        try
        {
            module.LoadStateDict(file.Tensors);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The largest header read (100 MB, the reference implementation's limit).</summary>
    public const int MaxHeaderBytes = 100_000_000;

    /// <summary>
    /// Parses safetensors bytes, validating the header field by field (each entry's <c>dtype</c> a string, only F32;
    /// <c>shape</c> at most four integers ≥ 0 whose product fits a tensor; <c>data_offsets</c> two integers inside the data
    /// section, the entries contiguous and non-overlapping; <c>__metadata__</c> an object of strings);
    /// <paramref name="source"/> names the file in error messages.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid safetensors file; the message names the file, the tensor and the field.</exception>
    public static SafeTensorsFile Parse(ReadOnlySpan<byte> bytes, string source = "<bytes>")
    {
        if (bytes.Length < 8)
            throw new InvalidDataException($"{source}: truncated safetensors file ({bytes.Length} bytes; the 8-byte header length alone is missing).");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8))
            throw new InvalidDataException($"{source}: truncated safetensors file: the header claims {headerLength} bytes but only {bytes.Length - 8} follow.");
        if (headerLength > MaxHeaderBytes)
            throw new InvalidDataException($"{source}: the header length {headerLength} is invalid; allowed: at most {MaxHeaderBytes} bytes.");
        var data = bytes[(8 + (int)headerLength)..];
        var headerBytes = bytes.Slice(8, (int)headerLength);
        try
        {
            _ = StrictUtf8.GetCharCount(headerBytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"{source}: the safetensors header is not valid UTF-8 ({e.Message}).", e);
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(headerBytes.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: the safetensors header is not valid JSON ({e.Message}).", e);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: the safetensors header is not valid UTF-8 JSON ({e.Message}).", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{source}: the safetensors header must be a JSON object; found {doc.RootElement.ValueKind}.");
            var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var spans = new List<(long Begin, long End, string Name)>();
            var entries = new List<(string Name, string Dtype, int[] Shape, long Begin, long End)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (!seen.Add(entry.Name))
                    throw new InvalidDataException($"{source}: the header names '{entry.Name}' twice; allowed: each name once.");
                if (entry.Name == MetadataKey)
                {
                    if (entry.Value.ValueKind != JsonValueKind.Object)
                        throw new InvalidDataException($"{source}: '{MetadataKey}' is {entry.Value.ValueKind}; allowed: an object of string values.");
                    foreach (var m in entry.Value.EnumerateObject())
                    {
                        if (m.Value.ValueKind != JsonValueKind.String)
                            throw new InvalidDataException($"{source}: '{MetadataKey}.{m.Name}' is {m.Value.ValueKind}; allowed: a string.");
                        metadata[m.Name] = m.Value.GetString()!;
                    }
                    continue;
                }
                var (shape, begin, end) = ReadEntry(entry.Name, entry.Value, data.Length, source);
                spans.Add((begin, end, entry.Name));
                entries.Add((entry.Name, "F32", shape, begin, end));
            }
            // The data section is the tensors' bytes back to back, as the reference implementation requires: no gap, no overlap, nothing after.
            long cursor = 0;
            foreach (var (begin, end, name) in spans.OrderBy(s => s.Begin).ThenBy(s => s.End))
            {
                if (begin != cursor)
                    throw new InvalidDataException(source + ": " + (begin < cursor
                        ? $"tensor '{name}' has data_offsets [{begin}, {end}) overlapping the previous tensor (which ends at {cursor}); allowed: non-overlapping offsets."
                        : $"tensor '{name}' has data_offsets [{begin}, {end}) leaving a gap after byte {cursor}; allowed: tensors stored back to back."));
                cursor = end;
            }
            if (cursor != data.Length)
                throw new InvalidDataException($"{source}: the data section holds {data.Length} bytes but the tensors cover {cursor}; allowed: exactly the tensors' bytes.");
            if (!BitConverter.IsLittleEndian)
                throw new PlatformNotSupportedException("safetensors loading assumes a little-endian machine.");
            foreach (var (name, _, shape, begin, end) in entries)
                tensors[name] = Tensor.From(MemoryMarshal.Cast<byte, float>(data.Slice((int)begin, (int)(end - begin))), shape);
            return new SafeTensorsFile(tensors, metadata);
        }
    }

    private static (int[] Shape, long Begin, long End) ReadEntry(string name, JsonElement info, int dataLength, string source)
    {
        if (info.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{source}: tensor '{name}' is {info.ValueKind}; allowed: an object with dtype, shape and data_offsets.");
        foreach (var field in info.EnumerateObject())
            if (field.Name is not ("dtype" or "shape" or "data_offsets"))
                throw new InvalidDataException($"{source}: tensor '{name}' has an unknown field '{field.Name}'; allowed: dtype, shape, data_offsets.");
        if (!info.TryGetProperty("dtype", out var dtypeEl) || !info.TryGetProperty("shape", out var shapeEl) || !info.TryGetProperty("data_offsets", out var offEl))
            throw new InvalidDataException($"{source}: tensor '{name}' lacks one of dtype, shape, data_offsets.");
        if (dtypeEl.ValueKind != JsonValueKind.String)
            throw new InvalidDataException($"{source}: tensor '{name}': dtype = {dtypeEl.GetRawText()} is invalid; allowed: the string \"F32\".");
        var dtype = dtypeEl.GetString();
        if (dtype != "F32")
            throw new InvalidDataException($"{source}: tensor '{name}' has dtype {dtype}; only F32 (float32) is supported.");
        if (shapeEl.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{source}: tensor '{name}': shape = {Short(shapeEl)} is invalid; allowed: an array of at most 4 integers ≥ 0.");
        if (shapeEl.GetArrayLength() > 4)
            throw new InvalidDataException($"{source}: tensor '{name}': shape has {shapeEl.GetArrayLength()} dimensions; allowed: at most 4.");
        var shape = new int[shapeEl.GetArrayLength()];
        long count = 1;
        var i = 0;
        foreach (var d in shapeEl.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var dim) || dim < 0 || dim > int.MaxValue)
                throw new InvalidDataException($"{source}: tensor '{name}': shape[{i}] = {Short(d)} is invalid; allowed: an integer in [0, {int.MaxValue}].");
            shape[i++] = (int)dim;
            count = count * dim;
            if (count > Array.MaxLength)
                throw new InvalidDataException($"{source}: tensor '{name}': shape {Short(shapeEl)} has more than {Array.MaxLength} elements; allowed: a tensor that fits in one array.");
        }
        if (offEl.ValueKind != JsonValueKind.Array || offEl.GetArrayLength() != 2)
            throw new InvalidDataException($"{source}: tensor '{name}': data_offsets = {Short(offEl)} is invalid; allowed: [begin, end], two integers.");
        var offsets = new long[2];
        i = 0;
        foreach (var o in offEl.EnumerateArray())
        {
            if (o.ValueKind != JsonValueKind.Number || !o.TryGetInt64(out var v) || v < 0)
                throw new InvalidDataException($"{source}: tensor '{name}': data_offsets[{i}] = {Short(o)} is invalid; allowed: an integer ≥ 0 within the data section ({dataLength} bytes).");
            offsets[i++] = v;
        }
        if (offsets[1] < offsets[0])
            throw new InvalidDataException($"{source}: tensor '{name}': data_offsets [{offsets[0]}, {offsets[1]}] end before they begin.");
        if (offsets[1] > dataLength)
            throw new InvalidDataException($"{source}: truncated safetensors file: tensor '{name}' needs bytes [{offsets[0]}, {offsets[1]}) but the data section holds {dataLength}.");
        if (offsets[1] - offsets[0] != 4 * count)
            throw new InvalidDataException($"{source}: tensor '{name}' has shape {Tensor.FormatShape(shape)} ({4 * count} bytes) but data_offsets span {offsets[1] - offsets[0]} bytes.");
        return (shape, offsets[0], offsets[1]);
    }

    private static string Short(JsonElement element)
    {
        var raw = element.GetRawText();
        return raw.Length <= 60 ? raw : raw[..57] + "...";
    }
}

/// <summary>The contents of a safetensors file: tensors by name and string metadata.</summary>
public sealed record SafeTensorsFile(IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata);
