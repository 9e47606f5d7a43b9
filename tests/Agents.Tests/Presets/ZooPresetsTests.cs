using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Algorithms.Sac;
using RlExperiments.Environments;

namespace RlExperiments.Agents.Tests.Presets;

public sealed class ZooPresetsTests
{
    [Fact]
    public void DqnPresetsMatchTheZoosYaml()
    {
        var c = DqnPresets.For("CartPole-v1");
        (c.TotalTimesteps, c.Params.LearningRate, c.Params.BatchSize, c.Params.BufferSize, c.Params.LearningStarts, c.Params.Gamma,
            c.Params.TargetUpdateInterval, c.Params.TrainFreq, c.Params.GradientSteps, c.Params.ExplorationFraction, c.Params.ExplorationFinalEps)
            .Should().Be((50_000L, 2.3e-3, 64, 100_000, 1000, 0.99, 10, 256, 128, 0.16, 0.04));
        c.Params.HiddenSizes.Should().Equal(256, 256);

        var a = DqnPresets.For("Acrobot-v1");
        (a.TotalTimesteps, a.Params.LearningRate, a.Params.BatchSize, a.Params.BufferSize, a.Params.LearningStarts, a.Params.Gamma,
            a.Params.TargetUpdateInterval, a.Params.TrainFreq, a.Params.GradientSteps, a.Params.ExplorationFraction, a.Params.ExplorationFinalEps)
            .Should().Be((100_000L, 6.3e-4, 128, 50_000, 0, 0.99, 250, 4, -1, 0.12, 0.1));

        var m = DqnPresets.For("MountainCar-v0");
        (m.TotalTimesteps, m.Params.LearningRate, m.Params.BatchSize, m.Params.BufferSize, m.Params.LearningStarts, m.Params.Gamma,
            m.Params.TargetUpdateInterval, m.Params.TrainFreq, m.Params.GradientSteps, m.Params.ExplorationFraction, m.Params.ExplorationFinalEps)
            .Should().Be((120_000L, 4e-3, 128, 10_000, 1000, 0.98, 600, 16, 8, 0.2, 0.07));

        // Fields the zoo leaves out keep SB3's defaults.
        foreach (var p in DqnPresets.All)
        {
            (p.Params.Tau, p.Params.ExplorationInitialEps, p.Params.MaxGradNorm, p.Params.Loss, p.Params.DoubleDqn, p.Params.NStep)
                .Should().Be((1.0, 1.0, 10.0, DqnLoss.Huber, false, 1));
            p.NumEnvs.Should().Be(1);
        }
    }

    [Fact]
    public void SacPendulumIsSb3DefaultsWithTheZoosLearningRate()
    {
        var s = SacPresets.For("Pendulum-v1");
        s.TotalTimesteps.Should().Be(20_000);
        s.Params.Should().Be(new SacParams { LearningRate = 1e-3, HiddenSizes = s.Params.HiddenSizes });
        s.Params.HiddenSizes.Should().Equal(256, 256);
        (s.Params.BatchSize, s.Params.BufferSize, s.Params.LearningStarts, s.Params.Tau, s.Params.Gamma, s.Params.AutoEntCoef)
            .Should().Be((256, 1_000_000, 100, 0.005, 0.99, true));
    }

    [Fact]
    public void EveryPresetBuildsAnAgentForItsEnvironment()
    {
        foreach (var p in DqnPresets.All)
        {
            using var env = EnvRegistry.Default.Make(p.EnvId);
            _ = new DqnAgent(env.ObservationSpace, env.ActionSpace, p.Params with { BufferSize = 1000 }, 0);
        }
        foreach (var p in SacPresets.All)
        {
            using var env = EnvRegistry.Default.Make(p.EnvId);
            _ = new SacAgent(env.ObservationSpace, env.ActionSpace, p.Params with { BufferSize = 1000 }, 0);
        }
    }

    [Fact]
    public void AMissingPresetListsTheAvailableOnes() =>
        FluentActions.Invoking(() => DqnPresets.For("Pendulum-v1")).Should().Throw<ArgumentException>()
            .WithMessage("*no DQN preset for 'Pendulum-v1'*CartPole-v1, Acrobot-v1, MountainCar-v0*");
}
