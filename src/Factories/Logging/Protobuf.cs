using System.Buffers.Binary;

namespace RlExperiments.Factories.Logging;

/// <summary>The few protobuf wire-format primitives the event files need (varints, fixed-width fields, keys).</summary>
internal static class Protobuf
{
    public const int WireVarint = 0;
    public const int WireFixed64 = 1;
    public const int WireLengthDelimited = 2;
    public const int WireStartGroup = 3;
    public const int WireEndGroup = 4;
    public const int WireFixed32 = 5;

    public static int VarintSize(ulong value)
    {
        var n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }
        return n;
    }

    public static int WriteVarint(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    public static int WriteKey(Span<byte> destination, int field, int wireType) =>
        WriteVarint(destination, (ulong)((field << 3) | wireType));

    public static int WriteDouble(Span<byte> destination, int field, double value)
    {
        var n = WriteKey(destination, field, WireFixed64);
        BinaryPrimitives.WriteDoubleLittleEndian(destination[n..], value);
        return n + 8;
    }

    public static int WriteFloat(Span<byte> destination, int field, float value)
    {
        var n = WriteKey(destination, field, WireFixed32);
        BinaryPrimitives.WriteSingleLittleEndian(destination[n..], value);
        return n + 4;
    }

    /// <summary>Reads a varint at <paramref name="position"/>, advancing it; throws <see cref="FormatException"/> when truncated or longer than 10 bytes.</summary>
    public static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong result = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (position >= data.Length)
                throw new FormatException($"truncated varint at byte {position} of a {data.Length}-byte message");
            var b = data[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return result;
        }
        throw new FormatException($"varint longer than 10 bytes ending at byte {position}");
    }

    /// <summary>Reads a length-delimited payload, advancing <paramref name="position"/> past it.</summary>
    public static ReadOnlySpan<byte> ReadLengthDelimited(ReadOnlySpan<byte> data, scoped ref int position)
    {
        var start = position;
        var length = ReadVarint(data, ref position);
        if (length > (ulong)(data.Length - position))
            throw new FormatException($"length-delimited field at byte {start} declares {length} bytes but only {data.Length - position} remain");
        var slice = data.Slice(position, (int)length);
        position += (int)length;
        return slice;
    }

    /// <summary>Skips a field of <paramref name="wireType"/> whose key has been read.</summary>
    public static void Skip(ReadOnlySpan<byte> data, ref int position, int wireType, int field)
    {
        switch (wireType)
        {
            case WireVarint:
                ReadVarint(data, ref position);
                break;
            case WireFixed64:
                Need(data, position, 8, field);
                position += 8;
                break;
            case WireLengthDelimited:
                ReadLengthDelimited(data, ref position);
                break;
            case WireFixed32:
                Need(data, position, 4, field);
                position += 4;
                break;
            default:
                throw new FormatException($"field {field} at byte {position} has unsupported wire type {wireType}");
        }
    }

    public static void Need(ReadOnlySpan<byte> data, int position, int count, int field)
    {
        if (data.Length - position < count)
            throw new FormatException($"field {field} at byte {position} needs {count} bytes but only {data.Length - position} remain");
    }
}
