using RlExperiments.Environments.ClassicControl;

namespace RlExperiments.Environments.Tests;

public class MountainCarTests
{
    private const double Tol = 1e-15;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void DiscreteStepFollowsTheEquations(int action)
    {
        var env = new MountainCar();
        var obs = new float[2];
        env.Reset(obs, seed: 0);
        env.State = [-0.5, 0.01];

        var result = env.Step(action, obs);

        var velocity = 0.01 + (action - 1) * 0.001 + Math.Cos(3 * -0.5) * -0.0025;
        var position = -0.5 + velocity;
        env.State[0].Should().BeApproximately(position, Tol);
        env.State[1].Should().BeApproximately(velocity, Tol);
        obs.Should().Equal((float)position, (float)velocity);
        result.Reward.Should().Be(-1.0);
        result.Terminated.Should().BeFalse();
    }

    [Fact]
    public void VelocityIsClippedAndTheLeftWallStopsTheCar()
    {
        var env = new MountainCar();
        var obs = new float[2];
        env.Reset(obs, seed: 0);
        env.State = [-0.6, 0.0695];
        env.Step(2, obs); // 0.0695 + 0.001 - 0.0025 cos(-1.8) = 0.07107 > 0.07
        env.State[1].Should().Be(0.07);
        env.State[0].Should().BeApproximately(-0.6 + 0.07, Tol);

        env.State = [-0.3, 0.0699];
        env.Step(2, obs); // 0.0699 + 0.001 - 0.0025 cos(-0.9) = 0.06935: below the cap
        env.State[1].Should().BeApproximately(0.0699 + 0.001 - 0.0025 * Math.Cos(-0.9), Tol);

        env.State = [-1.19, -0.05];
        env.Step(0, obs);
        env.State.Should().Equal(-1.2, 0.0);
        obs.Should().Equal(-1.2f, 0f);
    }

    [Fact]
    public void ReachingTheFlagTerminates()
    {
        var env = new MountainCar();
        var obs = new float[2];
        env.Reset(obs, seed: 0);
        env.State = [0.49, 0.02];
        var result = env.Step(2, obs);
        result.Terminated.Should().BeTrue();
        result.Reward.Should().Be(-1.0);

        var picky = new MountainCar(goalVelocity: 0.05);
        picky.Reset(obs, seed: 0);
        picky.State = [0.49, 0.02];
        picky.Step(2, obs).Terminated.Should().BeFalse("the velocity is below goal_velocity");
    }

    [Fact]
    public void InitialPositionIsUniformInTheValleyWithZeroVelocity()
    {
        var env = new MountainCar();
        var obs = new float[2];
        for (var seed = 0; seed < 100; seed++)
        {
            env.Reset(obs, seed);
            env.State[0].Should().BeInRange(-0.6, -0.4);
            env.State[1].Should().Be(0.0);
        }
    }

    [Fact]
    public void ContinuousStepUsesPowerAndPenalisesTheUnclippedActionSquared()
    {
        var env = new MountainCarContinuous();
        var obs = new float[2];
        env.Reset(obs, seed: 0);
        env.State = [-0.5, 0.01];

        var result = env.Step(new float[] { 0.5f }, obs);

        var velocity = 0.01 + (0.5 * 0.0015 - 0.0025 * Math.Cos(3 * -0.5));
        var position = -0.5 + velocity;
        env.State.Should().Equal((double)(float)position, (double)(float)velocity);
        obs.Should().Equal((float)position, (float)velocity);
        result.Reward.Should().BeApproximately(-0.1 * 0.25, 1e-15);
        result.Terminated.Should().BeFalse();

        env.State = [-0.5, 0.01];
        var clipped = env.Step(new float[] { 3f }, obs);
        env.State[1].Should().Be((float)(0.01 + (1.0 * 0.0015 - 0.0025 * Math.Cos(-1.5))), "the force is clipped to 1");
        clipped.Reward.Should().BeApproximately(-0.1 * 9, 1e-12, "the penalty uses the unclipped action");
    }

    [Fact]
    public void ContinuousGoalGivesPlusHundredAtPointFourFive()
    {
        var env = new MountainCarContinuous();
        var obs = new float[2];
        env.Reset(obs, seed: 0);
        env.State = [0.44, 0.02];
        var result = env.Step(new float[] { 1f }, obs);
        result.Terminated.Should().BeTrue();
        result.Reward.Should().BeApproximately(100 - 0.1, 1e-12);
        var again = () => env.Step(new float[] { 1f }, obs);
        again.Should().Throw<InvalidOperationException>().WithMessage("*Reset*");
    }

    [Fact]
    public void ContinuousRejectsDiscreteCallsAndWrongActionLength()
    {
        var env = new MountainCarContinuous();
        var obs = new float[2];
        env.Reset(obs, seed: 0);
        var discrete = () => env.Step(1, obs);
        discrete.Should().Throw<InvalidOperationException>().WithMessage("*continuous*Step(ReadOnlySpan<float>*");
        var wrongLength = () => env.Step(new float[2], obs);
        wrongLength.Should().Throw<ArgumentException>().WithMessage("*1 element*got 2*");
    }
}
