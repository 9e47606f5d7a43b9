using RlExperiments.Environments.ClassicControl;

namespace RlExperiments.Environments.Tests;

public class AcrobotTests
{
    private const double Tol = 1e-12;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void StepIsOneRk4StepOfTheBookDynamics(int action)
    {
        var env = new Acrobot();
        var obs = new float[6];
        env.Reset(obs, seed: 0);
        double[] s = [0.3, -0.7, 1.1, -2.0];
        env.State = s;

        var result = env.Step(action, obs);

        var expected = ReferenceEquations.AcrobotStep(s, action);
        env.State.Should().Equal(expected, (a, b) => Math.Abs(a - b) < Tol);
        obs.Should().Equal(
            (float)Math.Cos(expected[0]), (float)Math.Sin(expected[0]),
            (float)Math.Cos(expected[1]), (float)Math.Sin(expected[1]),
            (float)expected[2], (float)expected[3]);
        result.Reward.Should().Be(-1.0);
        result.Terminated.Should().BeFalse();
    }

    [Fact]
    public void TorqueEntersTheSecondJointAcceleration()
    {
        // Both links at rest hanging down: gravity terms vanish (cos(-pi/2) = 0), so with torque 1
        // ddtheta2 = 1 / (m2 lc2^2 + I2 - d2^2 / d1) with d1 = 0.25 + (1 + 0.25 + 1) + 2 = 4.5 and d2 = 0.25 + 0.5 + 1 = 1.75.
        Acrobot.Derivatives(0, 0, 0, 0, 1.0, out _, out _, out var dd1, out var dd2);
        var expectedDd2 = 1.0 / (0.25 + 1.0 - 1.75 * 1.75 / 4.5);
        dd2.Should().BeApproximately(expectedDd2, Tol);
        dd1.Should().BeApproximately(-(1.75 * expectedDd2) / 4.5, Tol);
    }

    [Fact]
    public void TipAboveTheBarTerminatesWithRewardZero()
    {
        var env = new Acrobot();
        var obs = new float[6];
        env.Reset(obs, seed: 0);
        double[] s = [Math.PI - 0.05, 0.0, 0.0, 0.0]; // both links up: -cos(t1) - cos(t1 + t2) ~ 2 > 1
        env.State = s;

        var result = env.Step(1, obs);

        var expected = ReferenceEquations.AcrobotStep(s, 1);
        ReferenceEquations.AcrobotTerminal(expected).Should().BeTrue();
        result.Terminated.Should().BeTrue();
        result.Reward.Should().Be(0.0);
        var again = () => env.Step(1, obs);
        again.Should().Throw<InvalidOperationException>().WithMessage("*Reset*");
    }

    [Fact]
    public void AnglesWrapIntoMinusPiPiAndVelocitiesAreBounded()
    {
        var env = new Acrobot();
        var obs = new float[6];
        env.Reset(obs, seed: 0);
        double[] s = [3.1, -3.1, 4 * Math.PI - 0.01, -9 * Math.PI + 0.01];
        env.State = s;

        env.Step(2, obs);

        var expected = ReferenceEquations.AcrobotStep(s, 2);
        var state = env.State;
        state.Should().Equal(expected, (a, b) => Math.Abs(a - b) < Tol);
        state[0].Should().BeInRange(-Math.PI, Math.PI);
        state[1].Should().BeInRange(-Math.PI, Math.PI);
        state[2].Should().BeInRange(-4 * Math.PI, 4 * Math.PI);
        state[3].Should().BeInRange(-9 * Math.PI, 9 * Math.PI);
        Acrobot.Wrap(3 * Math.PI + 0.5, -Math.PI, Math.PI).Should().BeApproximately(-Math.PI + 0.5, Tol);
        Acrobot.Bound(50, -4 * Math.PI, 4 * Math.PI).Should().Be(4 * Math.PI);
    }

    [Fact]
    public void InitialStateIsFloat32UniformInPlusMinusOneTenth()
    {
        var env = new Acrobot();
        var obs = new float[6];
        for (var seed = 0; seed < 100; seed++)
        {
            env.Reset(obs, seed);
            var s = env.State;
            s.Should().OnlyContain(v => v >= -0.1 && v <= 0.1);
            s.Should().OnlyContain(v => (double)(float)v == v, "Gymnasium casts the initial state to float32");
            obs[0].Should().Be((float)Math.Cos(s[0]));
            obs[4].Should().Be((float)s[2]);
        }
        var invalid = () => env.Step(3, obs);
        invalid.Should().Throw<ArgumentOutOfRangeException>();
    }
}
