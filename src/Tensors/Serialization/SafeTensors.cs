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

    /// <summary>Parses safetensors bytes; <paramref name="source"/> names the file in error messages.</summary>
    public static SafeTensorsFile Parse(ReadOnlySpan<byte> bytes, string source = "<bytes>")
    {
        if (bytes.Length < 8)
            throw new InvalidDataException($"{source}: truncated safetensors file ({bytes.Length} bytes; the 8-byte header length alone is missing).");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8))
            throw new InvalidDataException($"{source}: truncated safetensors file: the header claims {headerLength} bytes but only {bytes.Length - 8} follow.");
        var data = bytes[(8 + (int)headerLength)..];
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes.Slice(8, (int)headerLength).ToArray());
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: the safetensors header is not valid JSON ({e.Message}).", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{source}: the safetensors header must be a JSON object.");
            var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (entry.Name == MetadataKey)
                {
                    foreach (var m in entry.Value.EnumerateObject())
                        metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : m.Value.GetRawText();
                    continue;
                }
                tensors[entry.Name] = ReadTensor(entry.Name, entry.Value, data, source);
            }
            return new SafeTensorsFile(tensors, metadata);
        }
    }

    private static Tensor ReadTensor(string name, JsonElement info, ReadOnlySpan<byte> data, string source)
    {
        if (info.ValueKind != JsonValueKind.Object
            || !info.TryGetProperty("dtype", out var dtypeEl)
            || !info.TryGetProperty("shape", out var shapeEl)
            || !info.TryGetProperty("data_offsets", out var offEl))
            throw new InvalidDataException($"{source}: tensor '{name}' lacks one of dtype, shape, data_offsets.");
        var dtype = dtypeEl.GetString();
        if (dtype != "F32")
            throw new InvalidDataException($"{source}: tensor '{name}' has dtype {dtype}; only F32 (float32) is supported.");
        var shape = shapeEl.EnumerateArray().Select(e => e.GetInt32()).ToArray();
        if (shape.Length > 4 || shape.Any(d => d < 0))
            throw new InvalidDataException($"{source}: tensor '{name}' has shape {Tensor.FormatShape(shape)}; at most 4 non-negative dimensions are supported.");
        var offsets = offEl.EnumerateArray().Select(e => e.GetInt64()).ToArray();
        if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0])
            throw new InvalidDataException($"{source}: tensor '{name}' has invalid data_offsets [{string.Join(", ", offsets)}].");
        long count = 1;
        foreach (var d in shape) count *= d;
        if (offsets[1] - offsets[0] != 4 * count)
            throw new InvalidDataException($"{source}: tensor '{name}' has shape {Tensor.FormatShape(shape)} ({4 * count} bytes) but data_offsets span {offsets[1] - offsets[0]} bytes.");
        if (offsets[1] > data.Length)
            throw new InvalidDataException($"{source}: truncated safetensors file: tensor '{name}' needs bytes [{offsets[0]}, {offsets[1]}) but the data section holds {data.Length}.");
        var values = MemoryMarshal.Cast<byte, float>(data.Slice((int)offsets[0], (int)(offsets[1] - offsets[0])));
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("safetensors loading assumes a little-endian machine.");
        return Tensor.From(values, shape);
    }
}

/// <summary>The contents of a safetensors file: tensors by name and string metadata.</summary>
public sealed record SafeTensorsFile(IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata);
