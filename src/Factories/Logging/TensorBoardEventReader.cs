using System.Buffers.Binary;
using System.Text;

namespace RlExperiments.Factories.Logging;

/// <summary>One scalar read back from an event file.</summary>
/// <param name="WallTime">Seconds since the Unix epoch when it was written.</param>
/// <param name="Step">The step (the environment step for files written by <see cref="TensorBoardWriter"/>).</param>
/// <param name="Tag">The tag, e.g. <c>"test/return_mean"</c>.</param>
/// <param name="Value">The value (float32 precision for <c>simple_value</c> scalars).</param>
public readonly record struct TensorBoardScalar(double WallTime, long Step, string Tag, double Value);

/// <summary>One event record: its wall time and step, the file version (first event only) and its scalar values.</summary>
/// <param name="Offset">Byte offset of the record in the file.</param>
/// <param name="WallTime">Seconds since the Unix epoch.</param>
/// <param name="Step">The step.</param>
/// <param name="FileVersion">The <c>file_version</c> string (e.g. <c>"brain.Event:2"</c>), or null for other events.</param>
/// <param name="Scalars">The scalar values of the event's summary, as (tag, value) pairs; non-scalar values are skipped.</param>
public sealed record TensorBoardEvent(long Offset, double WallTime, long Step, string? FileVersion, IReadOnlyList<KeyValuePair<string, double>> Scalars);

/// <summary>
/// Reads TensorBoard event files (the format <see cref="TensorBoardWriter"/>, PyTorch's and tensorboardX's
/// <c>SummaryWriter</c> and TensorFlow write), checking every record's length and CRC-32C. Scalars stored as
/// <c>simple_value</c> or as a one-element float/double <c>tensor</c> (TensorFlow 2 style) are returned; images,
/// histograms and other summaries are skipped.
/// </summary>
/// <remarks>Errors are <see cref="InvalidDataException"/>s naming the file, the record index and its byte offset.</remarks>
public static class TensorBoardEventReader
{
    private const int DtFloat = 1;
    private const int DtDouble = 2;

    /// <summary>All scalars in the file at <paramref name="path"/>, in file order.</summary>
    /// <param name="path">An <c>events.out.tfevents.*</c> file.</param>
    /// <param name="allowTruncatedTail">When true, an incomplete last record (a file still being written) is ignored instead of reported.</param>
    /// <exception cref="InvalidDataException">A record is truncated, a CRC does not match, or an event is not a valid protobuf message.</exception>
    public static IReadOnlyList<TensorBoardScalar> Read(string path, bool allowTruncatedTail = false)
    {
        var result = new List<TensorBoardScalar>();
        foreach (var e in ReadEvents(path, allowTruncatedTail))
            foreach (var (tag, value) in e.Scalars)
                result.Add(new TensorBoardScalar(e.WallTime, e.Step, tag, value));
        return result;
    }

    /// <summary>All scalars of every <c>events.out.tfevents.*</c> file directly in <paramref name="directory"/> (files in name order, i.e. creation-time order).</summary>
    public static IReadOnlyList<TensorBoardScalar> ReadDirectory(string directory, bool allowTruncatedTail = false)
    {
        var files = Directory.GetFiles(directory, TensorBoardWriter.FilePrefix + "*").Order(StringComparer.Ordinal);
        var result = new List<TensorBoardScalar>();
        foreach (var file in files)
            result.AddRange(Read(file, allowTruncatedTail));
        return result;
    }

    /// <summary>All events in the file at <paramref name="path"/>, including the file-version event.</summary>
    /// <exception cref="InvalidDataException">A record is truncated, a CRC does not match, or an event is not a valid protobuf message.</exception>
    public static IReadOnlyList<TensorBoardEvent> ReadEvents(string path, bool allowTruncatedTail = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = File.ReadAllBytes(path);
        return ParseEvents(bytes, path, allowTruncatedTail);
    }

    /// <summary>Parses event records from <paramref name="bytes"/>; <paramref name="source"/> names the data in errors.</summary>
    public static IReadOnlyList<TensorBoardEvent> ParseEvents(ReadOnlySpan<byte> bytes, string source = "<bytes>", bool allowTruncatedTail = false)
    {
        var events = new List<TensorBoardEvent>();
        long offset = 0;
        var index = 0;
        while (offset < bytes.Length)
        {
            var remaining = bytes.Length - offset;
            if (remaining < 12)
            {
                if (allowTruncatedTail) break;
                throw Error(source, index, offset, $"truncated record header: 12 bytes needed, {remaining} left in the file");
            }
            var header = bytes.Slice((int)offset, 12);
            var storedLengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
            var lengthCrc = Crc32C.ComputeMasked(header[..8]);
            if (storedLengthCrc != lengthCrc)
                throw Error(source, index, offset, $"length CRC mismatch: stored 0x{storedLengthCrc:X8}, computed 0x{lengthCrc:X8} (the length bytes at offset {offset} are corrupt)");
            var length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            if (length > (ulong)(remaining - 16))
            {
                if (allowTruncatedTail) break;
                throw Error(source, index, offset, $"truncated record: {length} data bytes + 16 framing bytes declared, {remaining} left in the file");
            }
            var dataOffset = offset + 12;
            var data = bytes.Slice((int)dataOffset, (int)length);
            var storedDataCrc = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(int)(dataOffset + (long)length)..]);
            var dataCrc = Crc32C.ComputeMasked(data);
            if (storedDataCrc != dataCrc)
                throw Error(source, index, offset, $"data CRC mismatch: stored 0x{storedDataCrc:X8}, computed 0x{dataCrc:X8} (the {length} data bytes at offset {dataOffset} or the CRC after them are corrupt)");
            try
            {
                events.Add(ParseEvent(data, offset));
            }
            catch (FormatException ex)
            {
                throw Error(source, index, offset, $"invalid Event message: {ex.Message}");
            }
            offset = dataOffset + (long)length + 4;
            index++;
        }
        return events;
    }

    private static InvalidDataException Error(string source, int index, long offset, string detail) =>
        new($"TensorBoard event file '{source}': record {index} at byte offset {offset}: {detail}.");

    private static TensorBoardEvent ParseEvent(ReadOnlySpan<byte> data, long offset)
    {
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null;
        var scalars = new List<KeyValuePair<string, double>>();
        var p = 0;
        while (p < data.Length)
        {
            var key = Protobuf.ReadVarint(data, ref p);
            var field = (int)(key >> 3);
            var wire = (int)(key & 7);
            switch (field)
            {
                case 1 when wire == Protobuf.WireFixed64:
                    Protobuf.Need(data, p, 8, field);
                    wallTime = BinaryPrimitives.ReadDoubleLittleEndian(data[p..]);
                    p += 8;
                    break;
                case 2 when wire == Protobuf.WireVarint:
                    step = (long)Protobuf.ReadVarint(data, ref p);
                    break;
                case 3 when wire == Protobuf.WireLengthDelimited:
                    fileVersion = Utf8(Protobuf.ReadLengthDelimited(data, ref p), "file_version");
                    break;
                case 5 when wire == Protobuf.WireLengthDelimited:
                    ParseSummary(Protobuf.ReadLengthDelimited(data, ref p), scalars);
                    break;
                default:
                    Protobuf.Skip(data, ref p, wire, field);
                    break;
            }
        }
        return new TensorBoardEvent(offset, wallTime, step, fileVersion, scalars);
    }

    private static void ParseSummary(ReadOnlySpan<byte> data, List<KeyValuePair<string, double>> scalars)
    {
        var p = 0;
        while (p < data.Length)
        {
            var key = Protobuf.ReadVarint(data, ref p);
            var field = (int)(key >> 3);
            var wire = (int)(key & 7);
            if (field == 1 && wire == Protobuf.WireLengthDelimited)
                ParseValue(Protobuf.ReadLengthDelimited(data, ref p), scalars);
            else
                Protobuf.Skip(data, ref p, wire, field);
        }
    }

    private static void ParseValue(ReadOnlySpan<byte> data, List<KeyValuePair<string, double>> scalars)
    {
        string? tag = null;
        double? value = null;
        var p = 0;
        while (p < data.Length)
        {
            var key = Protobuf.ReadVarint(data, ref p);
            var field = (int)(key >> 3);
            var wire = (int)(key & 7);
            switch (field)
            {
                case 1 when wire == Protobuf.WireLengthDelimited:
                    tag = Utf8(Protobuf.ReadLengthDelimited(data, ref p), "tag");
                    break;
                case 2 when wire == Protobuf.WireFixed32:
                    Protobuf.Need(data, p, 4, field);
                    value = BinaryPrimitives.ReadSingleLittleEndian(data[p..]);
                    p += 4;
                    break;
                case 8 when wire == Protobuf.WireLengthDelimited:
                    value = ParseScalarTensor(Protobuf.ReadLengthDelimited(data, ref p)) ?? value;
                    break;
                default:
                    Protobuf.Skip(data, ref p, wire, field);
                    break;
            }
        }
        if (tag is not null && value is { } v)
            scalars.Add(new KeyValuePair<string, double>(tag, v));
    }

    /// <summary>The value of a one-element DT_FLOAT/DT_DOUBLE TensorProto, or null for anything else.</summary>
    private static double? ParseScalarTensor(ReadOnlySpan<byte> data)
    {
        var dtype = 0;
        ReadOnlySpan<byte> content = default;
        var floats = new List<double>(1);
        var p = 0;
        while (p < data.Length)
        {
            var key = Protobuf.ReadVarint(data, ref p);
            var field = (int)(key >> 3);
            var wire = (int)(key & 7);
            switch (field)
            {
                case 1 when wire == Protobuf.WireVarint:
                    dtype = (int)Protobuf.ReadVarint(data, ref p);
                    break;
                case 4 when wire == Protobuf.WireLengthDelimited:
                    content = Protobuf.ReadLengthDelimited(data, ref p);
                    break;
                case 5 when wire == Protobuf.WireFixed32:
                    Protobuf.Need(data, p, 4, field);
                    floats.Add(BinaryPrimitives.ReadSingleLittleEndian(data[p..]));
                    p += 4;
                    break;
                case 5 when wire == Protobuf.WireLengthDelimited:
                    var packedF = Protobuf.ReadLengthDelimited(data, ref p);
                    for (var i = 0; i + 4 <= packedF.Length; i += 4)
                        floats.Add(BinaryPrimitives.ReadSingleLittleEndian(packedF[i..]));
                    break;
                case 6 when wire == Protobuf.WireFixed64:
                    Protobuf.Need(data, p, 8, field);
                    floats.Add(BinaryPrimitives.ReadDoubleLittleEndian(data[p..]));
                    p += 8;
                    break;
                case 6 when wire == Protobuf.WireLengthDelimited:
                    var packedD = Protobuf.ReadLengthDelimited(data, ref p);
                    for (var i = 0; i + 8 <= packedD.Length; i += 8)
                        floats.Add(BinaryPrimitives.ReadDoubleLittleEndian(packedD[i..]));
                    break;
                default:
                    Protobuf.Skip(data, ref p, wire, field);
                    break;
            }
        }
        if (dtype == DtFloat && content.Length == 4)
            return BinaryPrimitives.ReadSingleLittleEndian(content);
        if (dtype == DtDouble && content.Length == 8)
            return BinaryPrimitives.ReadDoubleLittleEndian(content);
        if (dtype is DtFloat or DtDouble && content.IsEmpty && floats.Count == 1)
            return floats[0];
        return null;
    }

    private static string Utf8(ReadOnlySpan<byte> bytes, string field)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new FormatException($"field '{field}' is not valid UTF-8");
        }
    }
}
