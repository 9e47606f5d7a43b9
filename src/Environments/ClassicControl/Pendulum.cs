using RlExperiments.Core;
using RlExperiments.Environments.Spaces;

namespace RlExperiments.Environments.ClassicControl;

/// <summary>
/// The inverted-pendulum swing-up (Gymnasium 1.1 <c>PendulumEnv</c>; id "Pendulum-v1"): apply a torque in
/// [-2, 2] to swing the pendulum upright and hold it there.
/// </summary>
/// <remarks>
/// <para>State <c>[theta, thetadot]</c> (theta = 0 upright); observation <c>[cos θ, sin θ, θ̇]</c> in
/// <c>Box([-1, -1, -8], [1, 1, 8])</c>. Per step: <c>u = clip(action[0], -2, 2)</c>;
/// cost <c>= angle_normalize(θ)² + 0.1 θ̇² + 0.001 u²</c> on the state before the step;
/// <c>θ̇' = clip(θ̇ + (3g/(2l) sin θ + 3/(m l²) u) dt, -8, 8)</c>, <c>θ' = θ + θ̇' dt</c> with dt = 0.05,
/// m = l = 1, g settable (default 10.0). Reward <c>-cost</c>; never terminates, the registry truncates at 200
/// steps; no reward threshold. Starts with θ uniform in [-π, π) and θ̇ in [-1, 1) (reset options
/// "x_init"/"y_init" set those half-widths).</para>
/// </remarks>
public sealed class Pendulum : ClassicControlEnv
{
    /// <summary>Angular speed limit, rad/s.</summary>
    public const double MaxSpeed = 8.0;
    /// <summary>Torque limit.</summary>
    public const double MaxTorque = 2.0;
    /// <summary>Time step, s.</summary>
    public const double Dt = 0.05;
    /// <summary>Pendulum mass.</summary>
    public const double Mass = 1.0;
    /// <summary>Pendulum length.</summary>
    public const double PoleLength = 1.0;
    /// <summary>Gymnasium's default gravity for Pendulum, m/s².</summary>
    public const double DefaultGravity = 10.0;

    private static readonly Box ObsSpace = new([-1f, -1f, (float)-MaxSpeed], [1f, 1f, (float)MaxSpeed]);
    private static readonly Box ActSpace = new((float)-MaxTorque, (float)MaxTorque, 1);

    private double _theta, _thetaDot;
    private double _g;

    /// <summary>Creates the environment.</summary>
    /// <param name="g">Gravity (Gymnasium's <c>g</c>, default 10.0); must be finite.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="g"/> is not finite.</exception>
    public Pendulum(double g = DefaultGravity) : base(ObsSpace, ActSpace)
    {
        if (!double.IsFinite(g))
            throw new ArgumentOutOfRangeException(nameof(g), g, "Pendulum gravity g must be finite.");
        _g = g;
    }

    /// <summary>Gravity used by the dynamics (Gymnasium's <c>g</c>); may be changed between steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a non-finite value.</exception>
    public double G
    {
        get => _g;
        set => _g = double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Pendulum gravity g must be finite.");
    }

    /// <summary>The torque applied at the last step (after clipping), or null after Reset (Gymnasium's <c>last_u</c>).</summary>
    public double? LastTorque { get; private set; }

    /// <inheritdoc />
    public override int StateSize => 2;

    /// <inheritdoc />
    protected override void ResetState(Rng rng, IReadOnlyDictionary<string, object?>? options)
    {
        double x = Math.PI, y = 1.0;
        if (options is not null)
        {
            ResetOptions.CheckKeys(options, Name, "x_init", "y_init");
            x = ResetOptions.Number(options, "x_init", Math.PI, Name);
            y = ResetOptions.Number(options, "y_init", 1.0, Name);
        }
        // Symmetric limits: uniform(low=-high, high=high) per variable.
        _theta = rng.Uniform(-x, x);
        _thetaDot = rng.Uniform(-y, y);
        LastTorque = null;
    }

    /// <inheritdoc />
    protected override StepResult StepCore(ReadOnlySpan<float> action, Span<float> observation)
    {
        CheckActionLength(action, 1);
        double th = _theta, thDot = _thetaDot;
        double u = Math.Clamp(action[0], (float)-MaxTorque, (float)MaxTorque);
        LastTorque = u;

        var an = AngleNormalize(th);
        var costs = an * an + 0.1 * (thDot * thDot) + 0.001 * (u * u);

        var newThDot = thDot + (3 * _g / (2 * PoleLength) * Math.Sin(th) + 3.0 / (Mass * (PoleLength * PoleLength)) * u) * Dt;
        newThDot = Math.Clamp(newThDot, -MaxSpeed, MaxSpeed);
        var newTh = th + newThDot * Dt;

        _theta = newTh;
        _thetaDot = newThDot;
        WriteObservation(observation);
        return new StepResult(-costs, false, false);
    }

    /// <summary>Gymnasium's <c>angle_normalize</c>: <c>((x + π) mod 2π) - π</c> with Python's floored modulo.</summary>
    public static double AngleNormalize(double x)
    {
        const double period = 2 * Math.PI;
        var r = (x + Math.PI) % period;
        if (r != 0 && r < 0)
            r += period;
        return r - Math.PI;
    }

    /// <inheritdoc />
    protected override void WriteObservation(Span<float> observation)
    {
        observation[2] = (float)_thetaDot;
        var (sin, cos) = Math.SinCos(_theta);
        observation[0] = (float)cos;
        observation[1] = (float)sin;
    }

    /// <inheritdoc />
    protected override void GetState(Span<double> destination)
    {
        destination[0] = _theta;
        destination[1] = _thetaDot;
    }

    /// <inheritdoc />
    protected override void SetState(ReadOnlySpan<double> source)
    {
        _theta = source[0];
        _thetaDot = source[1];
    }
}
