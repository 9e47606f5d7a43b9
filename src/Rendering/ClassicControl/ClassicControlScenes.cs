using RlExperiments.Environments.ClassicControl;
using SkiaSharp;

namespace RlExperiments.Rendering.ClassicControl;

/// <summary>
/// The five classic-control pictures, drawn as Gymnasium 1.x's pygame renderers draw them (<c>gymnasium/envs/classic_control</c>:
/// the same screen sizes, colours, geometry and draw order), from the environment's public <c>State</c>.
/// </summary>
internal static class ClassicControlScenes
{
    private static readonly SKColor Black = new(0, 0, 0);
    private static readonly SKColor PoleBrown = new(202, 152, 101);
    private static readonly SKColor AxleBlue = new(129, 132, 203);
    private static readonly SKColor LinkCyan = new(0, 204, 204);
    private static readonly SKColor JointYellow = new(204, 204, 0);
    private static readonly SKColor WheelGrey = new(128, 128, 128);
    private static readonly SKColor RodRed = new(204, 77, 77);

    /// <summary>CartPole: 600×400; a black 50×30 cart whose top is 100 px above the bottom, a brown pole 10 px wide, a blue axle, the track line.</summary>
    public static RgbFrame CartPole(CartPole env)
    {
        const int width = 600, height = 400;
        var s = env.State;
        var scale = width / (Environments.ClassicControl.CartPole.XThreshold * 2);
        const double poleWidth = 10.0, cartWidth = 50.0, cartHeight = 30.0;
        var poleLength = scale * (2 * Environments.ClassicControl.CartPole.Length);
        using var canvas = new Canvas(width, height);

        const double axleOffset = cartHeight / 4.0;
        var cartX = s[0] * scale + width / 2.0; // the middle of the cart
        const double cartY = 100; // the top of the cart
        double l = -cartWidth / 2, r = cartWidth / 2, t = cartHeight / 2, b = -cartHeight / 2;
        canvas.Polygon([(l + cartX, b + cartY), (l + cartX, t + cartY), (r + cartX, t + cartY), (r + cartX, b + cartY)], Black);

        (l, r, t, b) = (-poleWidth / 2, poleWidth / 2, poleLength - poleWidth / 2, -poleWidth / 2);
        Span<(double X, double Y)> pole = [(l, b), (l, t), (r, t), (r, b)];
        for (var i = 0; i < pole.Length; i++)
        {
            var (x, y) = Rotate(pole[i], -s[2]);
            pole[i] = (x + cartX, y + cartY + axleOffset);
        }
        canvas.Polygon(pole, PoleBrown);
        canvas.Circle((int)cartX, (int)(cartY + axleOffset), (int)(poleWidth / 2), AxleBlue);
        canvas.HLine(0, width, (int)cartY, Black);
        return canvas.ToFrame();
    }

    /// <summary>Acrobot: 500×500; two cyan links 0.2 wide with yellow joints, hanging from the centre, and the goal line one link above it.</summary>
    public static RgbFrame Acrobot(Acrobot env)
    {
        const int dim = 500;
        var s = env.State;
        const double l1 = Environments.ClassicControl.Acrobot.LinkLength1, l2 = Environments.ClassicControl.Acrobot.LinkLength2;
        const double bound = l1 + l2 + 0.2;
        const double scale = dim / (bound * 2);
        const double offset = dim / 2.0;
        using var canvas = new Canvas(dim, dim);

        // Gymnasium: p1 = [-l1 cos θ1, l1 sin θ1] · scale, then the columns are swapped.
        (double X, double Y) p1 = (l1 * Math.Sin(s[0]) * scale, -l1 * Math.Cos(s[0]) * scale);
        ReadOnlySpan<(double X, double Y)> joints = [(0, 0), p1];
        ReadOnlySpan<double> thetas = [s[0] - Math.PI / 2, s[0] + s[1] - Math.PI / 2];
        ReadOnlySpan<double> lengths = [l1 * scale, l2 * scale];

        canvas.Line(-2.2 * scale + offset, 1 * scale + offset, 2.2 * scale + offset, 1 * scale + offset, Black);
        Span<(double X, double Y)> link = stackalloc (double, double)[4];
        for (var j = 0; j < 2; j++)
        {
            var x = joints[j].X + offset;
            var y = joints[j].Y + offset;
            double l = 0, r = lengths[j], t = 0.1 * scale, b = -0.1 * scale;
            link[0] = (l, b); link[1] = (l, t); link[2] = (r, t); link[3] = (r, b);
            for (var i = 0; i < 4; i++)
            {
                var (rx, ry) = Rotate(link[i], thetas[j]);
                link[i] = (rx + x, ry + y);
            }
            canvas.Polygon(link, LinkCyan);
            canvas.Circle((int)x, (int)y, (int)(0.1 * scale), JointYellow);
        }
        return canvas.ToFrame();
    }

    /// <summary>MountainCar: 600×400; the hill sin(3x)·0.45 + 0.55, a black 40×20 car tilted with the slope on grey wheels, the yellow goal flag.</summary>
    public static RgbFrame MountainCar(MountainCar env) =>
        Hill(env.State[0], Environments.ClassicControl.MountainCar.MinPosition, Environments.ClassicControl.MountainCar.MaxPosition,
            Environments.ClassicControl.MountainCar.GoalPosition);

    /// <summary>MountainCarContinuous: MountainCar's picture with the flag at 0.45.</summary>
    public static RgbFrame MountainCarContinuous(MountainCarContinuous env) =>
        Hill(env.State[0], Environments.ClassicControl.MountainCarContinuous.MinPosition,
            Environments.ClassicControl.MountainCarContinuous.MaxPosition, Environments.ClassicControl.MountainCarContinuous.GoalPosition);

    /// <summary>Pendulum: 500×500; a red rod of length 1 and width 0.2 from the centre, round ends, the torque arrow of the last action, a black axle.</summary>
    public static RgbFrame Pendulum(Pendulum env)
    {
        const int dim = 500;
        var s = env.State;
        const double bound = 2.2;
        const double scale = dim / (bound * 2);
        const int offset = dim / 2;
        const double rodLength = 1 * scale, rodWidth = 0.2 * scale;
        using var canvas = new Canvas(dim, dim);

        double l = 0, r = rodLength, t = rodWidth / 2, b = -rodWidth / 2;
        Span<(double X, double Y)> rod = [(l, b), (l, t), (r, t), (r, b)];
        for (var i = 0; i < rod.Length; i++)
        {
            var (x, y) = Rotate(rod[i], s[0] + Math.PI / 2);
            rod[i] = (x + offset, y + offset);
        }
        canvas.Polygon(rod, RodRed);
        canvas.Circle(offset, offset, (int)(rodWidth / 2), RodRed);
        var (ex, ey) = Rotate((rodLength, 0), s[0] + Math.PI / 2);
        canvas.Circle((int)(ex + offset), (int)(ey + offset), (int)(rodWidth / 2), RodRed);

        // Gymnasium blits clockwise.png scaled to scale·|u|/2, mirrored for u > 0 (a counter-clockwise push).
        if (env.LastTorque is { } u)
            canvas.CircularArrow(offset, offset, scale * Math.Abs(u) / 2, clockwise: u <= 0, Black);

        canvas.Circle(offset, offset, (int)(0.05 * scale), Black);
        return canvas.ToFrame();
    }

    private static RgbFrame Hill(double position, double minPosition, double maxPosition, double goalPosition)
    {
        const int width = 600, height = 400;
        var scale = width / (maxPosition - minPosition);
        const double carWidth = 40, carHeight = 20, clearance = 10;
        using var canvas = new Canvas(width, height);

        Span<(double X, double Y)> hill = stackalloc (double, double)[100];
        for (var i = 0; i < hill.Length; i++)
        {
            var x = minPosition + (maxPosition - minPosition) * i / (hill.Length - 1); // np.linspace(min, max, 100)
            hill[i] = ((x - minPosition) * scale, HillHeight(x) * scale);
        }
        canvas.Polyline(hill, Black);

        var tilt = Math.Cos(3 * position);
        var carX = (position - minPosition) * scale;
        var carY = clearance + HillHeight(position) * scale;
        double l = -carWidth / 2, r = carWidth / 2, t = carHeight, b = 0;
        Span<(double X, double Y)> car = [(l, b), (l, t), (r, t), (r, b)];
        for (var i = 0; i < car.Length; i++)
        {
            var (x, y) = Rotate(car[i], tilt);
            car[i] = (x + carX, y + carY);
        }
        canvas.Polygon(car, Black);
        foreach (var wheel in (ReadOnlySpan<(double, double)>)[(carWidth / 4, 0), (-carWidth / 4, 0)])
        {
            var (x, y) = Rotate(wheel, tilt);
            canvas.Circle((int)(x + carX), (int)(y + carY), (int)(carHeight / 2.5), WheelGrey);
        }

        var flagX = (int)((goalPosition - minPosition) * scale);
        var flagY1 = (int)(HillHeight(goalPosition) * scale);
        var flagY2 = flagY1 + 50;
        canvas.VLine(flagX, flagY1, flagY2, Black);
        canvas.Polygon([(flagX, flagY2), (flagX, flagY2 - 10), (flagX + 25, flagY2 - 5)], JointYellow);
        return canvas.ToFrame();
    }

    /// <summary>The hill's height at <paramref name="x"/> (Gymnasium's <c>_height</c>).</summary>
    private static double HillHeight(double x) => Math.Sin(3 * x) * 0.45 + 0.55;

    /// <summary>pygame's <c>Vector2.rotate_rad</c>: counter-clockwise by <paramref name="angle"/> radians (y up).</summary>
    private static (double X, double Y) Rotate((double X, double Y) p, double angle)
    {
        var (sin, cos) = Math.SinCos(angle);
        return (p.X * cos - p.Y * sin, p.X * sin + p.Y * cos);
    }
}
