using RlExperiments.Environments.Spaces;
using RlExperiments.Environments.Wrappers;

namespace RlExperiments.Environments.Tests;

public class WrapperTests
{
    /// <summary>
    /// The exact statistics Gymnasium's RunningMeanStd reaches after folding in <paramref name="xs"/> one at a time,
    /// computed in one go: the prior (mean 0, var 1, count eps) merged with the batch (mean m, population var v, count n).
    /// </summary>
    private static (double Mean, double Var) Expected(IReadOnlyList<double> xs, double eps = 1e-4)
    {
        var n = xs.Count;
        var m = xs.Average();
        var v = xs.Sum(x => (x - m) * (x - m)) / n;
        var total = eps + n;
        var mean = n * m / total;
        var m2 = eps * 1.0 + n * v + m * m * eps * n / total;
        return (mean, m2 / total);
    }

    [Fact]
    public void NormalizeObservationTracksGymnasiumRunningMeanStdAndNormalises()
    {
        var registry = new EnvRegistry();
        using var raw = registry.Make("CartPole-v1");
        using var env = new NormalizeObservation(registry.Make("CartPole-v1"));
        env.ObservationSpace.Should().Be(new Box(float.NegativeInfinity, float.PositiveInfinity, 4));

        var rawObs = new float[4];
        var obs = new float[4];
        var history = new List<float[]>();
        raw.Reset(rawObs, seed: 11);
        env.Reset(obs, seed: 11);
        history.Add(rawObs.ToArray());
        for (var t = 0; t < 60; t++)
        {
            var action = (t / 3) % 2;
            var r = raw.Step(action, rawObs);
            env.Step(action, obs);
            history.Add(rawObs.ToArray());
            if (r.Done)
            {
                raw.Reset(rawObs);
                env.Reset(obs);
                history.Add(rawObs.ToArray());
            }
        }

        env.ObsRms.Count.Should().BeApproximately(1e-4 + history.Count, 1e-9);
        for (var i = 0; i < 4; i++)
        {
            var (mean, variance) = Expected(history.Select(h => (double)h[i]).ToList());
            env.ObsRms.Mean[i].Should().BeApproximately(mean, 1e-12 + 1e-9 * Math.Abs(mean));
            env.ObsRms.Var[i].Should().BeApproximately(variance, 1e-9 * variance);
            obs[i].Should().BeApproximately((float)((rawObs[i] - mean) / Math.Sqrt(variance + 1e-8)), 1e-5f);
        }
    }

    [Fact]
    public void NormalizeObservationStateCanBeFrozenSavedAndRestored()
    {
        var registry = new EnvRegistry();
        using var env = new NormalizeObservation(registry.Make("Pendulum-v1"));
        var obs = new float[3];
        env.Reset(obs, seed: 1);
        for (var t = 0; t < 20; t++)
            env.Step(new[] { 1f }, obs);
        var saved = env.ObsRms.GetState();

        env.UpdateRunningMean = false;
        env.Step(new[] { 1f }, obs);
        env.ObsRms.GetState().Mean.Should().Equal(saved.Mean);
        env.ObsRms.Count.Should().Be(saved.Count);

        using var restored = new NormalizeObservation(registry.Make("Pendulum-v1")) { UpdateRunningMean = false };
        restored.ObsRms.SetState(saved);
        var a = new float[3];
        var b = new float[3];
        env.Reset(a, seed: 9);
        restored.Reset(b, seed: 9);
        b.Should().Equal(a);

        var wrongSize = () => restored.ObsRms.SetState(new RunningMeanStdState([0.0], [1.0], 1));
        wrongSize.Should().Throw<ArgumentException>().WithMessage("*1 elements*3*");
    }

    [Fact]
    public void NormalizeRewardScalesByTheDiscountedReturnStatistics()
    {
        const double gamma = 0.9;
        double[] rewards = [1, -2, 3, 0.5];
        using var env = new NormalizeReward(new ScriptedEnv(rewards, terminateAfter: 3), gamma);
        var obs = new float[2];
        var discounted = 0.0;
        var returns = new List<double>();
        for (var episode = 0; episode < 3; episode++)
        {
            env.Reset(obs);
            for (var t = 0; t < 3; t++)
            {
                var reward = rewards[t % rewards.Length];
                var terminated = t == 2;
                var result = env.Step(0, obs);
                // Gymnasium: discounted = discounted * gamma * (1 - terminated) + reward; not reset by Reset.
                discounted = discounted * gamma * (terminated ? 0 : 1) + reward;
                returns.Add(discounted);
                var (_, variance) = Expected(returns);
                result.Reward.Should().BeApproximately(reward / Math.Sqrt(variance + 1e-8), 1e-9, $"episode {episode}, step {t}");
                result.Terminated.Should().Be(terminated);
            }
        }
        env.DiscountedReward.Should().BeApproximately(discounted, 1e-12);
    }

    [Fact]
    public void RecordEpisodeStatisticsReportsReturnAndLengthAtEpisodeEnd()
    {
        using var env = new RecordEpisodeStatistics(new ScriptedEnv([1, 0.5], terminateAfter: 3), bufferLength: 2);
        var obs = new float[2];
        for (var episode = 0; episode < 3; episode++)
        {
            env.Reset(obs).HasEpisode.Should().BeFalse();
            env.Step(0, obs);
            env.Info.HasEpisode.Should().BeFalse();
            env.Step(0, obs);
            env.Info.HasEpisode.Should().BeFalse();
            var last = env.Step(0, obs);
            last.Terminated.Should().BeTrue();
            env.Info.HasEpisode.Should().BeTrue();
            env.Info.Episode.Return.Should().Be(2.5);
            env.Info.Episode.Length.Should().Be(3);
            env.Info.Episode.Time.Should().BeGreaterThanOrEqualTo(0);
            var dict = env.Info.ToDictionary();
            dict["episode"].Should().BeEquivalentTo(new Dictionary<string, object?> { ["r"] = 2.5, ["l"] = 3, ["t"] = env.Info.Episode.Time });
        }
        env.EpisodeCount.Should().Be(3);
        env.ReturnQueue.Should().Equal(2.5, 2.5);
        env.LengthQueue.Should().Equal(3, 3);

        env.Reset(obs);
        env.Step(0, obs);
        var missing = () => env.Info.Episode;
        missing.Should().Throw<InvalidOperationException>().WithMessage("*no episode*");
    }

    [Fact]
    public void RecordEpisodeStatisticsCountsTruncatedEpisodes()
    {
        using var env = new RecordEpisodeStatistics(new TimeLimit(new ScriptedEnv([2.0]), 4));
        var obs = new float[2];
        env.Reset(obs);
        StepResult r = default;
        for (var t = 0; t < 4; t++)
            r = env.Step(1, obs);
        r.Truncated.Should().BeTrue();
        r.Terminated.Should().BeFalse();
        env.Info.Episode.Should().Be(env.Info.Episode with { Return = 8.0, Length = 4 });
    }

    [Fact]
    public void TimeLimitTruncatesWithoutTerminatingAndPassesTerminationThrough()
    {
        using var limited = new TimeLimit(new ScriptedEnv([1.0]), 3);
        var obs = new float[2];
        var before = () => limited.Step(0, obs);
        before.Should().Throw<InvalidOperationException>().WithMessage("*Reset*");
        limited.Reset(obs);
        limited.Step(0, obs).Truncated.Should().BeFalse();
        limited.Step(0, obs).Truncated.Should().BeFalse();
        limited.ElapsedSteps.Should().Be(2);
        var third = limited.Step(0, obs);
        third.Truncated.Should().BeTrue();
        third.Terminated.Should().BeFalse();
        var fourth = () => limited.Step(0, obs);
        fourth.Should().Throw<InvalidOperationException>().WithMessage("*truncated by TimeLimit after 3 steps*Reset*");

        using var terminating = new TimeLimit(new ScriptedEnv([1.0], terminateAfter: 2), 5);
        terminating.Reset(obs);
        terminating.Step(0, obs);
        var end = terminating.Step(0, obs);
        end.Terminated.Should().BeTrue();
        end.Truncated.Should().BeFalse();

        using var both = new TimeLimit(new ScriptedEnv([1.0], terminateAfter: 2), 2);
        both.Reset(obs);
        both.Step(0, obs);
        var coincide = both.Step(0, obs);
        coincide.Terminated.Should().BeTrue();
        coincide.Truncated.Should().BeTrue("Gymnasium sets truncated whenever the limit is reached");

        var zero = () => new TimeLimit(new ScriptedEnv([1.0]), 0);
        zero.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*max_episode_steps*");
    }

    [Fact]
    public void ClipActionClipsIntoTheBoxAndExposesAnUnboundedSpace()
    {
        var inner = new ScriptedEnv([0.0], actionSpace: new Box([-2f, 0f], [2f, 1f]));
        using var env = new ClipAction(inner);
        env.ActionSpace.Should().Be(new Box(float.NegativeInfinity, float.PositiveInfinity, 2));
        var obs = new float[2];
        env.Reset(obs);
        env.Step(new[] { 5f, -3f }, obs);
        env.Step(new[] { -0.5f, 0.25f }, obs);
        inner.ReceivedActions[0].Should().Equal(2f, 0f);
        inner.ReceivedActions[1].Should().Equal(-0.5f, 0.25f);
        var discrete = () => new ClipAction(new ScriptedEnv([0.0]));
        discrete.Should().Throw<ArgumentException>().WithMessage("*Box action space*Discrete(2)*");
    }

    [Fact]
    public void RescaleActionMapsTheNewRangeAffinelyOntoTheBox()
    {
        var inner = new ScriptedEnv([0.0], actionSpace: new Box([0f, -2f], [10f, 2f]));
        using var env = new RescaleAction(inner, -1f, 1f);
        env.ActionSpace.Should().Be(new Box(-1f, 1f, 2));
        var obs = new float[2];
        env.Reset(obs);
        float[][] actions = [[-1f, -1f], [1f, 1f], [0f, 0f], [0.5f, -0.5f], [2f, 2f]];
        foreach (var a in actions)
            env.Step(a, obs);
        // low + (a - min) * (high - low) / (max - min)
        float[][] expected = [[0f, -2f], [10f, 2f], [5f, 0f], [7.5f, -1f], [15f, 4f]];
        for (var i = 0; i < actions.Length; i++)
            inner.ReceivedActions[i].Should().Equal(expected[i], (x, y) => Math.Abs(x - y) < 1e-5f, $"action {i}");

        var inverted = () => new RescaleAction(inner, 1f, -1f);
        inverted.Should().Throw<ArgumentException>().WithMessage("*minAction[0]*must not exceed*");
        var infinite = () => new RescaleAction(inner, float.NegativeInfinity, 1f);
        infinite.Should().Throw<ArgumentException>().WithMessage("*infinite exactly where*");
    }

    [Fact]
    public void RescaledPendulumReceivesTheScaledTorque()
    {
        // RescaleAction(-1, 1) over Pendulum's [-2, 2]: action 0.5 must act like torque 1.0.
        var registry = new EnvRegistry();
        using var scaled = new RescaleAction(registry.Make("Pendulum-v1"), -1f, 1f);
        using var plain = registry.Make("Pendulum-v1");
        var a = new float[3];
        var b = new float[3];
        scaled.Reset(a, seed: 3);
        plain.Reset(b, seed: 3);
        var ra = scaled.Step(new[] { 0.5f }, a);
        var rb = plain.Step(new[] { 1.0f }, b);
        a.Should().Equal(b);
        ra.Reward.Should().Be(rb.Reward);
    }

    [Fact]
    public void DisposingAWrapperDisposesTheWrappedEnvironment()
    {
        var inner = new ScriptedEnv([0.0]);
        new RecordEpisodeStatistics(new TimeLimit(inner, 3)).Dispose();
        inner.Disposed.Should().BeTrue();
    }
}
