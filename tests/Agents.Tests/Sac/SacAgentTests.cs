using RlExperiments.Agents.Algorithms.Sac;
using RlExperiments.Agents.Training;
using RlExperiments.Environments;
using RlExperiments.Environments.Spaces;
using static RlExperiments.Agents.Tests.OffPolicyTestEnvs;

namespace RlExperiments.Agents.Tests.Sac;

public sealed class SacAgentTests
{
    private static readonly (Space Obs, Space Act) Pendulum = Spaces("Pendulum-v1");

    private static SacParams Small => new() { BatchSize = 32, LearningStarts = 50, BufferSize = 10_000 };

    [Fact]
    public void RefusesADiscreteActionSpaceNamingIt()
    {
        var (obs, act) = Spaces("CartPole-v1");
        var build = () => new SacAgent(obs, act, new SacParams(), 0);
        build.Should().Throw<ArgumentException>()
            .WithMessage("SAC needs a continuous (Box) action space*Pendulum-v1*got Discrete(2)*DQN*")
            .And.ParamName.Should().Be("actionSpace");
    }

    [Fact]
    public void RefusesAnUnboundedActionBox()
    {
        var build = () => new SacAgent(new Box(-1f, 1f, 3), new Box(float.NegativeInfinity, float.PositiveInfinity, 1), new SacParams(), 0);
        build.Should().Throw<ArgumentException>().WithMessage("*bounds*finite*");
    }

    public static TheoryData<string, SacParams> InvalidParams => new()
    {
        { "LearningRate", new SacParams { LearningRate = 0 } },
        { "Tau", new SacParams { Tau = 1.5 } },
        { "BatchSize", new SacParams { BatchSize = -1 } },
        { "EntCoef", new SacParams { EntCoef = 0 } },
        { "GradientSteps", new SacParams { GradientSteps = -5 } },
        { "TargetEntropy", new SacParams { TargetEntropy = double.NaN } },
    };

    [Theory]
    [MemberData(nameof(InvalidParams))]
    public void RejectsInvalidParamsNamingTheFieldAndRange(string field, SacParams p)
    {
        var build = () => new SacAgent(Pendulum.Obs, Pendulum.Act, p, 0);
        var e = build.Should().Throw<ArgumentOutOfRangeException>().Which;
        e.ParamName.Should().Be(field);
        e.Message.Should().Contain($"SacParams.{field} must be");
    }

    [Fact]
    public void DefaultsFollowSb3()
    {
        var agent = new SacAgent(Pendulum.Obs, Pendulum.Act, new SacParams(), 0);
        agent.TargetEntropy.Should().Be(-1, "−dim(A) for Pendulum's 1-D action");
        agent.Alpha.Should().Be(1, "SB3's 'auto' starts α at 1");
        agent.Actor.StateDict().Keys.Should().BeEquivalentTo(
            "latent_pi.0.weight", "latent_pi.0.bias", "latent_pi.2.weight", "latent_pi.2.bias", "mu.weight", "mu.bias", "log_std.weight", "log_std.bias");
        agent.Actor.StateDict()["latent_pi.0.weight"].ShapeString.Should().Be("[256, 3]");
        agent.Critic.StateDict().Keys.Should().Contain(["qf0.0.weight", "qf1.4.bias"]);
        agent.Critic.StateDict()["qf0.0.weight"].ShapeString.Should().Be("[256, 4]");
        Weights([agent.CriticTarget]).Should().Equal(Weights([agent.Critic]));
        agent.Networks.Keys.Should().Equal("actor");
    }

    [Fact]
    public void ActionsAreSquashedThenRescaledToTheBoxBounds()
    {
        var box = new Box([-2f, 0f], [2f, 10f]);
        var agent = new SacAgent(new Box(-5f, 5f, 3), box, Small, 0, createActor: Net.TanhActor(new Box(-5f, 5f, 3), box, [16, 16]), createCritic: Net.TwinQ(new Box(-5f, 5f, 3), box, [16, 16]));
        var rng = new RlExperiments.Core.Rng(1);
        var obs = new float[3 * 64];
        rng.FillNormal(obs, 0, 3);
        var env = new float[2 * 64];
        var buf = new float[2 * 64];
        foreach (var random in new[] { true, false })
        {
            agent.Explore(obs, env, buf, uniformRandom: random);
            for (var i = 0; i < env.Length; i++)
            {
                buf[i].Should().BeInRange(-1f, 1f);
                var j = i % 2;
                env[i].Should().BeApproximately(box.Low[j] + (buf[i] + 1f) * 0.5f * (box.High[j] - box.Low[j]), 1e-5f);
            }
        }
        agent.Act(obs, env, deterministic: true);
        box.Contains(env.AsSpan(0, 2)).Should().BeTrue();
        var again = new float[env.Length];
        agent.Act(obs, again, deterministic: true);
        again.Should().Equal(env, "the deterministic action is tanh(μ), rescaled");
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, false)]
    public void TargetCriticsArePolyakAveragedEveryTargetUpdateInterval(int interval, bool expectUpdate)
    {
        var agent = new SacAgent(Pendulum.Obs, Pendulum.Act, Small with { Tau = 0.25, TargetUpdateInterval = interval }, 0, createActor: Net.TanhActor(Pendulum.Obs, Pendulum.Act, [16, 16]), createCritic: Net.TwinQ(Pendulum.Obs, Pendulum.Act, [16, 16]));
        Fill(agent, 64);
        var targetBefore = Weights([agent.CriticTarget]);
        agent.Update(64, gradientStep: 1);
        var critic = Weights([agent.Critic]);
        var target = Weights([agent.CriticTarget]);
        critic.Should().NotEqual(targetBefore, "the critics took a gradient step");
        if (!expectUpdate)
        {
            target.Should().Equal(targetBefore);
            return;
        }
        for (var i = 0; i < target.Length; i++)
            target[i].Should().BeApproximately(targetBefore[i] + 0.25f * (critic[i] - targetBefore[i]), 1e-6f);
    }

    [Fact]
    public void AFixedEntropyCoefficientStaysFixedAndTheAutomaticOneMoves()
    {
        var fixedAlpha = new SacAgent(Pendulum.Obs, Pendulum.Act, Small with { AutoEntCoef = false, EntCoef = 0.2 }, 0, createActor: Net.TanhActor(Pendulum.Obs, Pendulum.Act, [16, 16]), createCritic: Net.TwinQ(Pendulum.Obs, Pendulum.Act, [16, 16]));
        var auto = new SacAgent(Pendulum.Obs, Pendulum.Act, Small, 0, createActor: Net.TanhActor(Pendulum.Obs, Pendulum.Act, [16, 16]), createCritic: Net.TwinQ(Pendulum.Obs, Pendulum.Act, [16, 16]));
        Fill(fixedAlpha, 64);
        Fill(auto, 64);
        for (var g = 1; g <= 5; g++)
        {
            fixedAlpha.Update(64, g);
            auto.Update(64, g);
        }
        fixedAlpha.Alpha.Should().BeApproximately(0.2, 1e-7);
        fixedAlpha.Optimizers.Alpha.Should().BeNull();
        auto.Alpha.Should().NotBe(1.0);
        // Adam moves log α by about lr per step: five steps of 3e-4.
        Math.Abs(Math.Log(auto.Alpha)).Should().BeApproximately(5 * 3e-4, 2e-4);
        auto.Critic.Parameters().Should().OnlyContain(p => p.RequiresGrad, "the critics are unfrozen after the actor step");
    }

    [Fact]
    public void LearnsPendulum()
    {
        // The zoo's Pendulum preset (lr 1e-3, SB3 defaults) with [64, 64] networks and a 5k-step budget. Over seeds 0–4
        // the final returns were about −100, −790, −180, −125, −170; random play scores about −1200.
        var agent = new SacAgent(Pendulum.Obs, Pendulum.Act, SacPresets.PendulumV1.Params with { }, seed: 0, createActor: Net.TanhActor(Pendulum.Obs, Pendulum.Act, [64, 64]), createCritic: Net.TwinQ(Pendulum.Obs, Pendulum.Act, [64, 64]));
        var (result, eval) = TrainAndEvaluate(agent, "Pendulum-v1", 5000, seed: 0);
        result.GradientSteps.Should().Be(4900);
        eval.Mean.Should().BeGreaterThan(-800, "SAC should clearly beat random play (≈ −1200) on Pendulum within 5k steps");
    }

    [Fact]
    public void SameSeedGivesIdenticalRuns()
    {
        (double, float[]) Run(int seed)
        {
            var agent = new SacAgent(Pendulum.Obs, Pendulum.Act, Small, seed, numEnvs: 2, createActor: Net.TanhActor(Pendulum.Obs, Pendulum.Act, [16, 16]), createCritic: Net.TwinQ(Pendulum.Obs, Pendulum.Act, [16, 16]));
            using var train = EnvRegistry.Default.MakeVec("Pendulum-v1", 2);
            using var test = EnvRegistry.Default.MakeVec("Pendulum-v1", 1);
            var r = new OffPolicyTrainer(agent, train, test, new TrainerConfig(1, 400, NumTestEpisodes: 1), TestEnvSeeds.For(seed, train, test)).Run();
            return (r.LastTestReturn, Weights([agent.Actor, agent.Critic, agent.CriticTarget]));
        }
        var (ra, wa) = Run(5);
        var (rb, wb) = Run(5);
        var (_, wc) = Run(6);
        rb.Should().Be(ra);
        wb.Should().Equal(wa);
        wc.Should().NotEqual(wa);
    }

    [Fact]
    public void TrainingIsIdenticalOnOneAndTwoThreads()
    {
        // The critics' passes run one per core with two threads (TwinCriticPasses): the whole run must not change a bit.
        float[] Run(int threads)
        {
            int saved = RlExperiments.Tensors.GemmThreading.ThreadCount;
            RlExperiments.Tensors.GemmThreading.ThreadCount = threads;
            try
            {
                var agent = new SacAgent(Pendulum.Obs, Pendulum.Act, Small, 9, createActor: Net.TanhActor(Pendulum.Obs, Pendulum.Act, [32, 32]), createCritic: Net.TwinQ(Pendulum.Obs, Pendulum.Act, [32, 32]));
                using var train = EnvRegistry.Default.MakeVec("Pendulum-v1", 1);
                new OffPolicyTrainer(agent, train, null, new TrainerConfig(1, 600, NumTestEpisodes: 0), TestEnvSeeds.For(9, train, null)).Run();
                return Weights([agent.Actor, agent.Critic, agent.CriticTarget]);
            }
            finally
            {
                RlExperiments.Tensors.GemmThreading.ThreadCount = saved;
            }
        }
        Run(2).Should().Equal(Run(1));
    }

    [Fact]
    public void NonFiniteCriticLossThrowsBeforeTheCriticsChange()
    {
        var agent = new SacAgent(Pendulum.Obs, Pendulum.Act, Small with { BatchSize = 4, AutoEntCoef = false }, 0, createActor: Net.TanhActor(Pendulum.Obs, Pendulum.Act, [16, 16]), createCritic: Net.TwinQ(Pendulum.Obs, Pendulum.Act, [16, 16]));
        agent.Buffer.Add([1, 0, 0], [0.5f], [float.NaN], [1, 0, 0], [false], [false]);
        var critic = Weights([agent.Critic]);
        var update = () => agent.Update(10, 3);
        var e = update.Should().Throw<NonFiniteException>().Which;
        e.Quantity.Should().Be("train/critic_loss");
        e.GradientStep.Should().Be(3);
        Weights([agent.Critic]).Should().Equal(critic);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ActingAndUpdatingAllocateNothingInSteadyState(bool autoEntCoef)
    {
        var agent = new SacAgent(Pendulum.Obs, Pendulum.Act, Small with { AutoEntCoef = autoEntCoef, MaxGradNorm = 1 }, 0, createActor: Net.TanhActor(Pendulum.Obs, Pendulum.Act, [16, 16]), createCritic: Net.TwinQ(Pendulum.Obs, Pendulum.Act, [16, 16]));
        using var train = EnvRegistry.Default.MakeVec("Pendulum-v1", 1);
        using var test = EnvRegistry.Default.MakeVec("Pendulum-v1", 1);
        long start = -1, end = -1;
        var callbacks = new TrainerCallbacks
        {
            OnEpochTrain = (epoch, _) => { if (epoch == 3) start = GC.GetAllocatedBytesForCurrentThread(); },
            OnEpochTest = (epoch, _) => { if (epoch == 3) end = GC.GetAllocatedBytesForCurrentThread(); },
        };
        new OffPolicyTrainer(agent, train, test, new TrainerConfig(3, 400, NumTestEpisodes: 1), TestEnvSeeds.For(0, train, test), callbacks).Run();
        (end - start).Should().Be(0, "400 env steps of acting, storing and updating (epoch 3) should allocate nothing");
    }

    private static void Fill(SacAgent agent, int n)
    {
        var rng = new RlExperiments.Core.Rng(11);
        var obs = new float[3];
        var next = new float[3];
        for (var i = 0; i < n; i++)
        {
            rng.FillNormal(obs);
            rng.FillNormal(next);
            agent.Buffer.Add(obs, [rng.NextFloat() * 2 - 1], [-rng.NextFloat()], next, [false], [false]);
        }
    }
}
