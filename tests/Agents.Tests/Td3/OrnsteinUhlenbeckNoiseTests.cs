using RlExperiments.Agents.Algorithms.Td3;
using RlExperiments.Agents.ContinuousControl;
using RlExperiments.Environments.Spaces;
using static RlExperiments.Agents.Tests.OffPolicyTestEnvs;

namespace RlExperiments.Agents.Tests.Td3;

/// <summary>TD3's Ornstein–Uhlenbeck exploration noise (SB3's <c>OrnsteinUhlenbeckActionNoise</c>): the recurrence, the reset at episode end, the checkpoint.</summary>
public sealed class OrnsteinUhlenbeckNoiseTests : IDisposable
{
    private static readonly (Space Obs, Space Act) MountainCar = Spaces("MountainCarContinuous-v0");
    private static readonly float[] Obs = [-0.5f, 0.01f];
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ou-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static Td3Agent Agent() => new(MountainCar.Obs, MountainCar.Act,
        new Td3Params { ExplorationNoise = 0.5, NoiseType = ExplorationNoiseType.OrnsteinUhlenbeck, BufferSize = 100 }, seed: 3,
        createActor: Net.Deterministic(MountainCar.Obs, MountainCar.Act, [16]), createCritic: Net.TwinQ(MountainCar.Obs, MountainCar.Act, [16]));

    /// <summary>Explores one step from <see cref="Obs"/> and returns the noise x = a − μ(s) (the Box is [−1, 1], so no rescaling).</summary>
    private static float Noise(Td3Agent agent)
    {
        var mu = new float[1];
        agent.Act(Obs, mu, deterministic: true);
        var env = new float[1];
        var buf = new float[1];
        agent.Explore(Obs, env, buf, uniformRandom: false);
        return buf[0] - mu[0];
    }

    private static void Step(Td3Agent agent, bool episodeEnds)
    {
        agent.Buffer.Add(Obs, [0f], [0f], Obs, [episodeEnds], [false]);
        agent.OnEnvSteps(agent.Buffer.Count, 1000);
    }

    [Fact]
    public void TheNoiseDecaysTowardsZeroAndRestartsFromZeroWhenTheEpisodeEnds()
    {
        // Same seed, same draws ε₁, ε₂: x₁ = σ√dt ε₁ in both; the agent whose episode ended restarts at 0, so
        // x₂(reset) = σ√dt ε₂ and x₂(continued) = x₁(1 − θ dt) + σ√dt ε₂, hence x₂(continued) − x₂(reset) = 0.9985 x₁.
        var reset = Agent();
        var continued = Agent();
        var x1 = Noise(reset);
        Noise(continued).Should().Be(x1);
        x1.Should().NotBe(0f);
        Step(reset, episodeEnds: true);
        Step(continued, episodeEnds: false);
        var x2Reset = Noise(reset);
        var x2Continued = Noise(continued);
        (x2Continued - x2Reset).Should().BeApproximately(0.9985f * x1, 1e-5f);
    }

    [Fact]
    public void TheNoiseStateIsCheckpointed()
    {
        var agent = Agent();
        for (var i = 0; i < 5; i++)
        {
            Noise(agent);
            Step(agent, episodeEnds: false);
        }
        agent.SaveCheckpoint(_dir);
        var expected = Noise(agent);
        var restored = Agent();
        restored.LoadCheckpoint(_dir);
        Noise(restored).Should().Be(expected);
    }
}
