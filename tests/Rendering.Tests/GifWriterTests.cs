using RlExperiments.Core;
using RlExperiments.Rendering.Gif;

namespace RlExperiments.Rendering.Tests;

/// <summary>Our GIF encoder, checked by an independent decoder (StbImageSharp): sizes, frame count, delays and exact pixels.</summary>
public sealed class GifWriterTests
{
    [Fact]
    public void CartPole_frames_round_trip_exactly()
    {
        using var dir = new TempDir();
        var path = dir.Combine("cartpole.gif");
        var frames = new[] { 0.0, 0.1, 0.1, -0.15 }.Select(t => ClassicControlRenderTests.CartPoleAt(0.3 * t, t).Render()).ToArray();
        using (var writer = new GifWriter(File.Create(path), 600, 400))
        {
            foreach (var f in frames) writer.AddFrame(f, 0.02);
            writer.FrameCount.Should().Be(4);
        }

        var gif = GifFile.Read(path);
        gif.Width.Should().Be(600);
        gif.Height.Should().Be(400);
        gif.Frames.Should().HaveCount(4, "an unchanged frame is still a frame");
        gif.DelaysMs.Should().AllBeEquivalentTo(20);
        for (var k = 0; k < frames.Length; k++)
        {
            Colours(frames[k]).Should().BeLessThanOrEqualTo(256, "an anti-aliased CartPole picture has few colours, so the palette is exact");
            for (var y = 0; y < 400; y++)
            for (var x = 0; x < 600; x++)
                gif.Pixel(k, x, y).Should().Be(frames[k][x, y]);
        }
    }

    [Fact]
    public void Noise_with_256_colours_round_trips_through_table_resets()
    {
        // 256×256 random indices: the LZW table fills (4096 codes) and is cleared many times.
        var rng = new Rng(7);
        var pixels = new byte[256 * 256 * 3];
        for (var p = 0; p < 256 * 256; p++)
        {
            var c = (byte)rng.NextInt(256);
            (pixels[3 * p], pixels[3 * p + 1], pixels[3 * p + 2]) = (c, (byte)(255 - c), (byte)(c ^ 0x5A));
        }
        var frame = new RgbFrame(256, 256, pixels);
        using var dir = new TempDir();
        var path = dir.Combine("noise.gif");
        using (var writer = new GifWriter(File.Create(path), 256, 256)) writer.AddFrame(frame, 0.5);

        var gif = GifFile.Read(path);
        gif.Frames.Should().ContainSingle();
        gif.DelaysMs[0].Should().Be(500);
        gif.Frames[0].Where((_, i) => i % 4 != 3).Should().Equal(pixels);
    }

    [Fact]
    public void More_than_256_colours_keep_the_frequent_ones_and_map_the_rest_to_the_nearest()
    {
        // 256 colours in bands, plus 100 single pixels each one step away from a band colour.
        var pixels = new byte[256 * 32 * 3];
        for (var y = 0; y < 32; y++)
        for (var x = 0; x < 256; x++)
        {
            var i = 3 * (y * 256 + x);
            (pixels[i], pixels[i + 1], pixels[i + 2]) = ((byte)x, 100, 200);
        }
        for (var k = 0; k < 100; k++)
        {
            var i = 3 * (31 * 256 + 2 * k + 1);
            pixels[i + 1] = 101;
        }
        var frame = new RgbFrame(256, 32, pixels);
        using var dir = new TempDir();
        var path = dir.Combine("many.gif");
        using (var writer = new GifWriter(File.Create(path), 256, 32)) writer.AddFrame(frame, 0.1);

        var gif = GifFile.Read(path);
        for (var x = 0; x < 256; x++)
        {
            gif.Pixel(0, x, 0).Should().Be(((byte)x, (byte)100, (byte)200), "the band colours are the most frequent: kept exactly");
            var (r, g, b) = gif.Pixel(0, x, 31);
            Math.Abs(r - x).Should().BeLessThanOrEqualTo(1);
            g.Should().Be(100, "a rare colour becomes its nearest palette colour");
            b.Should().Be(200);
        }
    }

    [Theory]
    [InlineData(0.0, 2)]
    [InlineData(0.013, 2)]
    [InlineData(0.02, 2)]
    [InlineData(0.0333, 3)]
    [InlineData(1.0, 100)]
    public void Delays_are_hundredths_of_a_second_and_at_least_two(double seconds, int centiseconds) =>
        GifWriter.DelayCentiseconds(seconds).Should().Be((ushort)centiseconds);

    [Fact]
    public void A_frame_of_another_size_or_a_negative_delay_is_refused()
    {
        using var writer = new GifWriter(new MemoryStream(), 4, 4);
        var wrongSize = () => writer.AddFrame(new RgbFrame(4, 5, new byte[60]), 0.1);
        wrongSize.Should().Throw<ArgumentException>().WithMessage("*4×5*4×4*");
        var negative = () => writer.AddFrame(new RgbFrame(4, 4, new byte[48]), -1);
        negative.Should().Throw<ArgumentOutOfRangeException>();
        writer.FrameCount.Should().Be(0);
    }

    private static int Colours(RgbFrame frame)
    {
        var set = new HashSet<int>();
        for (var i = 0; i < frame.Pixels.Length; i += 3)
            set.Add((frame.Pixels[i] << 16) | (frame.Pixels[i + 1] << 8) | frame.Pixels[i + 2]);
        return set.Count;
    }
}
