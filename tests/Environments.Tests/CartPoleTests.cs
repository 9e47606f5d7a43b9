using RlExperiments.Environments.ClassicControl;
using RlExperiments.Environments.Wrappers;

namespace RlExperiments.Environments.Tests;

public class CartPoleTests
{
    private const double Tol = 1e-12;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void StepFollowsGymnasiumEulerEquations(int action)
    {
        var env = new CartPole();
        var obs = new float[4];
        env.Reset(obs, seed: 0);
        double[] s = [0.01, -0.2, 0.03, 0.4];
        env.State = s;

        var result = env.Step(action, obs);

        // Hand computation for action 1 from the equations (force = +10):
        // temp = (10 + 0.05 * 0.4^2 * sin 0.03) / 1.1, thetaacc = (9.8 sin 0.03 - cos 0.03 temp) / (0.5 (4/3 - 0.1 cos^2 0.03 / 1.1)).
        var expected = ReferenceEquations.CartPoleStep(s, action);
        env.State.Should().Equal(expected, (a, b) => Math.Abs(a - b) < Tol);
        if (action == 1)
        {
            var temp = (10 + 0.05 * 0.16 * Math.Sin(0.03)) / 1.1;
            var thetaAcc = (9.8 * Math.Sin(0.03) - Math.Cos(0.03) * temp) / (0.5 * (4.0 / 3.0 - 0.1 * Math.Cos(0.03) * Math.Cos(0.03) / 1.1));
            env.State[3].Should().BeApproximately(0.4 + 0.02 * thetaAcc, Tol);
            env.State[0].Should().BeApproximately(0.01 + 0.02 * -0.2, Tol, "Euler moves x with the old velocity");
        }
        obs.Should().Equal(expected.Select(v => (float)v));
        result.Reward.Should().Be(1.0);
        result.Terminated.Should().BeFalse();
        result.Truncated.Should().BeFalse();
        env.Info.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void CartLeavingTheTrackTerminatesWithRewardOneThenStepThrows()
    {
        var env = new CartPole();
        var obs = new float[4];
        env.Reset(obs, seed: 1);
        env.State = [2.39, 1.0, 0.0, 0.0]; // x' = 2.39 + 0.02 * 1.0 = 2.41 > 2.4

        var result = env.Step(1, obs);

        result.Terminated.Should().BeTrue();
        result.Truncated.Should().BeFalse();
        result.Reward.Should().Be(1.0, "Gymnasium rewards the terminating step too");
        obs[0].Should().Be((float)(2.39 + 0.02));
        var again = () => env.Step(0, obs);
        again.Should().Throw<InvalidOperationException>().WithMessage("*terminated*Reset*");
    }

    [Fact]
    public void PoleAngleBeyondTwelveDegreesTerminates()
    {
        var env = new CartPole();
        var obs = new float[4];
        env.Reset(obs, seed: 1);
        var threshold = 12 * 2 * Math.PI / 360; // 0.20943951...
        env.State = [0, 0, threshold - 0.005, 0.5]; // theta' = threshold + 0.005
        env.Step(0, obs).Terminated.Should().BeTrue();

        env.State = [0, 0, -threshold + 0.005, -0.5];
        env.Step(1, obs).Terminated.Should().BeTrue();
    }

    [Fact]
    public void ExactlyAtTheThresholdIsNotTerminal()
    {
        var env = new CartPole();
        var obs = new float[4];
        env.Reset(obs, seed: 1);
        env.State = [2.4, 0.0, 0.0, 0.0]; // x stays 2.4: the test is x > 2.4, strictly
        env.Step(1, obs).Terminated.Should().BeFalse();
    }

    [Fact]
    public void SuttonBartoRewardIsZeroPerStepAndMinusOneOnTermination()
    {
        var env = new CartPole(suttonBartoReward: true);
        var obs = new float[4];
        env.Reset(obs, seed: 3);
        env.State = [0, 0, 0, 0];
        env.Step(1, obs).Reward.Should().Be(0.0);
        env.State = [2.39, 1.0, 0, 0];
        var last = env.Step(1, obs);
        last.Terminated.Should().BeTrue();
        last.Reward.Should().Be(-1.0);
    }

    [Theory]
    [InlineData("CartPole-v1", 500)]
    [InlineData("CartPole-v0", 200)]
    public void RegistryTimeLimitTruncatesAtTheSpecLimit(string id, int limit)
    {
        using var env = new EnvRegistry().Make(id);
        var cartPole = (CartPole)env.Unwrapped;
        var obs = new float[4];
        env.Reset(obs, seed: 5);
        for (var t = 1; t <= limit; t++)
        {
            cartPole.State = [0, 0, 0, 0]; // keep the pole balanced so only the clock can end the episode
            var r = env.Step(t % 2, obs);
            r.Terminated.Should().BeFalse();
            r.Truncated.Should().Be(t == limit, $"step {t} of {limit}");
            r.Reward.Should().Be(1.0);
        }
        var again = () => env.Step(0, obs);
        again.Should().Throw<InvalidOperationException>().WithMessage("*truncated*Reset*");
        env.Reset(obs);
        env.Step(0, obs).Truncated.Should().BeFalse();
    }

    [Fact]
    public void InitialStateIsUniformInPlusMinusFiveHundredthsAndOptionsChangeTheBounds()
    {
        var env = new CartPole();
        var obs = new float[4];
        var all = new List<double>();
        for (var seed = 0; seed < 200; seed++)
        {
            env.Reset(obs, seed);
            var s = env.State;
            s.Should().OnlyContain(v => v >= -0.05 && v < 0.05);
            obs.Should().Equal(s.Select(v => (float)v));
            all.AddRange(s);
        }
        all.Min().Should().BeLessThan(-0.045);
        all.Max().Should().BeGreaterThan(0.045);
        all.Average().Should().BeApproximately(0, 0.005);

        env.Reset(obs, 1, new Dictionary<string, object?> { ["low"] = 0.2, ["high"] = 0.3 });
        env.State.Should().OnlyContain(v => v >= 0.2 && v < 0.3);
    }

    [Fact]
    public void BadResetOptionsFailClearly()
    {
        var env = new CartPole();
        var obs = new float[4];
        var inverted = () => env.Reset(obs, 1, new Dictionary<string, object?> { ["low"] = 0.3, ["high"] = 0.2 });
        inverted.Should().Throw<ArgumentException>().WithMessage("*low*0.3*high*0.2*");
        var unknown = () => env.Reset(obs, 1, new Dictionary<string, object?> { ["lo"] = 0.1 });
        unknown.Should().Throw<ArgumentException>().WithMessage("*'lo'*low, high*");
        var notNumber = () => env.Reset(obs, 1, new Dictionary<string, object?> { ["low"] = "abc" });
        notNumber.Should().Throw<ArgumentException>().WithMessage("*'low'*number*");
    }

    [Fact]
    public void MisuseFailsWithMessagesThatSayWhatToDo()
    {
        var env = new CartPole();
        var obs = new float[4];
        var before = () => env.Step(0, obs);
        before.Should().Throw<InvalidOperationException>().WithMessage("*call Reset*");

        env.Reset(obs, seed: 0);
        var badAction = () => env.Step(2, obs);
        badAction.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Discrete(2)*");
        var shortBuffer = () => env.Step(0, new float[3]);
        shortBuffer.Should().Throw<ArgumentException>().WithMessage("*3*4*");
        var continuous = () => env.Step(new float[] { 1f }, obs);
        continuous.Should().Throw<InvalidOperationException>().WithMessage("*discrete*Step(int*");
        var negativeSeed = () => env.Reset(obs, seed: -1);
        negativeSeed.Should().Throw<ArgumentOutOfRangeException>();
        var badState = () => env.State = [1, 2, 3];
        badState.Should().Throw<ArgumentException>().WithMessage("*4*3*");
    }

    [Fact]
    public void SpacesMatchGymnasium()
    {
        var env = new CartPole();
        env.ActionSpace.ToString().Should().Be("Discrete(2)");
        var box = (Spaces.Box)env.ObservationSpace;
        box.High.ToArray().Should().Equal(4.8f, float.PositiveInfinity, (float)(2 * 12 * 2 * Math.PI / 360), float.PositiveInfinity);
        box.Low.ToArray().Should().Equal(-4.8f, float.NegativeInfinity, -(float)(2 * 12 * 2 * Math.PI / 360), float.NegativeInfinity);
    }

    [Fact]
    public void ToStringShowsTheWrapperStackLikeGymnasium()
    {
        using var env = new EnvRegistry().Make("CartPole-v1");
        env.ToString().Should().Be("<TimeLimit<CartPole<CartPole-v1>>>");
        env.FindWrapper<TimeLimit>()!.MaxEpisodeSteps.Should().Be(500);
        env.FindWrapper<NormalizeObservation>().Should().BeNull();
    }
}
