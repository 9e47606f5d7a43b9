namespace RlExperiments.Rendering;

/// <summary>
/// One rendered image, Gymnasium's <c>rgb_array</c>: <see cref="Height"/> rows of <see cref="Width"/> pixels, three bytes
/// (red, green, blue) per pixel, row-major from the top-left corner, i.e. a numpy array of shape (H, W, 3) and dtype uint8.
/// </summary>
public sealed class RgbFrame
{
    /// <summary>Wraps <paramref name="pixels"/> (not copied).</summary>
    /// <exception cref="ArgumentException">Non-positive sizes, or <paramref name="pixels"/> is not <c>width × height × 3</c> bytes long.</exception>
    public RgbFrame(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length != checked(width * height * 3))
            throw new ArgumentException($"A {width}×{height} RGB frame has {width * height * 3} bytes; got {pixels.Length}.", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>The width in pixels.</summary>
    public int Width { get; }

    /// <summary>The height in pixels.</summary>
    public int Height { get; }

    /// <summary>The pixels: <c>3 × (y × Width + x)</c> is the red byte of pixel (x, y).</summary>
    public byte[] Pixels { get; }

    /// <summary>The colour of pixel (<paramref name="x"/>, <paramref name="y"/>), counted from the top-left corner.</summary>
    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
                throw new ArgumentOutOfRangeException(nameof(x), $"Pixel ({x}, {y}) is outside the {Width}×{Height} frame.");
            var i = 3 * (y * Width + x);
            return (Pixels[i], Pixels[i + 1], Pixels[i + 2]);
        }
    }
}
