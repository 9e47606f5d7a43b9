using RlExperiments.Core;
using RlExperiments.Environments.Spaces;

namespace RlExperiments.Environments.ClassicControl;

/// <summary>
/// The cart-pole balancing task (Gymnasium 1.1 <c>CartPoleEnv</c>; ids "CartPole-v0"/"CartPole-v1"):
/// push the cart left (0) or right (1) with force 10 to keep the pole upright.
/// </summary>
/// <remarks>
/// <para>State <c>[x, x_dot, theta, theta_dot]</c> in float64; the observation is the state as float32,
/// bounded by <c>Box([-4.8, -inf, -0.41887903, -inf], [4.8, inf, 0.41887903, inf])</c>. Explicit Euler
/// integration with tau = 0.02 s, gravity 9.8, cart mass 1.0, pole mass 0.1, half-length 0.5.</para>
/// <para>Reward +1 for every step, including the terminating one (with <c>sutton_barto_reward</c>: 0, and
/// -1 on the terminating step). Terminates when |x| &gt; 2.4 or |theta| &gt; 12° (0.2094 rad); the time limit
/// (200 for v0, 500 for v1) is the registry's <see cref="Wrappers.TimeLimit"/>. Every state variable starts
/// uniform in [-0.05, 0.05) (reset options "low"/"high" change the bounds).</para>
/// </remarks>
public sealed class CartPole : ClassicControlEnv
{
    /// <summary>Gravity, m/s².</summary>
    public const double Gravity = 9.8;
    /// <summary>Cart mass, kg.</summary>
    public const double MassCart = 1.0;
    /// <summary>Pole mass, kg.</summary>
    public const double MassPole = 0.1;
    /// <summary>Cart plus pole mass.</summary>
    public const double TotalMass = MassPole + MassCart;
    /// <summary>Half the pole's length, m.</summary>
    public const double Length = 0.5;
    /// <summary>Pole mass times half-length.</summary>
    public const double PoleMassLength = MassPole * Length;
    /// <summary>The magnitude of the push, N.</summary>
    public const double ForceMag = 10.0;
    /// <summary>Seconds between state updates.</summary>
    public const double Tau = 0.02;
    /// <summary>The cart position beyond which the episode terminates.</summary>
    public const double XThreshold = 2.4;
    /// <summary>The pole angle beyond which the episode terminates: 12 degrees in radians.</summary>
    public static readonly double ThetaThresholdRadians = 12 * 2 * Math.PI / 360;

    private static readonly Box ObsSpace = new(
        [(float)(-XThreshold * 2), float.NegativeInfinity, (float)(-ThetaThresholdRadians * 2), float.NegativeInfinity],
        [(float)(XThreshold * 2), float.PositiveInfinity, (float)(ThetaThresholdRadians * 2), float.PositiveInfinity]);
    private static readonly Discrete ActSpace = new(2);

    private readonly double _thetaThreshold = ThetaThresholdRadians;
    private double _x, _xDot, _theta, _thetaDot;

    /// <summary>Creates the environment.</summary>
    /// <param name="suttonBartoReward">Gymnasium's <c>sutton_barto_reward</c>: 0 per step and -1 on termination instead of +1 per step.</param>
    public CartPole(bool suttonBartoReward = false) : base(ObsSpace, ActSpace)
    {
        SuttonBartoReward = suttonBartoReward;
    }

    /// <summary>Whether the Sutton-Barto reward (0 per step, -1 on termination) is used.</summary>
    public bool SuttonBartoReward { get; }

    /// <inheritdoc />
    public override int StateSize => 4;

    /// <inheritdoc />
    protected override void ResetState(Rng rng, IReadOnlyDictionary<string, object?>? options)
    {
        var (low, high) = ResetOptions.Bounds(options, -0.05, 0.05, this);
        _x = rng.Uniform(low, high);
        _xDot = rng.Uniform(low, high);
        _theta = rng.Uniform(low, high);
        _thetaDot = rng.Uniform(low, high);
    }

    /// <inheritdoc />
    protected override StepResult StepCore(int action, Span<float> observation)
    {
        if ((uint)action > 1u)
            throw InvalidAction(action);
        var force = action == 1 ? ForceMag : -ForceMag;
        var (sinTheta, cosTheta) = Math.SinCos(_theta);

        var temp = (force + PoleMassLength * (_thetaDot * _thetaDot) * sinTheta) / TotalMass;
        var thetaAcc = (Gravity * sinTheta - cosTheta * temp)
            / (Length * (4.0 / 3.0 - MassPole * (cosTheta * cosTheta) / TotalMass));
        var xAcc = temp - PoleMassLength * thetaAcc * cosTheta / TotalMass;

        // Explicit Euler, Gymnasium's default kinematics_integrator = "euler".
        _x += Tau * _xDot;
        _xDot += Tau * xAcc;
        _theta += Tau * _thetaDot;
        _thetaDot += Tau * thetaAcc;

        var terminated = _x < -XThreshold || _x > XThreshold || _theta < -_thetaThreshold || _theta > _thetaThreshold;
        var reward = SuttonBartoReward ? (terminated ? -1.0 : 0.0) : 1.0;
        WriteObservation(observation);
        return new StepResult(reward, terminated, false);
    }

    /// <inheritdoc />
    protected override void WriteObservation(Span<float> observation)
    {
        observation[3] = (float)_thetaDot;
        observation[0] = (float)_x;
        observation[1] = (float)_xDot;
        observation[2] = (float)_theta;
    }

    /// <inheritdoc />
    protected override void GetState(Span<double> destination)
    {
        destination[0] = _x;
        destination[1] = _xDot;
        destination[2] = _theta;
        destination[3] = _thetaDot;
    }

    /// <inheritdoc />
    protected override void SetState(ReadOnlySpan<double> source)
    {
        _x = source[0];
        _xDot = source[1];
        _theta = source[2];
        _thetaDot = source[3];
    }
}
