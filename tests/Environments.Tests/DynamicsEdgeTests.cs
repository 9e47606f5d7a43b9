using RlExperiments.Core;
using RlExperiments.Environments.ClassicControl;
using RlExperiments.Environments.Spaces;

namespace RlExperiments.Environments.Tests;

/// <summary>
/// The clipping edges of the classic-control dynamics in both directions (speed and position limits, walls, goals
/// reached exactly at the threshold), the sign of the initial state draws, and the Box space's contract.
/// </summary>
public class DynamicsEdgeTests
{
    [Fact]
    public void MountainCar_moves_left_and_clips_the_leftward_velocity()
    {
        var env = new MountainCar();
        var obs = new float[2];
        env.Reset(obs, seed: 0);
        env.State = [-0.5, -0.01];
        env.Step(0, obs);
        var velocity = -0.01 - 0.001 + Math.Cos(3 * -0.5) * -0.0025;
        env.State[1].Should().BeApproximately(velocity, 1e-15).And.BeLessThan(-0.01);
        env.State[0].Should().BeApproximately(-0.5 + velocity, 1e-15);

        env.State = [-0.3, -0.0695];
        env.Step(0, obs); // −0.0695 − 0.001 − 0.0025 cos(−0.9) = −0.07205 < −0.07
        env.State[1].Should().Be(-0.07);
        env.State[0].Should().BeApproximately(-0.37, 1e-15);

        env.State = [0.59, 0.05];
        env.Step(2, obs).Terminated.Should().BeTrue();
        env.State[0].Should().Be(0.6, "the position is clipped at the right end");
    }

    [Fact]
    public void MountainCar_terminates_exactly_at_the_goal_velocity()
    {
        var obs = new float[2];
        var velocity = 0.02 + ((2 - 1) * 0.001 + Math.Cos(3 * 0.49) * -0.0025); // the implementation's exact operation order
        var exact = new MountainCar(goalVelocity: velocity);
        exact.Reset(obs, seed: 0);
        exact.State = [0.49, 0.02];
        exact.Step(2, obs).Terminated.Should().BeTrue("velocity ≥ goal_velocity includes equality");
        exact.GoalVelocity.Should().Be(velocity);
    }

    [Fact]
    public void MountainCarContinuous_clips_speed_and_position_in_both_directions()
    {
        var env = new MountainCarContinuous();
        var obs = new float[2];
        env.Reset(obs, seed: 0);

        env.State = [-0.5, 0.0699];
        env.Step([1f], obs); // 0.0699 + 0.0015 − 0.0025 cos(−1.5) > 0.07
        env.State[1].Should().Be((float)0.07);

        env.State = [-0.3, -0.0699];
        var r = env.Step([-1f], obs); // −0.0699 − 0.0015 − 0.0025 cos(−0.9) < −0.07
        env.State[1].Should().Be((float)-0.07);
        env.State[0].Should().Be((float)(-0.3 - 0.07));
        r.Reward.Should().BeApproximately(-0.1, 1e-12);

        env.State = [0.59, 0.05];
        var goal = env.Step([0f], obs);
        env.State[0].Should().Be((float)0.6);
        goal.Terminated.Should().BeTrue();
        goal.Reward.Should().Be(100);

        env.Reset(obs, seed: 0);
        env.State = [-1.19, -0.05];
        env.Step([-0.5f], obs).Reward.Should().BeApproximately(-0.025, 1e-12, "−0.1 a² of a negative action");
        env.State.Should().Equal((float)-1.2, 0.0);
        obs.Should().Equal(-1.2f, 0f);

        env.State = [-0.5, 0.0];
        env.Step([-3f], obs).Reward.Should().BeApproximately(-0.9, 1e-12);
        env.State[1].Should().Be((float)(-1.0 * 0.0015 - 0.0025 * Math.Cos(-1.5)), "the force is clipped to −1");

        env.State = [-0.5, 0.03];
        env.Step([0f], obs);
        env.State[1].Should().Be((float)(0.03 - 0.0025 * Math.Cos(-1.5)), "a rightward car below the limits keeps its speed");
    }

    [Fact]
    public void MountainCarContinuous_goal_needs_both_position_and_velocity()
    {
        var obs = new float[2];
        var picky = new MountainCarContinuous(goalVelocity: 0.05);
        picky.GoalVelocity.Should().Be(0.05);
        picky.Reset(obs, seed: 0);
        picky.State = [0.44, 0.02];
        var slow = picky.Step([1f], obs);
        slow.Terminated.Should().BeFalse("0.0209 is below goal_velocity 0.05");
        slow.Reward.Should().BeApproximately(-0.1, 1e-12);

        var velocity = 0.02 + (1.0 * 0.0015 - 0.0025 * Math.Cos(3 * 0.44));
        var exact = new MountainCarContinuous(goalVelocity: velocity); // exactly the velocity reached: ≥ includes equality
        exact.Reset(obs, seed: 0);
        exact.State = [0.44, 0.02];
        exact.Step([1f], obs).Terminated.Should().BeTrue();

        var env = new MountainCarContinuous();
        env.Reset(obs, seed: 0);
        env.State = [0.3, 0.02];
        env.Step([1f], obs).Terminated.Should().BeFalse("0.32 is short of the flag at 0.45");
        env.State = [-0.2, -0.05];
        env.Step([0f], obs).Terminated.Should().BeFalse();
        env.State = [0.46, -0.005];
        env.Step([0f], obs).Terminated.Should().BeFalse("moving left past the flag");
        env.State[0].Should().BeGreaterThan(0.45);
    }

    [Fact]
    public void MountainCarContinuous_terminates_at_exactly_the_flag_position()
    {
        // Gymnasium: terminated = position >= goal_position (0.45) and velocity >= goal_velocity. Start at a position p
        // with p + 0.07 == 0.45 exactly in double arithmetic and at full speed: the pushed velocity is clipped to 0.07,
        // so the car lands on the flag itself.
        var p = 0.45 - 0.07;
        for (var i = 0; i < 8 && p + 0.07 != 0.45; i++) p = p + 0.07 < 0.45 ? Math.BitIncrement(p) : Math.BitDecrement(p);
        (p + 0.07).Should().Be(0.45, "a start position that lands exactly on the flag exists");
        var env = new MountainCarContinuous();
        var obs = new float[2];
        env.Reset(obs, seed: 0);
        env.State = [p, 0.07];
        var step = env.Step([1f], obs); // 0.07 + 0.0015 − 0.0025 cos(3p) > 0.07: clipped to 0.07
        step.Terminated.Should().BeTrue("position 0.45 ≥ goal_position 0.45 includes equality");
        step.Reward.Should().BeApproximately(100 - 0.1, 1e-12);
        obs.Should().Equal(0.45f, 0.07f);

        env.Reset(obs, seed: 0);
        env.State = [Math.BitDecrement(p), 0.07];
        env.Step([1f], obs).Terminated.Should().BeFalse("one ulp short of the flag");
    }

    [Fact]
    public void MountainCarContinuous_spaces_match_gymnasium()
    {
        // Gymnasium: low = [min_position, -max_speed], high = [max_position, max_speed]; actions in [-1, 1].
        var env = new MountainCarContinuous();
        var obs = (Box)env.ObservationSpace;
        obs.Low.ToArray().Should().Equal(-1.2f, -0.07f);
        obs.High.ToArray().Should().Equal(0.6f, 0.07f);
        var act = (Box)env.ActionSpace;
        act.Low.ToArray().Should().Equal(-1f);
        act.High.ToArray().Should().Equal(1f);
    }

    [Fact]
    public void MountainCarContinuous_starts_in_the_valley_at_rest()
    {
        var env = new MountainCarContinuous();
        var obs = new float[2];
        var positions = new List<double>();
        for (var seed = 0; seed < 100; seed++)
        {
            env.Reset(obs, seed);
            env.State[0].Should().BeInRange(-0.6, -0.4);
            env.State[1].Should().Be(0);
            obs.Should().Equal((float)env.State[0], 0f);
            positions.Add(env.State[0]);
        }
        positions.Min().Should().BeLessThan(-0.58);
        positions.Max().Should().BeGreaterThan(-0.42);
    }

    [Fact]
    public void Pendulum_initial_velocity_takes_both_signs_and_dynamics_clip_downwards()
    {
        var env = new Pendulum();
        var obs = new float[3];
        var speeds = new List<double>();
        for (var seed = 0; seed < 200; seed++)
        {
            env.Reset(obs, seed);
            speeds.Add(env.State[1]);
            obs[2].Should().Be((float)env.State[1]);
        }
        speeds.Min().Should().BeLessThan(-0.9);
        speeds.Max().Should().BeGreaterThan(0.9);
        speeds.Average().Should().BeInRange(-0.2, 0.2);

        env.State = [-1.0, -7.9];
        var r = env.Step([-5f], obs);
        env.LastTorque.Should().Be(-2, "the torque is clipped to −2");
        env.State[1].Should().Be(-8, "the speed is clipped to −8");
        env.State[0].Should().BeApproximately(-1.0 - 8 * 0.05, 1e-12);
        r.Reward.Should().BeApproximately(-(1.0 + 0.1 * 7.9 * 7.9 + 0.001 * 4), 1e-12);

        env.State = [0.0, 0.0];
        env.Step([-1f], obs);
        env.State[1].Should().BeApproximately(-3 * 0.05, 1e-12, "a negative torque turns the pendulum the negative way");
        obs[1].Should().BeLessThan(0);
        obs[0].Should().BeLessThan(1);
    }

    [Fact]
    public void Box_bounds_shape_and_sampling_contract()
    {
        var box = new Box([-1f, 0f], [1f, 2f]);
        box.IsBounded.Should().BeTrue();
        box.Contains([1f, 2f]).Should().BeTrue("upper bounds are inclusive");
        box.Contains([1f, 2.01f]).Should().BeFalse();
        box.FlatSize.Should().Be(2);
        box.Shape.Should().Equal(2);
        new Box([0f], [float.PositiveInfinity]).IsBounded.Should().BeFalse();
        new Box([float.NegativeInfinity], [0f]).IsBounded.Should().BeFalse();

        var rng = new Rng(1);
        var samples = Enumerable.Range(0, 2000).Select(_ => box.Sample(rng)).ToArray();
        samples.Should().OnlyContain(s => s.Length == 2 && box.Contains(s));
        samples.Min(s => s[0]).Should().BeLessThan(-0.95f);
        samples.Max(s => s[1]).Should().BeGreaterThan(1.95f);
        box.Invoking(b => b.Sample(rng, new float[3])).Should().Throw<ArgumentException>().WithMessage("destination has 3 elements; the box has 2.*");
        box.Invoking(b => b.Sample(null!, new float[2])).Should().Throw<ArgumentNullException>();
        var point = new Box(3f, 3f, 1);
        point.Sample(rng).Should().Equal(3f);

        box.GetHashCode().Should().Be(new Box([-1f, 0f], [1f, 2f]).GetHashCode());
        box.Should().NotBe(new Box([-1f, 0f], [1f, 3f]));
        box.Should().NotBe(new Box([-1f, 1f], [1f, 2f]));
        box.Equals((Box?)null).Should().BeFalse();
        new Box(0f, 1f, 2, 3).Shape.Should().Equal(2, 3);
        new Box(0f, 1f, 2, 3).FlatSize.Should().Be(6);
        new Box(0f, 1f, 2, 3).Low.Length.Should().Be(6);

        var d = new Box([float.NegativeInfinity, -1f], [2f, float.PositiveInfinity]).Describe();
        d.Low.Should().Equal(null, -1f);
        d.High.Should().Equal(2f, null);

        new Box(-0.5f, 0.5f, 1).ToString().Should().Be("Box(-0.5, 0.5, (1,), float32)");
        new Box(0f, 1e8f, 1).ToString().Should().Be("Box(0.0, 100000000, (1,), float32)");
        new Box([1f, 1f, 2f], [3f, 3f, 3f]).ToString().Should().Be("Box([1.0 1.0 2.0], 3.0, (3,), float32)");
    }

    [Fact]
    public void Box_refuses_each_invalid_bound_or_shape_naming_it()
    {
        void Refused(Func<Box> make, string message) => make.Should().Throw<ArgumentException>().WithMessage(message);
        Refused(() => new Box([0f, 0f], [1f]), "high has 1 elements but shape (2) needs 2.*");
        Refused(() => new Box([0f], [1f], [2]), "low has 1 elements but shape (2) needs 2.*");
        Refused(() => new Box([0f, 0f], [1f, float.NaN]), "Box bounds must not be NaN (element 1).*");
        Refused(() => new Box([float.PositiveInfinity], [float.PositiveInfinity]), "low[0] cannot be +inf*");
        Refused(() => new Box([float.NegativeInfinity], [float.NegativeInfinity]), "*high[0] cannot be -inf*");
        Refused(() => new Box([1f], [0.5f]), "low[0] = 1 exceeds high[0] = 0.5.*");
        Refused(() => new Box(0f, 1f, []), "shape must have at least one dimension.*");
        Refused(() => new Box(0f, 1f, 2, 0), "shape[1] = 0 must be positive.*");
        Refused(() => new Box(0f, 1f, 2, -1), "shape[1] = -1 must be positive.*");
        Refused(() => new Box(0f, 1f, 1 << 16, 1 << 16), "shape is too large.*");
        new Box([2f], [2f]).Contains([2f]).Should().BeTrue("low may equal high");
    }

    [Fact]
    public void Pendulum_spaces_and_refusals()
    {
        var env = new Pendulum();
        env.ObservationSpace.Should().Be(new Box([-1f, -1f, -8f], [1f, 1f, 8f]));
        env.ActionSpace.Should().Be(new Box(-2f, 2f, 1));
        var nanGravity = () => new Pendulum(double.NaN);
        nanGravity.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Pendulum gravity g must be finite.*").Which.ParamName.Should().Be("g");
        var setInfinite = () => env.G = double.PositiveInfinity;
        setInfinite.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Pendulum gravity g must be finite.*");
        var obs = new float[3];
        env.Reset(obs, seed: 0);
        var twoFloats = () => env.Step(new float[2], obs);
        twoFloats.Should().Throw<ArgumentException>().WithMessage("*1 element*got 2*");
        env.Reset(obs, 3, new Dictionary<string, object?> { ["y_init"] = 0.01 });
        env.State[1].Should().BeInRange(-0.01, 0.01, "y_init sets the initial speed's half-width");
        env.State[0].Should().BeInRange(-Math.PI, Math.PI);
    }

    [Fact]
    public void CartPole_thresholds_are_strict_as_in_Gymnasium()
    {
        // Gymnasium: terminated = x < -2.4 or x > 2.4 or theta < -12° or theta > 12°. With zero velocities one Euler
        // step leaves x and theta exactly where they are (x += 0.02 * 0), so the bounds themselves are reached exactly.
        var threshold = CartPole.ThetaThresholdRadians;
        double[][] onTheEdge = [[-2.4, 0, 0, 0], [2.4, 0, 0, 0], [0, 0, -threshold, 0], [0, 0, threshold, 0]];
        var obs = new float[4];
        foreach (var state in onTheEdge)
        {
            var env = new CartPole();
            env.Reset(obs, seed: 0);
            env.State = state;
            env.Step(0, obs).Terminated.Should().BeFalse($"[{string.Join(", ", state)}] is on the bound, not beyond it");
            env.State[0].Should().Be(state[0]);
            env.State[2].Should().Be(state[2]);
        }
        double[][] beyond = [[Math.BitDecrement(-2.4), 0, 0, 0], [Math.BitIncrement(2.4), 0, 0, 0],
            [0, 0, Math.BitDecrement(-threshold), 0], [0, 0, Math.BitIncrement(threshold), 0]];
        foreach (var state in beyond)
        {
            var env = new CartPole();
            env.Reset(obs, seed: 0);
            env.State = state;
            env.Step(0, obs).Terminated.Should().BeTrue($"[{string.Join(", ", state)}] is one ulp beyond the bound");
        }
    }

    [Fact]
    public void MountainCar_terminates_at_exactly_the_flag_position()
    {
        // Gymnasium: terminated = position >= 0.5 and velocity >= goal_velocity (0). Start at p with p + 0.07 == 0.5
        // exactly, at full speed and pushing right: 0.07 + 0.001 - 0.0025 cos(3p) > 0.07 is clipped to 0.07, so the car
        // lands on the flag itself.
        var p = 0.5 - 0.07;
        for (var i = 0; i < 8 && p + 0.07 != 0.5; i++) p = p + 0.07 < 0.5 ? Math.BitIncrement(p) : Math.BitDecrement(p);
        (p + 0.07).Should().Be(0.5, "a start position that lands exactly on the flag exists");
        var env = new MountainCar();
        var obs = new float[2];
        env.Reset(obs, seed: 0);
        env.State = [p, 0.07];
        env.Step(2, obs).Terminated.Should().BeTrue("position 0.5 >= goal_position 0.5 includes equality");
        env.State.Should().Equal(0.5, 0.07);

        env.Reset(obs, seed: 0);
        env.State = [Math.BitDecrement(p), 0.07];
        env.Step(2, obs).Terminated.Should().BeFalse("one ulp short of the flag");
    }

    [Fact]
    public void Acrobot_terminates_when_the_tip_is_above_the_bar_by_Gymnasiums_formula()
    {
        // Gymnasium: terminated = -cos(theta1) - cos(theta2 + theta1) > 1.0, theta2 relative to link 1, on the state after
        // the step. From rest at (2π/3, π/3) the tip is 1.5 above the pivot; at (2π/3, -π/3) it is level with it, so
        // one step cannot carry it above. The sum, not the difference, of the angles decides.
        var obs = new float[6];
        var terminalSeen = false;
        var runningSeen = false;
        foreach (var (theta1, theta2) in new[] { (2 * Math.PI / 3, Math.PI / 3), (2 * Math.PI / 3, -Math.PI / 3), (Math.PI, 0.0), (0.0, 0.0) })
        {
            var env = new Acrobot();
            env.Reset(obs, seed: 0);
            env.State = [theta1, theta2, 0, 0];
            var step = env.Step(1, obs);
            var s = env.State;
            var expected = -Math.Cos(s[0]) - Math.Cos(s[1] + s[0]) > 1.0;
            step.Terminated.Should().Be(expected, $"start ({theta1}, {theta2})");
            step.Reward.Should().Be(expected ? 0.0 : -1.0);
            terminalSeen |= expected;
            runningSeen |= !expected;
        }
        terminalSeen.Should().BeTrue();
        runningSeen.Should().BeTrue();
    }

    [Fact]
    public void Acrobot_wrap_keeps_both_ends_of_the_interval_as_Gymnasium()
    {
        // Gymnasium's wrap: while x > M: x -= M - m; while x < m: x += M - m. Both ends are inside [m, M], so they stay.
        Acrobot.Wrap(Math.PI, -Math.PI, Math.PI).Should().Be(Math.PI);
        Acrobot.Wrap(-Math.PI, -Math.PI, Math.PI).Should().Be(-Math.PI);
        Acrobot.Wrap(3 * Math.PI / 2, -Math.PI, Math.PI).Should().BeApproximately(-Math.PI / 2, 1e-15);
        Acrobot.Wrap(-3 * Math.PI / 2, -Math.PI, Math.PI).Should().BeApproximately(Math.PI / 2, 1e-15);
    }
}
