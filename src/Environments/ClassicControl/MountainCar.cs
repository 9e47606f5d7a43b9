using RlExperiments.Core;
using RlExperiments.Environments.Spaces;

namespace RlExperiments.Environments.ClassicControl;

/// <summary>
/// The mountain car with discrete actions (Gymnasium 1.1 <c>MountainCarEnv</c>; id "MountainCar-v0"):
/// accelerate left (0), not at all (1) or right (2) to rock the car up the right hill.
/// </summary>
/// <remarks>
/// <para>State and observation <c>[position, velocity]</c>, observation space
/// <c>Box([-1.2, -0.07], [0.6, 0.07])</c>. Per step: <c>velocity += (action - 1) * 0.001 + cos(3 * position) * (-0.0025)</c>,
/// clipped to ±0.07; <c>position += velocity</c>, clipped to [-1.2, 0.6]; hitting the left wall while moving
/// left zeroes the velocity. Reward -1 per step; terminates when <c>position &gt;= 0.5</c> and
/// <c>velocity &gt;= goal_velocity</c> (default 0). Starts at position uniform in [-0.6, -0.4), velocity 0.
/// Time limit 200.</para>
/// </remarks>
public sealed class MountainCar : ClassicControlEnv
{
    /// <summary>Left end of the track.</summary>
    public const double MinPosition = -1.2;
    /// <summary>Right end of the track.</summary>
    public const double MaxPosition = 0.6;
    /// <summary>Speed limit.</summary>
    public const double MaxSpeed = 0.07;
    /// <summary>Position of the flag.</summary>
    public const double GoalPosition = 0.5;
    /// <summary>Acceleration per unit of action.</summary>
    public const double Force = 0.001;
    /// <summary>Gravity term.</summary>
    public const double GravityTerm = 0.0025;

    private static readonly Box ObsSpace = new([(float)MinPosition, (float)-MaxSpeed], [(float)MaxPosition, (float)MaxSpeed]);
    private static readonly Discrete ActSpace = new(3);

    private double _position, _velocity;

    /// <summary>Creates the environment.</summary>
    /// <param name="goalVelocity">Gymnasium's <c>goal_velocity</c>: the minimum velocity at the flag for termination.</param>
    public MountainCar(double goalVelocity = 0.0) : base(ObsSpace, ActSpace)
    {
        GoalVelocity = goalVelocity;
    }

    /// <summary>The minimum velocity at the flag for termination.</summary>
    public double GoalVelocity { get; }

    /// <inheritdoc />
    public override int StateSize => 2;

    /// <inheritdoc />
    protected override void ResetState(Rng rng, IReadOnlyDictionary<string, object?>? options)
    {
        var (low, high) = ResetOptions.Bounds(options, -0.6, -0.4, this);
        _position = rng.Uniform(low, high);
        _velocity = 0.0;
    }

    /// <inheritdoc />
    protected override StepResult StepCore(int action, Span<float> observation)
    {
        if ((uint)action > 2u)
            throw InvalidAction(action);
        var position = _position;
        var velocity = _velocity;
        velocity += (action - 1) * Force + Math.Cos(3 * position) * -GravityTerm;
        velocity = Math.Clamp(velocity, -MaxSpeed, MaxSpeed);
        position += velocity;
        position = Math.Clamp(position, MinPosition, MaxPosition);
        if (position == MinPosition && velocity < 0)
            velocity = 0;

        _position = position;
        _velocity = velocity;
        WriteObservation(observation);
        return new StepResult(-1.0, position >= GoalPosition && velocity >= GoalVelocity, false);
    }

    /// <inheritdoc />
    protected override void WriteObservation(Span<float> observation)
    {
        observation[1] = (float)_velocity;
        observation[0] = (float)_position;
    }

    /// <inheritdoc />
    protected override void GetState(Span<double> destination)
    {
        destination[0] = _position;
        destination[1] = _velocity;
    }

    /// <inheritdoc />
    protected override void SetState(ReadOnlySpan<double> source)
    {
        _position = source[0];
        _velocity = source[1];
    }
}
