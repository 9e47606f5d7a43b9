namespace RlExperiments.Environments.Tests;

public class SeedingTests
{
    public static TheoryData<string> Ids => new() { "CartPole-v1", "Acrobot-v1", "MountainCar-v0", "MountainCarContinuous-v0", "Pendulum-v1" };

    private static List<float[]> Rollout(string id, int seed, int steps)
    {
        using var env = new EnvRegistry().Make(id);
        var obs = new float[env.ObservationSize];
        var trajectory = new List<float[]>();
        env.Reset(obs, seed);
        trajectory.Add(obs.ToArray());
        var continuous = env.ActionSpace is Spaces.Box;
        for (var t = 0; t < steps; t++)
        {
            var result = continuous ? env.Step(new[] { (float)Math.Sin(t) }, obs) : env.Step(t % 2, obs);
            trajectory.Add(obs.ToArray());
            if (result.Done)
            {
                env.Reset(obs); // unseeded: continues the generator
                trajectory.Add(obs.ToArray());
            }
        }
        return trajectory;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void SameSeedSameTrajectoryDifferentSeedsDiffer(string id)
    {
        var a = Rollout(id, 42, 300);
        var b = Rollout(id, 42, 300);
        a.Should().HaveSameCount(b);
        for (var i = 0; i < a.Count; i++)
            a[i].Should().Equal(b[i], $"row {i}");

        var c = Rollout(id, 43, 300);
        c[0].Should().NotEqual(a[0]);
    }

    [Fact]
    public void ReseedingRestartsTheSameStreamAndUnseededResetContinuesIt()
    {
        using var env = new EnvRegistry().Make("CartPole-v1");
        var obs = new float[4];
        env.Reset(obs, seed: 7);
        var first = obs.ToArray();
        env.Reset(obs);
        var second = obs.ToArray();
        second.Should().NotEqual(first);
        env.Reset(obs, seed: 7);
        obs.Should().Equal(first);
        env.Reset(obs);
        obs.Should().Equal(second);
    }
}
