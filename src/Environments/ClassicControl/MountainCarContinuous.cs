using RlExperiments.Core;
using RlExperiments.Environments.Spaces;

namespace RlExperiments.Environments.ClassicControl;

/// <summary>
/// The mountain car with a continuous force (Gymnasium 1.1 <c>Continuous_MountainCarEnv</c>; id
/// "MountainCarContinuous-v0"): the action is a 1-vector in [-1, 1], multiplied by power 0.0015.
/// </summary>
/// <remarks>
/// <para>Per step: <c>force = clip(action[0], -1, 1)</c>; <c>velocity += force * 0.0015 - 0.0025 * cos(3 * position)</c>,
/// clipped to ±0.07; <c>position += velocity</c>, clipped to [-1.2, 0.6]; hitting the left wall while moving left
/// zeroes the velocity. Terminates when <c>position &gt;= 0.45</c> and <c>velocity &gt;= goal_velocity</c> (default 0).
/// Reward <c>-0.1 * action[0]²</c> of the unclipped action, plus 100 on the terminating step. Starts at position
/// uniform in [-0.6, -0.4), velocity 0. Time limit 999; reward threshold 90.</para>
/// <para>As in Gymnasium the state is stored as float32 after every step (the reset state is float64), so
/// <see cref="ClassicControlEnv.State"/> holds float32-representable values after a step. The step
/// arithmetic is float64 (NumPy 1 promotion); under NumPy 2 Gymnasium rounds some intermediates to float32,
/// a difference of at most about one float32 ulp per step.</para>
/// </remarks>
public sealed class MountainCarContinuous : ClassicControlEnv
{
    /// <summary>Smallest action.</summary>
    public const double MinAction = -1.0;
    /// <summary>Largest action.</summary>
    public const double MaxAction = 1.0;
    /// <summary>Left end of the track.</summary>
    public const double MinPosition = -1.2;
    /// <summary>Right end of the track.</summary>
    public const double MaxPosition = 0.6;
    /// <summary>Speed limit.</summary>
    public const double MaxSpeed = 0.07;
    /// <summary>Position of the flag (0.45 here, 0.5 in the discrete version).</summary>
    public const double GoalPosition = 0.45;
    /// <summary>Acceleration per unit of force.</summary>
    public const double Power = 0.0015;

    private static readonly Box ObsSpace = new([(float)MinPosition, (float)-MaxSpeed], [(float)MaxPosition, (float)MaxSpeed]);
    private static readonly Box ActSpace = new((float)MinAction, (float)MaxAction, 1);

    private double _position, _velocity;

    /// <summary>Creates the environment.</summary>
    /// <param name="goalVelocity">Gymnasium's <c>goal_velocity</c>: the minimum velocity at the flag for termination.</param>
    public MountainCarContinuous(double goalVelocity = 0.0) : base(ObsSpace, ActSpace)
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
    protected override StepResult StepCore(ReadOnlySpan<float> action, Span<float> observation)
    {
        CheckActionLength(action, 1);
        double a = action[0];
        var position = _position;
        var velocity = _velocity;
        var force = Math.Min(Math.Max(a, MinAction), MaxAction);

        velocity += force * Power - 0.0025 * Math.Cos(3 * position);
        if (velocity > MaxSpeed) velocity = MaxSpeed;
        if (velocity < -MaxSpeed) velocity = -MaxSpeed;
        position += velocity;
        if (position > MaxPosition) position = MaxPosition;
        if (position < MinPosition) position = MinPosition;
        if (position == MinPosition && velocity < 0) velocity = 0;

        var terminated = position >= GoalPosition && velocity >= GoalVelocity;
        var reward = terminated ? 100.0 : 0.0;
        reward -= Math.Pow(a, 2) * 0.1;

        _position = (float)position;
        _velocity = (float)velocity;
        WriteObservation(observation);
        return new StepResult(reward, terminated, false);
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
