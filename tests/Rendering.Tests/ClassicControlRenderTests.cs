using RlExperiments.Environments;
using RlExperiments.Environments.ClassicControl;

namespace RlExperiments.Rendering.Tests;

/// <summary>
/// The five classic-control pictures have Gymnasium's sizes, colours and geometry: known pixels of known states, checked
/// against the coordinates Gymnasium's pygame renderers compute (y measured from the bottom, so image row = H - 1 - y).
/// </summary>
public sealed class ClassicControlRenderTests
{
    private static readonly (byte, byte, byte) White = (255, 255, 255);
    private static readonly (byte, byte, byte) Black = (0, 0, 0);
    private static readonly (byte, byte, byte) PoleBrown = (202, 152, 101);
    private static readonly (byte, byte, byte) AxleBlue = (129, 132, 203);

    [Theory]
    [InlineData("CartPole-v1", 600, 400, 50)]
    [InlineData("Acrobot-v1", 500, 500, 15)]
    [InlineData("MountainCar-v0", 600, 400, 30)]
    [InlineData("MountainCarContinuous-v0", 600, 400, 30)]
    [InlineData("Pendulum-v1", 500, 500, 30)]
    public void Every_classic_control_environment_renders_at_Gymnasium_size_through_its_wrappers(string id, int width, int height, double fps)
    {
        using var env = EnvRegistry.Default.Make(id); // TimeLimit-wrapped: Render draws the innermost environment
        env.Reset(new float[env.ObservationSize], seed: 0);
        EnvRendering.CanRender(env).Should().BeTrue();
        EnvRendering.FramesPerSecond(env).Should().Be(fps);
        var frame = env.Render();
        frame.Width.Should().Be(width);
        frame.Height.Should().Be(height);
        frame.Pixels.Should().HaveCount(width * height * 3);
        frame[0, 0].Should().Be(White, "the background is white");
        Distinct(frame).Should().BeGreaterThan(2, "the scene draws shapes on the background");
    }

    [Fact]
    public void CartPole_upright_draws_cart_pole_axle_and_track_where_Gymnasium_does()
    {
        var env = CartPoleAt(0, 0);
        var frame = env.Render();
        // Cart: 50×30 centred on x = 300, top at y = 100 (rows 284..314); track: row y = 100.
        frame[300, Row(400, 90)].Should().Be(Black, "inside the cart");
        frame[280, Row(400, 100)].Should().Be(Black, "the track line crosses the cart");
        frame[10, Row(400, 100)].Should().Be(Black, "the track line spans the width");
        frame[10, Row(400, 104)].Should().Be(White);
        frame[320, Row(400, 120)].Should().Be(White, "right of the pole");
        // Pole: 10 px wide from the axle (y = 107.5) to 120 px above it; axle: a circle of radius 5 at (300, 107).
        frame[300, Row(400, 180)].Should().Be(PoleBrown);
        frame[300, Row(400, 230)].Should().Be(White, "above the pole's top (227.5)");
        frame[300, Row(400, 107)].Should().Be(AxleBlue);
        // Cart x = 1: 125 px per metre to the right.
        var moved = CartPoleAt(1, 0).Render();
        moved[425, Row(400, 180)].Should().Be(PoleBrown);
        moved[300, Row(400, 180)].Should().Be(White);
    }

    [Fact]
    public void CartPole_pole_leans_right_for_positive_theta()
    {
        // theta = 0.2: rotate_rad(-theta) leans the top right by about sin(0.2) × 110 ≈ 22 px at y = 217.
        var frame = CartPoleAt(0, 0.2).Render();
        frame[300 + (int)(Math.Sin(0.2) * 110), Row(400, 107 + (int)(Math.Cos(0.2) * 110))].Should().Be(PoleBrown);
        frame[300, Row(400, 217)].Should().Be(White);
        var left = CartPoleAt(0, -0.2).Render();
        left[300 - (int)(Math.Sin(0.2) * 110), Row(400, 107 + (int)(Math.Cos(0.2) * 110))].Should().Be(PoleBrown);
    }

    [Fact]
    public void Pendulum_rod_points_up_at_theta_zero_and_shows_the_torque_arrow()
    {
        var env = new Pendulum();
        env.Reset(new float[3], seed: 0);
        env.State = [0, 0];
        var up = env.Render();
        up[250, Row(500, 250 + 80)].Should().Be(((byte)204, (byte)77, (byte)77), "the red rod points up at theta = 0");
        up[250, Row(500, 250 - 80)].Should().Be(White);
        up[250, Row(500, 250)].Should().Be(Black, "the axle");
        env.State = [Math.PI, 0];
        var down = env.Render();
        down[250, Row(500, 250 - 80)].Should().Be(((byte)204, (byte)77, (byte)77));

        // A torque draws a black arrow around the axle, sized by |u|; without one there is none.
        CountNear(up, 0, 0, 0).Should().BeLessThan(120, "only the axle is black before any action");
        var obs = new float[3];
        env.Step([2f], obs);
        CountNear(env.Render(), 0, 0, 0).Should().BeGreaterThan(500, "a full torque draws a large arrow");
    }

    [Fact]
    public void Acrobot_hangs_down_from_the_centre_under_the_goal_line()
    {
        var env = new Acrobot();
        env.Reset(new float[6], seed: 0);
        env.State = [0, 0, 0, 0];
        var frame = env.Render();
        const double scale = 500 / 4.4;
        frame[250, Row(500, (int)(250 - 0.5 * scale))].Should().Be(((byte)0, (byte)204, (byte)204), "the first link hangs down");
        frame[250, Row(500, (int)(250 - 1.5 * scale))].Should().Be(((byte)0, (byte)204, (byte)204), "the second link below it");
        frame[250, Row(500, (int)(250 + 0.5 * scale))].Should().Be(White, "nothing above the pivot");
        frame[250, Row(500, 250)].Should().Be(((byte)204, (byte)204, (byte)0), "the yellow pivot joint");
        // The goal line at y = 250 + scale, one pixel wide (anti-aliased over at most two rows).
        var lineY = (int)(250 + scale);
        Math.Min(frame[40, Row(500, lineY)].R, frame[40, Row(500, lineY + 1)].R).Should().BeLessThan(128);
    }

    [Theory]
    [InlineData(false, 0.5)]
    [InlineData(true, 0.45)]
    public void MountainCar_draws_the_car_on_the_hill_and_the_flag_at_the_goal(bool continuous, double goal)
    {
        Env env = continuous ? new MountainCarContinuous() : new MountainCar();
        env.Reset(new float[2], seed: 0);
        ((ClassicControlEnv)env).State = [-0.5, 0];
        var frame = env.Render();
        var scale = 600 / (0.6 - -1.2); // as Gymnasium computes it (550 px to the 0.45 flag, not 549)
        static double H(double x) => Math.Sin(3 * x) * 0.45 + 0.55;
        // The car's centre: x = (pos - min)·scale, 10 px clearance plus half its height above the hill.
        frame[(int)(0.7 * scale), Row(400, (int)(10 + H(-0.5) * scale + 10))].Should().Be(Black);
        // The flag: a yellow triangle at the goal, 40..50 px above the hill.
        var flagX = (int)((goal - -1.2) * scale);
        var flagY2 = (int)(H(goal) * scale) + 50;
        frame[flagX + 5, Row(400, flagY2 - 5)].Should().Be(((byte)204, (byte)204, (byte)0));
        frame[flagX, Row(400, flagY2 - 25)].Should().Be(Black, "the flag pole");
    }

    [Fact]
    public void An_environment_without_a_renderer_is_refused_with_how_to_register_one()
    {
        using var env = new NoPicture();
        EnvRendering.CanRender(env).Should().BeFalse();
        var act = () => env.Render();
        act.Should().Throw<NotSupportedException>().WithMessage("*no renderer is registered for NoPicture*EnvRendering.Register<NoPicture>*");
        var record = () => new RecordVideo(new NoPicture(), Path.GetTempPath());
        record.Should().Throw<NotSupportedException>();
    }

    [Fact]
    public void A_registered_renderer_draws_a_custom_environment()
    {
        EnvRendering.Register<Painted>(env => new RgbFrame(2, 1, [env.Shade, 0, 0, 0, 0, env.Shade]), framesPerSecond: 4);
        using var env = new Painted { Shade = 77 };
        var frame = env.Render();
        frame[0, 0].Should().Be(((byte)77, (byte)0, (byte)0));
        frame[1, 0].Should().Be(((byte)0, (byte)0, (byte)77));
        EnvRendering.FramesPerSecond(env).Should().Be(4);
    }

    internal static CartPole CartPoleAt(double x, double theta)
    {
        var env = new CartPole();
        env.Reset(new float[4], seed: 0);
        env.State = [x, 0, theta, 0];
        return env;
    }

    /// <summary>The image row of Gymnasium's y (measured up from the bottom).</summary>
    internal static int Row(int height, int y) => height - 1 - y;

    private static int Distinct(RgbFrame frame)
    {
        var set = new HashSet<int>();
        for (var i = 0; i < frame.Pixels.Length; i += 3)
            set.Add((frame.Pixels[i] << 16) | (frame.Pixels[i + 1] << 8) | frame.Pixels[i + 2]);
        return set.Count;
    }

    private static int CountNear(RgbFrame frame, int r, int g, int b)
    {
        var n = 0;
        for (var i = 0; i < frame.Pixels.Length; i += 3)
            if (Math.Abs(frame.Pixels[i] - r) < 40 && Math.Abs(frame.Pixels[i + 1] - g) < 40 && Math.Abs(frame.Pixels[i + 2] - b) < 40)
                n++;
        return n;
    }

    private class NoPicture : ClassicControlEnv
    {
        public NoPicture() : base(new Environments.Spaces.Box([0f], [1f]), new Environments.Spaces.Discrete(2)) { }
        public override int StateSize => 1;
        protected override void ResetState(Core.Rng rng, IReadOnlyDictionary<string, object?>? options) { }
        protected override void WriteObservation(Span<float> observation) => observation[0] = 0;
        protected override void GetState(Span<double> destination) => destination[0] = 0;
        protected override void SetState(ReadOnlySpan<double> source) { }
        protected override StepResult StepCore(int action, Span<float> observation) => new(0, true, false);
    }

    private sealed class Painted : NoPicture
    {
        public byte Shade { get; init; }
    }
}
