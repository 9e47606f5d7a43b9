using StbImageSharp;

namespace RlExperiments.Rendering.Tests;

/// <summary>A decoded animated GIF (decoded by StbImageSharp, not by our code): frames as RGBA and their delays.</summary>
public sealed record GifFile(int Width, int Height, IReadOnlyList<byte[]> Frames, IReadOnlyList<int> DelaysMs)
{
    public static GifFile Read(string path)
    {
        using var stream = File.OpenRead(path);
        var frames = new List<byte[]>();
        var delays = new List<int>();
        int width = 0, height = 0;
        foreach (var frame in ImageResult.AnimatedGifFramesFromStream(stream, ColorComponents.RedGreenBlueAlpha))
        {
            width = frame.Width;
            height = frame.Height;
            frames.Add(frame.Data.ToArray());
            delays.Add(frame.DelayInMs);
        }
        return new GifFile(width, height, frames, delays);
    }

    /// <summary>The RGB of pixel (x, y) of frame <paramref name="index"/>.</summary>
    public (byte R, byte G, byte B) Pixel(int index, int x, int y)
    {
        var i = 4 * (y * Width + x);
        var f = Frames[index];
        return (f[i], f[i + 1], f[i + 2]);
    }
}
