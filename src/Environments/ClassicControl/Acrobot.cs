using RlExperiments.Core;
using RlExperiments.Environments.Spaces;

namespace RlExperiments.Environments.ClassicControl;

/// <summary>
/// The two-link acrobot swing-up (Gymnasium 1.1 <c>AcrobotEnv</c>; id "Acrobot-v1"): apply torque -1, 0
/// or +1 (actions 0, 1, 2) at the joint between the links to swing the tip above the bar.
/// </summary>
/// <remarks>
/// <para>State <c>[theta1, theta2, dtheta1, dtheta2]</c> (theta2 relative to link 1). The initial state is
/// uniform in [-0.1, 0.1) per variable and, as in Gymnasium, rounded to float32; later states are float64.
/// Each step integrates the book dynamics (Sutton and Barto, not the NIPS paper's) with one classical
/// RK4 step over dt = 0.2, then wraps both angles into [-pi, pi] and clips the velocities to ±4π and ±9π.
/// No torque noise (Gymnasium's <c>torque_noise_max = 0</c>).</para>
/// <para>Observation <c>[cos θ1, sin θ1, cos θ2, sin θ2, dθ1, dθ2]</c> (float32). Reward -1 per step and 0
/// on the terminating step; terminates when <c>-cos θ1 - cos(θ2 + θ1) &gt; 1</c>. Time limit 500.</para>
/// </remarks>
public sealed class Acrobot : ClassicControlEnv
{
    /// <summary>Integration time step, s.</summary>
    public const double Dt = 0.2;
    /// <summary>Length of link 1, m.</summary>
    public const double LinkLength1 = 1.0;
    /// <summary>Length of link 2, m.</summary>
    public const double LinkLength2 = 1.0;
    /// <summary>Mass of link 1, kg.</summary>
    public const double LinkMass1 = 1.0;
    /// <summary>Mass of link 2, kg.</summary>
    public const double LinkMass2 = 1.0;
    /// <summary>Position of the centre of mass of link 1, m.</summary>
    public const double LinkComPos1 = 0.5;
    /// <summary>Position of the centre of mass of link 2, m.</summary>
    public const double LinkComPos2 = 0.5;
    /// <summary>Moment of inertia of both links.</summary>
    public const double LinkMoi = 1.0;
    /// <summary>Velocity bound of joint 1: 4π rad/s.</summary>
    public const double MaxVel1 = 4 * Math.PI;
    /// <summary>Velocity bound of joint 2: 9π rad/s.</summary>
    public const double MaxVel2 = 9 * Math.PI;
    /// <summary>Gravity used by the dynamics, m/s².</summary>
    public const double Gravity = 9.8;

    private static readonly Box ObsSpace = new(
        [-1f, -1f, -1f, -1f, (float)-MaxVel1, (float)-MaxVel2],
        [1f, 1f, 1f, 1f, (float)MaxVel1, (float)MaxVel2]);
    private static readonly Discrete ActSpace = new(3);

    private double _theta1, _theta2, _dTheta1, _dTheta2;

    /// <summary>Creates the environment.</summary>
    public Acrobot() : base(ObsSpace, ActSpace) { }

    /// <summary>The torque of each action: -1, 0, +1.</summary>
    public static ReadOnlySpan<double> AvailableTorque => [-1.0, 0.0, 1.0];

    /// <inheritdoc />
    public override int StateSize => 4;

    /// <inheritdoc />
    protected override void ResetState(Rng rng, IReadOnlyDictionary<string, object?>? options)
    {
        var (low, high) = ResetOptions.Bounds(options, -0.1, 0.1, this);
        // Gymnasium casts the initial state to float32 (.astype(np.float32)).
        _theta1 = (float)rng.Uniform(low, high);
        _theta2 = (float)rng.Uniform(low, high);
        _dTheta1 = (float)rng.Uniform(low, high);
        _dTheta2 = (float)rng.Uniform(low, high);
    }

    /// <inheritdoc />
    protected override StepResult StepCore(int action, Span<float> observation)
    {
        if ((uint)action > 2u)
            throw InvalidAction(action);
        var torque = AvailableTorque[action];

        // One RK4 step over [0, dt] of (theta1, theta2, dtheta1, dtheta2); the torque is held constant.
        double s0 = _theta1, s1 = _theta2, s2 = _dTheta1, s3 = _dTheta2;
        const double dt = Dt - 0.0;
        const double dt2 = dt / 2.0;
        Derivatives(s0, s1, s2, s3, torque, out var k1a, out var k1b, out var k1c, out var k1d);
        Derivatives(s0 + dt2 * k1a, s1 + dt2 * k1b, s2 + dt2 * k1c, s3 + dt2 * k1d, torque,
            out var k2a, out var k2b, out var k2c, out var k2d);
        Derivatives(s0 + dt2 * k2a, s1 + dt2 * k2b, s2 + dt2 * k2c, s3 + dt2 * k2d, torque,
            out var k3a, out var k3b, out var k3c, out var k3d);
        Derivatives(s0 + dt * k3a, s1 + dt * k3b, s2 + dt * k3c, s3 + dt * k3d, torque,
            out var k4a, out var k4b, out var k4c, out var k4d);
        const double w = dt / 6.0;
        var n0 = s0 + w * (k1a + 2 * k2a + 2 * k3a + k4a);
        var n1 = s1 + w * (k1b + 2 * k2b + 2 * k3b + k4b);
        var n2 = s2 + w * (k1c + 2 * k2c + 2 * k3c + k4c);
        var n3 = s3 + w * (k1d + 2 * k2d + 2 * k3d + k4d);

        _theta1 = Wrap(n0, -Math.PI, Math.PI);
        _theta2 = Wrap(n1, -Math.PI, Math.PI);
        _dTheta1 = Bound(n2, -MaxVel1, MaxVel1);
        _dTheta2 = Bound(n3, -MaxVel2, MaxVel2);

        var terminated = -Math.Cos(_theta1) - Math.Cos(_theta2 + _theta1) > 1.0;
        WriteObservation(observation);
        return new StepResult(terminated ? 0.0 : -1.0, terminated, false);
    }

    /// <summary>
    /// The book dynamics (Gymnasium's <c>_dsdt</c>): the time derivative of the state under torque <paramref name="a"/>.
    /// </summary>
    public static void Derivatives(double theta1, double theta2, double dTheta1, double dTheta2, double a,
        out double dTheta1Dt, out double dTheta2Dt, out double ddTheta1, out double ddTheta2)
    {
        const double m1 = LinkMass1, m2 = LinkMass2, l1 = LinkLength1, lc1 = LinkComPos1, lc2 = LinkComPos2;
        const double i1 = LinkMoi, i2 = LinkMoi, g = Gravity;
        var (sin2, cos2) = Math.SinCos(theta2);
        var d1 = m1 * (lc1 * lc1) + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * cos2) + i1 + i2;
        var d2 = m2 * (lc2 * lc2 + l1 * lc2 * cos2) + i2;
        var phi2 = m2 * lc2 * g * Math.Cos(theta1 + theta2 - Math.PI / 2.0);
        var phi1 = -m2 * l1 * lc2 * (dTheta2 * dTheta2) * sin2
                   - 2 * m2 * l1 * lc2 * dTheta2 * dTheta1 * sin2
                   + (m1 * lc1 + m2 * l1) * g * Math.Cos(theta1 - Math.PI / 2)
                   + phi2;
        ddTheta2 = (a + d2 / d1 * phi1 - m2 * l1 * lc2 * (dTheta1 * dTheta1) * sin2 - phi2)
                   / (m2 * (lc2 * lc2) + i2 - d2 * d2 / d1);
        ddTheta1 = -(d2 * ddTheta2 + phi1) / d1;
        dTheta1Dt = dTheta1;
        dTheta2Dt = dTheta2;
    }

    /// <inheritdoc />
    protected override void WriteObservation(Span<float> observation)
    {
        observation[5] = (float)_dTheta2;
        var (sin1, cos1) = Math.SinCos(_theta1);
        var (sin2, cos2) = Math.SinCos(_theta2);
        observation[0] = (float)cos1;
        observation[1] = (float)sin1;
        observation[2] = (float)cos2;
        observation[3] = (float)sin2;
        observation[4] = (float)_dTheta1;
    }

    /// <inheritdoc />
    protected override void GetState(Span<double> destination)
    {
        destination[0] = _theta1;
        destination[1] = _theta2;
        destination[2] = _dTheta1;
        destination[3] = _dTheta2;
    }

    /// <inheritdoc />
    protected override void SetState(ReadOnlySpan<double> source)
    {
        _theta1 = source[0];
        _theta2 = source[1];
        _dTheta1 = source[2];
        _dTheta2 = source[3];
    }

    /// <summary>Gymnasium's <c>wrap</c>: shifts <paramref name="x"/> by whole periods into [m, M].</summary>
    public static double Wrap(double x, double m, double big)
    {
        var diff = big - m;
        while (x > big)
            x -= diff;
        while (x < m)
            x += diff;
        return x;
    }

    /// <summary>Gymnasium's <c>bound</c>: <c>min(max(x, m), M)</c>.</summary>
    public static double Bound(double x, double m, double big) => Math.Min(Math.Max(x, m), big);
}
