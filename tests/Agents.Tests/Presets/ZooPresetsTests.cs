using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Algorithms.Npg;
using RlExperiments.Agents.Algorithms.Sac;
using RlExperiments.Agents.Algorithms.Trpo;
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
        c.NetArch.Should().Equal(256, 256);

        var a = DqnPresets.For("Acrobot-v1");
        (a.TotalTimesteps, a.Params.LearningRate, a.Params.BatchSize, a.Params.BufferSize, a.Params.LearningStarts, a.Params.Gamma,
            a.Params.TargetUpdateInterval, a.Params.TrainFreq, a.Params.GradientSteps, a.Params.ExplorationFraction, a.Params.ExplorationFinalEps)
            .Should().Be((100_000L, 6.3e-4, 128, 50_000, 0, 0.99, 250, 4, -1, 0.12, 0.1));

        var m = DqnPresets.For("MountainCar-v0");
        (m.TotalTimesteps, m.Params.LearningRate, m.Params.BatchSize, m.Params.BufferSize, m.Params.LearningStarts, m.Params.Gamma,
            m.Params.TargetUpdateInterval, m.Params.TrainFreq, m.Params.GradientSteps, m.Params.ExplorationFraction, m.Params.ExplorationFinalEps)
            .Should().Be((120_000L, 4e-3, 128, 10_000, 1000, 0.98, 600, 16, 8, 0.2, 0.07));

        // Each preset names its algorithm and environment (For finds them by EnvId; All lists them in this order).
        DqnPresets.All.Select(p => (p.Algorithm, p.EnvId)).Should().Equal(("DQN", "CartPole-v1"), ("DQN", "Acrobot-v1"), ("DQN", "MountainCar-v0"));
        DqnPresets.CartPoleV1.Should().BeSameAs(c);
        DqnPresets.AcrobotV1.Should().BeSameAs(a);
        DqnPresets.MountainCarV0.Should().BeSameAs(m);

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
        s.Params.Should().Be(new SacParams { LearningRate = 1e-3 });
        s.NetArch.Should().BeNull("the zoo keeps SB3's default [256, 256] networks");
        (s.Params.BatchSize, s.Params.BufferSize, s.Params.LearningStarts, s.Params.Tau, s.Params.Gamma, s.Params.AutoEntCoef)
            .Should().Be((256, 1_000_000, 100, 0.005, 0.99, true));
    }

    [Fact]
    public void TrpoPresetsMatchTheZoosYamlOverSb3ContribDefaults()
    {
        // trpo.yml CartPole-v1: n_envs 2, n_timesteps 1e5, n_steps 512, batch_size 512, cg_damping 1e-3, gae_lambda 0.98,
        // gamma 0.99, learning_rate 1e-3, n_critic_updates 20; Pendulum-v1: n_envs 2, n_steps 1024, gamma 0.9, n_critic_updates 15.
        var c = TrpoPresets.For("CartPole-v1");
        (c.NumEnvs, c.TotalTimesteps, c.Params.NumSteps, c.Params.CriticBatchSize, c.Params.CgDamping, c.Params.GaeLambda, c.Params.Gamma,
            c.Params.LearningRate, c.Params.OptimCriticIters).Should().Be((2, 100_000L, 512, (int?)512, 1e-3, 0.98, 0.99, 1e-3, 20));
        var p = TrpoPresets.For("Pendulum-v1");
        (p.NumEnvs, p.TotalTimesteps, p.Params.NumSteps, p.Params.CriticBatchSize, p.Params.CgDamping, p.Params.GaeLambda, p.Params.Gamma,
            p.Params.LearningRate, p.Params.OptimCriticIters).Should().Be((2, 100_000L, 1024, (int?)128, 0.1, 0.95, 0.9, 1e-3, 15));

        // What the zoo leaves out is sb3-contrib's TRPO default: one actor step on the whole rollout, cg_max_steps 15,
        // line search 0.8 × 10 under target_kl 0.01, advantages normalised, 64-64 Tanh.
        foreach (var t in TrpoPresets.All)
        {
            (t.Params.BatchSize, t.Params.UpdateEpochs, t.Params.CgIterations, t.Params.BacktrackCoeff, t.Params.MaxBacktracks, t.Params.MaxKl,
                t.Params.NormalizeAdvantage, t.Params.NormalizeObservations)
                .Should().Be(((int?)null, 1, 15, 0.8, 10, 0.01, true, false));
            t.NetArch.Should().BeNull("sb3-contrib's default 64-64 Tanh networks");
        }
    }

    [Fact]
    public void NpgPresetsMatchTianshousScripts()
    {
        // test/continuous/test_npg.py: 16 envs × 2048 steps per collect, repeat 2, whole batch, gamma 0.95, critic 5, step 0.5.
        var c = NpgPresets.For("CartPole-v1");
        (c.NumEnvs, c.Params.NumSteps * c.NumEnvs, c.Params.UpdateEpochs, c.Params.BatchSize, c.Params.Gamma, c.Params.GaeLambda,
            c.Params.OptimCriticIters, c.Params.TrustRegionSize, c.Params.NormalizeRewards).Should().Be((16, 2048, 2, (int?)null, 0.95, 0.95, 5, 0.5, true));
        // examples/mujoco/mujoco_npg.py: 16 envs × 1024 steps per collect, repeat 1, gamma 0.99, critic 20, step 0.1, obs norm, sigma −0.5.
        var p = NpgPresets.For("Pendulum-v1");
        (p.NumEnvs, p.Params.NumSteps * p.NumEnvs, p.Params.UpdateEpochs, p.Params.BatchSize, p.Params.Gamma, p.Params.GaeLambda,
            p.Params.OptimCriticIters, p.Params.TrustRegionSize, p.Params.NormalizeObservations, p.Params.LogStdInit)
            .Should().Be((16, 1024, 1, (int?)null, 0.99, 0.95, 20, 0.1, true, -0.5));
    }

    [Fact]
    public void EveryPresetBuildsAnAgentForItsEnvironment()
    {
        foreach (var p in TrpoPresets.All)
        {
            using var env = EnvRegistry.Default.Make(p.EnvId);
            _ = new TrpoAgent(env.ObservationSpace, env.ActionSpace, p.Params, 0);
        }
        foreach (var p in NpgPresets.All)
        {
            using var env = EnvRegistry.Default.Make(p.EnvId);
            _ = new NpgAgent(env.ObservationSpace, env.ActionSpace, p.Params, 0);
        }
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
