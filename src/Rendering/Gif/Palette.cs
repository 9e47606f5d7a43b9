namespace RlExperiments.Rendering.Gif;

/// <summary>Reduces a frame to at most 256 colours: exact when it has that few, else its most frequent colours and the nearest of them for the rest.</summary>
internal static class Palette
{
    public const int Size = 256;

    /// <summary>The 256-entry RGB palette (768 bytes, unused entries black) and one palette index per pixel.</summary>
    public static (byte[] Palette, byte[] Indices) Quantize(RgbFrame frame)
    {
        var pixels = frame.Pixels;
        var count = frame.Width * frame.Height;
        var histogram = new Dictionary<int, int>();
        for (int p = 0, i = 0; p < count; p++, i += 3)
        {
            var rgb = (pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2];
            histogram[rgb] = histogram.GetValueOrDefault(rgb) + 1;
        }
        // The most frequent colours first; ties by colour value, so the same frame always gets the same palette.
        var chosen = histogram.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Take(Size).Select(kv => kv.Key).ToArray();
        var palette = new byte[Size * 3];
        var index = new Dictionary<int, byte>(histogram.Count);
        for (var c = 0; c < chosen.Length; c++)
        {
            palette[3 * c] = (byte)(chosen[c] >> 16);
            palette[3 * c + 1] = (byte)(chosen[c] >> 8);
            palette[3 * c + 2] = (byte)chosen[c];
            index[chosen[c]] = (byte)c;
        }
        foreach (var colour in histogram.Keys)
        {
            if (!index.ContainsKey(colour))
                index[colour] = Nearest(colour, chosen);
        }
        var indices = new byte[count];
        for (int p = 0, i = 0; p < count; p++, i += 3)
            indices[p] = index[(pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]];
        return (palette, indices);
    }

    private static byte Nearest(int colour, int[] chosen)
    {
        int r = colour >> 16, g = (colour >> 8) & 0xFF, b = colour & 0xFF;
        var best = 0;
        var bestDistance = int.MaxValue;
        for (var c = 0; c < chosen.Length; c++)
        {
            int dr = r - (chosen[c] >> 16), dg = g - ((chosen[c] >> 8) & 0xFF), db = b - (chosen[c] & 0xFF);
            var distance = dr * dr + dg * dg + db * db;
            if (distance < bestDistance) (best, bestDistance) = (c, distance);
        }
        return (byte)best;
    }
}
