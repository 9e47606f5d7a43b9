using RlExperiments.Environments;

namespace RlExperiments.Rendering.Tests;

/// <summary>RecordVideo writes one GIF per selected episode, a frame per Reset and Step, as the pole moves.</summary>
public sealed class RecordVideoTests
{
    [Fact]
    public void Records_the_selected_episodes_with_a_frame_per_step_and_the_pole_moving()
    {
        using var dir = new TempDir();
        using var env = new RecordVideo(EnvRegistry.Default.Make("CartPole-v1"), dir.Path, episodeTrigger: e => e != 1, namePrefix: "cp");
        env.FrameSeconds.Should().Be(0.02, "CartPole's render_fps is 50");
        var obs = new float[4];
        var lengths = new List<int>();
        for (var episode = 0; episode < 3; episode++)
        {
            env.Reset(obs, seed: 10 + episode);
            env.IsRecording.Should().Be(episode != 1);
            var steps = 0;
            StepResult result;
            do
            {
                result = env.Step(1, obs); // always push right: the pole falls left within a few dozen steps
                steps++;
                if (!(result.Terminated || result.Truncated) && episode == 0)
                    File.Exists(dir.Combine("cp-episode-0.gif")).Should().BeFalse("the file appears only when the episode ends");
            } while (!(result.Terminated || result.Truncated));
            env.IsRecording.Should().BeFalse();
            lengths.Add(steps);
        }

        env.WrittenFiles.Select(Path.GetFileName).Should().Equal("cp-episode-0.gif", "cp-episode-2.gif");
        Directory.GetFiles(dir.Path).Select(Path.GetFileName).Should().BeEquivalentTo(["cp-episode-0.gif", "cp-episode-2.gif"], "no temporary file is left");

        var gif = GifFile.Read(dir.Combine("cp-episode-0.gif"));
        gif.Width.Should().Be(600);
        gif.Height.Should().Be(400);
        gif.Frames.Should().HaveCount(lengths[0] + 1, "the reset frame and one per step");
        gif.DelaysMs.Should().AllBeEquivalentTo(20);
        for (var k = 1; k < gif.Frames.Count; k++)
            gif.Frames[k].Should().NotEqual(gif.Frames[k - 1], $"the cart and pole move between frames {k - 1} and {k}");
        // The pole falls left: in the last frame its brown pixels are left of the cart's centre.
        BrownCentroidX(gif, gif.Frames.Count - 1).Should().BeLessThan(CartCentreX(gif, gif.Frames.Count - 1) - 5);
        GifFile.Read(dir.Combine("cp-episode-2.gif")).Frames.Should().HaveCount(lengths[2] + 1);
    }

    [Fact]
    public void A_recording_cut_short_by_reset_or_dispose_is_still_written()
    {
        using var dir = new TempDir();
        var env = new RecordVideo(EnvRegistry.Default.Make("Pendulum-v1"), dir.Path, episodeTrigger: _ => true, frameSeconds: 0.1);
        var obs = new float[3];
        env.Reset(obs, seed: 1);
        for (var i = 0; i < 5; i++) env.Step([1f], obs);
        env.Reset(obs, seed: 2); // Pendulum never terminates: the reset ends episode 0
        for (var i = 0; i < 3; i++) env.Step([-1f], obs);
        env.Dispose();

        var first = GifFile.Read(dir.Combine("rl-video-episode-0.gif"));
        first.Frames.Should().HaveCount(6);
        first.DelaysMs.Should().AllBeEquivalentTo(100);
        first.Width.Should().Be(500);
        GifFile.Read(dir.Combine("rl-video-episode-1.gif")).Frames.Should().HaveCount(4);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(8, true)]
    [InlineData(27, true)]
    [InlineData(28, false)]
    [InlineData(729, true)]
    [InlineData(1000, true)]
    [InlineData(1331, false)]
    [InlineData(2000, true)]
    public void The_default_trigger_is_Gymnasiums_capped_cubic_schedule(int episode, bool recorded) =>
        RecordVideo.CappedCubicSchedule(episode).Should().Be(recorded);

    private static double BrownCentroidX(GifFile gif, int frame) => Centroid(gif, frame, (202, 152, 101));

    private static double CartCentreX(GifFile gif, int frame) => Centroid(gif, frame, (0, 0, 0), rowsFromBottom: (86, 99));

    private static double Centroid(GifFile gif, int frame, (int R, int G, int B) colour, (int Low, int High)? rowsFromBottom = null)
    {
        double sum = 0;
        var n = 0;
        for (var y = 0; y < gif.Height; y++)
        {
            var fromBottom = gif.Height - 1 - y;
            if (rowsFromBottom is { } rows && (fromBottom < rows.Low || fromBottom > rows.High)) continue;
            for (var x = 0; x < gif.Width; x++)
            {
                var (r, g, b) = gif.Pixel(frame, x, y);
                if (r == colour.R && g == colour.G && b == colour.B) { sum += x; n++; }
            }
        }
        n.Should().BeGreaterThan(0);
        return sum / n;
    }
}
