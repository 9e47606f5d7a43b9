using RlExperiments.Environments.ClassicControl;

namespace RlExperiments.Environments.Tests;

public class PendulumTests
{
    private const double Tol = 1e-12;

    private static (double Th, double ThDot, double Reward) Reference(double th, double thDot, double u, double g)
    {
        u = Math.Clamp(u, -2.0, 2.0);
        var costs = Math.Pow(ReferenceEquations.AngleNormalize(th), 2) + 0.1 * Math.Pow(thDot, 2) + 0.001 * Math.Pow(u, 2);
        var newThDot = thDot + (3 * g / (2 * 1.0) * Math.Sin(th) + 3.0 / (1.0 * Math.Pow(1.0, 2)) * u) * 0.05;
        newThDot = Math.Clamp(newThDot, -8, 8);
        return (th + newThDot * 0.05, newThDot, -costs);
    }

    [Theory]
    [InlineData(0.5, -1.0, 1.5, 10.0)]
    [InlineData(-2.8, 3.0, -0.7, 10.0)]
    [InlineData(4.0, 0.2, 0.3, 9.81)]   // theta beyond pi: the cost normalises the angle
    [InlineData(1.0, 7.9, 2.0, 10.0)]   // the new speed is clipped to 8
    [InlineData(0.1, 0.0, 5.0, 10.0)]   // the torque is clipped to 2
    public void StepFollowsTheEquations(double th, double thDot, double u, double g)
    {
        var env = new Pendulum(g);
        var obs = new float[3];
        env.Reset(obs, seed: 0);
        env.State = [th, thDot];

        var result = env.Step(new[] { (float)u }, obs);

        var (eTh, eThDot, eReward) = Reference(th, thDot, (float)u, g);
        env.State[0].Should().BeApproximately(eTh, Tol);
        env.State[1].Should().BeApproximately(eThDot, Tol);
        obs.Should().Equal((float)Math.Cos(eTh), (float)Math.Sin(eTh), (float)eThDot);
        result.Reward.Should().BeApproximately(eReward, Tol);
        result.Terminated.Should().BeFalse();
        env.LastTorque.Should().Be(Math.Clamp((float)u, -2f, 2f));
    }

    [Fact]
    public void AngleNormalizeUsesFlooredModulo()
    {
        Pendulum.AngleNormalize(0.3).Should().BeApproximately(0.3, Tol);
        Pendulum.AngleNormalize(4.0).Should().BeApproximately(4.0 - 2 * Math.PI, Tol);
        Pendulum.AngleNormalize(-4.0).Should().BeApproximately(-4.0 + 2 * Math.PI, Tol);
        Pendulum.AngleNormalize(7 * Math.PI + 0.1).Should().BeApproximately(-Math.PI + 0.1, 1e-9);
    }

    [Fact]
    public void GravityIsSettableByKwargAndProperty()
    {
        var registry = new EnvRegistry();
        using var env = registry.Make("Pendulum-v1", new Dictionary<string, object?> { ["g"] = 9.81 });
        var pendulum = (Pendulum)env.Unwrapped;
        pendulum.G.Should().Be(9.81);
        new Pendulum().G.Should().Be(10.0);
        pendulum.G = 3.7;
        var obs = new float[3];
        env.Reset(obs, seed: 2);
        pendulum.State = [1.0, 0.0];
        env.Step(new[] { 0f }, obs);
        pendulum.State[1].Should().BeApproximately(3 * 3.7 / 2 * Math.Sin(1.0) * 0.05, Tol);
        var bad = () => pendulum.G = double.NaN;
        bad.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void NeverTerminatesAndTruncatesAtTwoHundred()
    {
        using var env = new EnvRegistry().Make("Pendulum-v1");
        var obs = new float[3];
        env.Reset(obs, seed: 4);
        for (var t = 1; t <= 200; t++)
        {
            var r = env.Step(new[] { 2f }, obs);
            r.Terminated.Should().BeFalse();
            r.Truncated.Should().Be(t == 200);
        }
    }

    [Fact]
    public void InitialStateIsUniformAndOptionsSetTheHalfWidths()
    {
        var env = new Pendulum();
        var obs = new float[3];
        var thetas = new List<double>();
        for (var seed = 0; seed < 200; seed++)
        {
            env.Reset(obs, seed);
            env.State[0].Should().BeInRange(-Math.PI, Math.PI);
            env.State[1].Should().BeInRange(-1, 1);
            thetas.Add(env.State[0]);
        }
        thetas.Min().Should().BeLessThan(-2.8);
        thetas.Max().Should().BeGreaterThan(2.8);
        env.LastTorque.Should().BeNull();

        env.Reset(obs, 1, new Dictionary<string, object?> { ["x_init"] = 0.1, ["y_init"] = 0.2 });
        env.State[0].Should().BeInRange(-0.1, 0.1);
        env.State[1].Should().BeInRange(-0.2, 0.2);
        var bad = () => env.Reset(obs, 1, new Dictionary<string, object?> { ["low"] = 0.1 });
        bad.Should().Throw<ArgumentException>().WithMessage("*'low'*x_init, y_init*");
    }
}
