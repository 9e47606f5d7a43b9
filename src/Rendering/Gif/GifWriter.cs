using System.Buffers.Binary;

namespace RlExperiments.Rendering.Gif;

/// <summary>
/// Writes an animated GIF (GIF89a, looping forever) frame by frame to a stream, so a long episode is never held in memory
/// as raw pixels. Our own encoder: SkiaSharp draws but cannot encode GIF, and a GIF is a header, a palette per frame and
/// LZW-compressed palette indices, which fit in this one file without another dependency.
/// </summary>
/// <remarks>
/// A frame stores only the rectangle that changed since the previous one (the rest stays on screen), so a cart moving on a
/// white page costs a few kilobytes a frame. Each frame gets its own 256-colour palette (a local colour table): its exact colours when it has at most 256 (the
/// classic-control pictures have a handful plus their anti-aliased edges), else its 256 most frequent colours with every
/// other colour mapped to the nearest of them. Frame delays are whole hundredths of a second, at least 0.02 s, because
/// browsers play shorter delays at 0.1 s.
/// </remarks>
public sealed class GifWriter : IDisposable
{
    /// <summary>The shortest frame delay browsers honour, in seconds.</summary>
    public const double MinFrameSeconds = 0.02;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly LzwEncoder _lzw = new();
    private byte[]? _previous;
    private bool _finished;

    /// <summary>Starts a GIF of <paramref name="width"/>×<paramref name="height"/> pixels on <paramref name="stream"/>.</summary>
    /// <param name="stream">Where the file goes; written sequentially.</param>
    /// <param name="width">The image width. Allowed: 1..65535.</param>
    /// <param name="height">The image height. Allowed: 1..65535.</param>
    /// <param name="leaveOpen">Whether <see cref="Dispose"/> leaves <paramref name="stream"/> open.</param>
    public GifWriter(Stream stream, int width, int height, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (width is < 1 or > ushort.MaxValue) throw new ArgumentOutOfRangeException(nameof(width), width, "A GIF is 1..65535 pixels wide.");
        if (height is < 1 or > ushort.MaxValue) throw new ArgumentOutOfRangeException(nameof(height), height, "A GIF is 1..65535 pixels high.");
        _stream = stream;
        _leaveOpen = leaveOpen;
        Width = width;
        Height = height;

        Span<byte> header = stackalloc byte[13];
        "GIF89a"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], (ushort)height);
        header[10] = 0x70; // no global colour table; 8 bits of colour resolution
        header[11] = 0;    // background colour index
        header[12] = 0;    // square pixels
        _stream.Write(header);
        // The NETSCAPE2.0 application extension: loop forever.
        _stream.Write([0x21, 0xFF, 0x0B, .. "NETSCAPE2.0"u8, 0x03, 0x01, 0x00, 0x00, 0x00]);
    }

    /// <summary>The image width in pixels.</summary>
    public int Width { get; }

    /// <summary>The image height in pixels.</summary>
    public int Height { get; }

    /// <summary>The number of frames written so far.</summary>
    public int FrameCount { get; private set; }

    /// <summary>The frame delay in hundredths of a second for <paramref name="seconds"/> (rounded, at least 2, at most 65535).</summary>
    public static ushort DelayCentiseconds(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < 0)
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "A frame delay is a finite number of seconds ≥ 0.");
        return (ushort)Math.Clamp(Math.Round(seconds * 100), MinFrameSeconds * 100, ushort.MaxValue);
    }

    /// <summary>Appends <paramref name="frame"/>, shown for <paramref name="delaySeconds"/> (see <see cref="DelayCentiseconds"/>).</summary>
    /// <exception cref="ArgumentException">The frame's size differs from the GIF's.</exception>
    public void AddFrame(RgbFrame frame, double delaySeconds)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ObjectDisposedException.ThrowIf(_finished, this);
        if (frame.Width != Width || frame.Height != Height)
            throw new ArgumentException($"The frame is {frame.Width}×{frame.Height}; this GIF is {Width}×{Height}.", nameof(frame));
        var delay = DelayCentiseconds(delaySeconds);
        // Only the rectangle that changed since the previous frame is stored; the rest stays on screen.
        var (x0, y0, w, h) = ChangedRectangle(frame.Pixels);
        var (palette, indices) = Palette.Quantize(Crop(frame, x0, y0, w, h));

        // Graphic control extension: leave the frame in place, the delay, no transparency.
        _stream.Write([0x21, 0xF9, 0x04, 0x04, (byte)delay, (byte)(delay >> 8), 0x00, 0x00]);
        // Image descriptor at (0, 0), full size, with a local colour table of 256 entries.
        Span<byte> descriptor = stackalloc byte[10];
        descriptor[0] = 0x2C;
        BinaryPrimitives.WriteUInt16LittleEndian(descriptor[1..], (ushort)x0);
        BinaryPrimitives.WriteUInt16LittleEndian(descriptor[3..], (ushort)y0);
        BinaryPrimitives.WriteUInt16LittleEndian(descriptor[5..], (ushort)w);
        BinaryPrimitives.WriteUInt16LittleEndian(descriptor[7..], (ushort)h);
        descriptor[9] = 0x87; // local colour table, 2^(7+1) = 256 entries
        _stream.Write(descriptor);
        _stream.Write(palette);
        _lzw.Encode(indices, _stream);
        _previous ??= new byte[frame.Pixels.Length];
        frame.Pixels.CopyTo(_previous, 0);
        FrameCount++;
    }

    /// <summary>The bounding box of the pixels that differ from the previous frame: the whole image for the first frame, one pixel when nothing changed.</summary>
    private (int X, int Y, int Width, int Height) ChangedRectangle(byte[] pixels)
    {
        if (_previous is null) return (0, 0, Width, Height);
        int left = Width, right = -1, top = Height, bottom = -1;
        var stride = 3 * Width;
        for (var y = 0; y < Height; y++)
        {
            var row = pixels.AsSpan(y * stride, stride);
            var before = _previous.AsSpan(y * stride, stride);
            var first = row.CommonPrefixLength(before);
            if (first == stride) continue;
            var last = stride - 1;
            while (row[last] == before[last]) last--;
            left = Math.Min(left, first / 3);
            right = Math.Max(right, last / 3);
            top = Math.Min(top, y);
            bottom = y;
        }
        return right < 0 ? (0, 0, 1, 1) : (left, top, right - left + 1, bottom - top + 1);
    }

    private static RgbFrame Crop(RgbFrame frame, int x0, int y0, int width, int height)
    {
        if (width == frame.Width && height == frame.Height) return frame;
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
            frame.Pixels.AsSpan(3 * ((y0 + y) * frame.Width + x0), 3 * width).CopyTo(pixels.AsSpan(3 * y * width));
        return new RgbFrame(width, height, pixels);
    }

    /// <summary>Writes the trailer; the stream then holds a complete GIF. Called by <see cref="Dispose"/> if not before.</summary>
    public void Finish()
    {
        if (_finished) return;
        _finished = true;
        _stream.WriteByte(0x3B);
        _stream.Flush();
    }

    /// <summary>Finishes the file and closes the stream unless it was to be left open.</summary>
    public void Dispose()
    {
        Finish();
        if (!_leaveOpen) _stream.Dispose();
    }
}
