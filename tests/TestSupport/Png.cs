using System.Buffers.Binary;
using System.IO.Compression;

namespace RlExperiments.Testing;

/// <summary>A minimal PNG decoder for 8-bit RGB / RGBA, non-interlaced images (what Chromium's screenshots are).</summary>
public sealed class Png
{
    public required int Width { get; init; }
    public required int Height { get; init; }

    /// <summary>RGBA bytes, row-major.</summary>
    public required byte[] Rgba { get; init; }

    public (byte R, byte G, byte B, byte A) this[int x, int y]
    {
        get
        {
            var i = 4 * (y * Width + x);
            return (Rgba[i], Rgba[i + 1], Rgba[i + 2], Rgba[i + 3]);
        }
    }

    public static Png Decode(byte[] file)
    {
        ReadOnlySpan<byte> signature = [137, 80, 78, 71, 13, 10, 26, 10];
        if (file.Length < 8 || !file.AsSpan(0, 8).SequenceEqual(signature))
            throw new InvalidDataException("Not a PNG file (bad signature).");
        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        var pos = 8;
        while (pos + 8 <= file.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(pos));
            var type = System.Text.Encoding.ASCII.GetString(file, pos + 4, 4);
            var data = file.AsSpan(pos + 8, length);
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    int bitDepth = data[8], colorType = data[9], interlace = data[12];
                    if (bitDepth != 8 || interlace != 0 || (colorType != 2 && colorType != 6))
                        throw new NotSupportedException($"Only 8-bit non-interlaced RGB/RGBA PNGs are supported (bit depth {bitDepth}, colour type {colorType}, interlace {interlace}).");
                    channels = colorType == 6 ? 4 : 3;
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
            }
            pos += 12 + length; // length, type, data, CRC
            if (type == "IEND")
                break;
        }
        if (channels == 0)
            throw new InvalidDataException("The PNG has no IHDR chunk.");

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress))
            z.CopyTo(inflated);
        var raw = inflated.ToArray();
        var stride = width * channels;
        if (raw.Length < height * (stride + 1))
            throw new InvalidDataException($"The image data is truncated: {raw.Length} bytes for {height} rows of {stride + 1}.");

        var pixels = new byte[height * stride];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var src = raw.AsSpan(y * (stride + 1) + 1, stride);
            var dst = pixels.AsSpan(y * stride, stride);
            var prev = y > 0 ? pixels.AsSpan((y - 1) * stride, stride) : Span<byte>.Empty;
            for (var i = 0; i < stride; i++)
            {
                int a = i >= channels ? dst[i - channels] : 0;
                int b = y > 0 ? prev[i] : 0;
                int c = y > 0 && i >= channels ? prev[i - channels] : 0;
                var predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"Unknown PNG filter type {filter} in row {y}."),
                };
                dst[i] = (byte)(src[i] + predictor);
            }
        }

        var rgba = new byte[width * height * 4];
        for (int p = 0, s = 0; p < width * height; p++, s += channels)
        {
            rgba[4 * p] = pixels[s];
            rgba[4 * p + 1] = pixels[s + 1];
            rgba[4 * p + 2] = pixels[s + 2];
            rgba[4 * p + 3] = channels == 4 ? pixels[s + 3] : (byte)255;
        }
        return new Png { Width = width, Height = height, Rgba = rgba };
    }

    /// <summary>
    /// Encodes the image as an 8-bit RGB PNG (alpha dropped), choosing per row the filter with the smallest sum of
    /// absolute values and compressing with zlib's smallest size: for committing screenshots compactly.
    /// </summary>
    public byte[] EncodeRgb()
    {
        var stride = Width * 3;
        var rows = new byte[Height * stride];
        for (var p = 0; p < Width * Height; p++)
        {
            rows[3 * p] = Rgba[4 * p];
            rows[3 * p + 1] = Rgba[4 * p + 1];
            rows[3 * p + 2] = Rgba[4 * p + 2];
        }
        var filtered = new byte[Height * (stride + 1)];
        var candidate = new byte[stride];
        for (var y = 0; y < Height; y++)
        {
            var best = long.MaxValue;
            var cur = rows.AsSpan(y * stride, stride);
            var prev = y > 0 ? rows.AsSpan((y - 1) * stride, stride) : Span<byte>.Empty;
            for (byte filter = 0; filter <= 4; filter++)
            {
                long cost = 0;
                for (var i = 0; i < stride; i++)
                {
                    int a = i >= 3 ? cur[i - 3] : 0, b = y > 0 ? prev[i] : 0, c = y > 0 && i >= 3 ? prev[i - 3] : 0;
                    var predictor = filter switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2, _ => Paeth(a, b, c) };
                    candidate[i] = (byte)(cur[i] - predictor);
                    cost += Math.Abs((int)(sbyte)candidate[i]);
                }
                if (cost < best)
                {
                    best = cost;
                    filtered[y * (stride + 1)] = filter;
                    candidate.CopyTo(filtered.AsSpan(y * (stride + 1) + 1));
                }
            }
        }
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            z.Write(filtered);
        using var file = new MemoryStream();
        file.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), Height);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        WriteChunk(file, "IHDR", header);
        WriteChunk(file, "IDAT", compressed.ToArray());
        WriteChunk(file, "IEND", []);
        return file.ToArray();
    }

    /// <summary>
    /// Encodes the image as an 8-bit indexed PNG: the 256 most frequent colours form the palette and every other colour
    /// maps to its nearest palette entry (lossy only in anti-aliased edges). Small enough to commit a full-page screenshot.
    /// </summary>
    public byte[] EncodeIndexed()
    {
        var counts = new Dictionary<int, int>();
        for (var p = 0; p < Width * Height; p++)
        {
            var key = (Rgba[4 * p] << 16) | (Rgba[4 * p + 1] << 8) | Rgba[4 * p + 2];
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        // One palette entry per 5-bit-per-channel bin (its most frequent colour), most populous bins first: rare but
        // distinct colours (a green word) keep a close entry instead of losing it to many anti-aliasing greys.
        var palette = counts
            .GroupBy(kv => ((kv.Key >> 19) & 31) << 10 | ((kv.Key >> 11) & 31) << 5 | ((kv.Key >> 3) & 31))
            .Select(bin => (Total: bin.Sum(kv => kv.Value), Colour: bin.MaxBy(kv => kv.Value).Key))
            .OrderByDescending(b => b.Total).ThenBy(b => b.Colour).Take(256).Select(b => b.Colour).ToArray();
        var index = new Dictionary<int, byte>();
        foreach (var colour in counts.Keys)
        {
            int r = colour >> 16, g = (colour >> 8) & 255, b = colour & 255;
            var best = 0;
            var bestDistance = int.MaxValue;
            for (var i = 0; i < palette.Length; i++)
            {
                int dr = r - (palette[i] >> 16), dg = g - ((palette[i] >> 8) & 255), db = b - (palette[i] & 255);
                var d = 2 * dr * dr + 4 * dg * dg + 3 * db * db;
                if (d < bestDistance)
                {
                    bestDistance = d;
                    best = i;
                }
            }
            index[colour] = (byte)best;
        }
        var filtered = new byte[Height * (Width + 1)];
        for (var y = 0; y < Height; y++)
        {
            filtered[y * (Width + 1)] = 0; // no filter: indices are not numerically related
            for (var x = 0; x < Width; x++)
            {
                var p = y * Width + x;
                filtered[y * (Width + 1) + 1 + x] = index[(Rgba[4 * p] << 16) | (Rgba[4 * p + 1] << 8) | Rgba[4 * p + 2]];
            }
        }
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            z.Write(filtered);
        using var file = new MemoryStream();
        file.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), Height);
        header[8] = 8; // bit depth
        header[9] = 3; // indexed colour
        WriteChunk(file, "IHDR", header);
        var plte = new byte[palette.Length * 3];
        for (var i = 0; i < palette.Length; i++)
        {
            plte[3 * i] = (byte)(palette[i] >> 16);
            plte[3 * i + 1] = (byte)(palette[i] >> 8);
            plte[3 * i + 2] = (byte)palette[i];
        }
        WriteChunk(file, "PLTE", plte);
        WriteChunk(file, "IDAT", compressed.ToArray());
        WriteChunk(file, "IEND", []);
        return file.ToArray();
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buffer, data.Length);
        stream.Write(buffer);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        stream.Write(typeBytes);
        stream.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(buffer, Crc32(typeBytes, data));
        stream.Write(buffer);
    }

    private static uint Crc32(byte[] type, byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var part in new[] { type, data })
        {
            foreach (var b in part)
            {
                crc ^= b;
                for (var k = 0; k < 8; k++)
                    crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }
        return ~crc;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
