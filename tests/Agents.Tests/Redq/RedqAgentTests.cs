using RlExperiments.Agents.Algorithms.Redq;
using RlExperiments.Agents.Training;
using RlExperiments.Environments;
using RlExperiments.Environments.Spaces;
using static RlExperiments.Agents.Tests.OffPolicyTestEnvs;
using static RlExperiments.Agents.Tests.Td3.Td3AgentTests;

namespace RlExperiments.Agents.Tests.Redq;

public sealed class RedqAgentTests
{
    private static readonly (Space Obs, Space Act) Pendulum = Spaces("Pendulum-v1");

    private static RedqParams Small => new() { BatchSize = 32, LearningStarts = 50, BufferSize = 10_000, EnsembleSize = 4, GradientSteps = 2, ActorDelay = 2 };

    [Fact]
    public void RefusesADiscreteActionSpaceNamingIt()
    {
        var (obs, act) = Spaces("CartPole-v1");
        var build = () => new RedqAgent(obs, act, new RedqParams(), 0);
        build.Should().Throw<ArgumentException>()
            .WithMessage("REDQ needs a continuous (Box) action space*got Discrete(2)*discrete SAC*")
            .And.ParamName.Should().Be("actionSpace");
    }

    [Theory]
    [InlineData("SubsetSize")]
    [InlineData("EnsembleSize")]
    [InlineData("ActorDelay")]
    [InlineData("TargetMode")]
    public void RejectsInvalidParamsNamingTheField(string field)
    {
        var p = field switch
        {
            "SubsetSize" => new RedqParams { EnsembleSize = 3, SubsetSize = 4 },
            "EnsembleSize" => new RedqParams { EnsembleSize = 0 },
            "ActorDelay" => new RedqParams { ActorDelay = 0 },
            _ => new RedqParams { TargetMode = (RedqTargetMode)7 },
        };
        var e = p.Invoking(x => x.Validate()).Should().Throw<ArgumentOutOfRangeException>().Which;
        e.ParamName.Should().Be(field);
        e.Message.Should().Contain($"RedqParams.{field} must be");
    }

    [Fact]
    public void DefaultsFollowTianshouAndThePaper()
    {
        var p = new RedqParams();
        (p.EnsembleSize, p.SubsetSize, p.ActorDelay, p.TargetMode, p.GradientSteps).Should().Be((10, 2, 20, RedqTargetMode.Min, 20));
        (p.ActorLearningRate, p.CriticLearningRate, p.AlphaLearningRate, p.Tau, p.Gamma, p.AutoAlpha).Should().Be((1e-3, 1e-3, 3e-4, 0.005, 0.99, true));
        var agent = new RedqAgent(Pendulum.Obs, Pendulum.Act, p with { BufferSize = 100 }, 0);
        agent.Critic.StateDict()["0.weight"].ShapeString.Should().Be("[10, 256, 4]", "one batched weight per layer for the whole ensemble");
        agent.Critic.StateDict()["2.weight"].ShapeString.Should().Be("[10, 1, 256]");
        agent.TargetEntropy.Should().Be(-1);
        agent.Alpha.Should().Be(1.0, "log α starts at 0");
        Weights([agent.CriticTarget]).Should().Equal(Weights([agent.Critic]));
    }

    [Theory]
    // Q'₀ = 3, Q'₁ = −1, Q'₂ = 7 for the first row; 0.5, 2, 4 for the second.
    // Subset {0, 1}, min: row 0 min(3, −1) = −1, y = 1 + 0.9·(−1 − 0.5·(−2)) = 1; row 1 (terminal) y = 2.
    [InlineData(RedqTargetMode.Min, new[] { 0, 1 }, 1.0, 2.0)]
    // Subset {2, 0}, min: row 0 min(7, 3) = 3, y = 1 + 0.9·(3 + 1) = 4.6.
    [InlineData(RedqTargetMode.Min, new[] { 2, 0 }, 4.6, 2.0)]
    // Subset {0, 1, 2}, mean: row 0 (3 − 1 + 7)/3 = 3, y = 1 + 0.9·4 = 4.6.
    [InlineData(RedqTargetMode.Mean, new[] { 0, 1, 2 }, 4.6, 2.0)]
    // Subset {1, 2}, mean: row 0 (−1 + 7)/2 = 3 → 4.6; the terminal row ignores Q' and the entropy term.
    [InlineData(RedqTargetMode.Mean, new[] { 1, 2 }, 4.6, 2.0)]
    public void SubsetTargetTakesTheMinOrMeanOfTheChosenMembersOnly(RedqTargetMode mode, int[] subset, double y0, double y1)
    {
        float[] qNext = [3, 0.5f, -1, 2, 7, 4];                // [3 members, 2 rows], member-major
        var y = new float[2];
        RedqAgent.SubsetTarget(qNext, 3, subset, mode, nextLogPi: [-2, -3], alpha: 0.5f,
            rewards: [1, 2], discounts: [0.9f, 0.9f], dones: [0, 1], y);
        y[0].Should().BeApproximately((float)y0, 1e-5f);
        y[1].Should().BeApproximately((float)y1, 1e-5f);
    }

    // Linear ensemble of two members on Pendulum's spaces, α fixed at 0, one transition (r = 0.5, γ = 0.9):
    // targets Q'₀ = 3, Q'₁ = 1 (biases), online Q₀ = 1, Q₁ = −1.
    private static RedqAgent HandBuilt(RedqTargetMode mode, bool terminated)
    {
        var agent = new RedqAgent(Pendulum.Obs, Pendulum.Act,
            new RedqParams { BatchSize = 1, BufferSize = 10, Gamma = 0.9, EnsembleSize = 2, SubsetSize = 2, AutoAlpha = false, Alpha = 0, TargetMode = mode }, 0, createActor: Net.TanhActor(Pendulum.Obs, Pendulum.Act, [16]), createCritic: Net.Ensemble(Pendulum.Obs, Pendulum.Act, 2, [16]));
        foreach (var (critic, b0, b1) in new[] { (agent.CriticTarget, 3f, 1f), (agent.Critic, 1f, -1f) })
        {
            critic.NamedParameters().Single(x => x.Name == "1.weight").Parameter.Data.Clear();
            Set(critic, "1.bias", b0, b1);                                     // the output layer: Qᵢ = bᵢ for every input
        }
        agent.Buffer.Add([1, 0, 0.5f], [0.3f], [0.5f], [0, 1, -1], [terminated], [false]);
        return agent;
    }

    [Theory]
    // min: y = 0.5 + 0.9·min(3, 1) = 1.4; J = mean((1 − 1.4)², (−1 − 1.4)²) = (0.16 + 5.76)/2.
    [InlineData(RedqTargetMode.Min, false, 2.96)]
    // mean: y = 0.5 + 0.9·2 = 2.3; J = (1.69 + 10.89)/2.
    [InlineData(RedqTargetMode.Mean, false, 6.29)]
    // terminal: y = 0.5; J = (0.25 + 2.25)/2.
    [InlineData(RedqTargetMode.Min, true, 1.25)]
    public void CriticLossIsTheEnsembleMeanSquaredErrorAgainstTheSubsetTarget(RedqTargetMode mode, bool terminated, double expected)
    {
        var agent = HandBuilt(mode, terminated);
        agent.Update(1, gradientStep: 1).Loss.Should().BeApproximately(expected, 1e-4);
    }

    [Fact]
    public void TheSubsetIsRedrawnEveryStepWithoutReplacement()
    {
        // Three target members answering 0, 10 and 20 everywhere, online critics 0, learning rates ≈ 0, r = 0, γ = 1:
        // each step's loss is mean over members of y², y the subset's aggregate. M = 1 must visit every member; M = 2 with
        // min never yields 20 (two distinct members always include a smaller one), so the loss is 0 or 100, both seen.
        foreach (var (m, allowed) in new[] { (1, new[] { 0.0, 100.0, 400.0 }), (2, new[] { 0.0, 100.0 }) })
        {
            var agent = new RedqAgent(Pendulum.Obs, Pendulum.Act, new RedqParams
            { BatchSize = 1, BufferSize = 10, Gamma = 1, EnsembleSize = 3, SubsetSize = m, AutoAlpha = false, Alpha = 0,
                CriticLearningRate = 1e-12, ActorLearningRate = 1e-12, Tau = 1e-12, ActorDelay = 1000 }, 3, createActor: Net.TanhActor(Pendulum.Obs, Pendulum.Act, [4]), createCritic: Net.Ensemble(Pendulum.Obs, Pendulum.Act, 3, [4]));
            foreach (var (critic, b) in new[] { (agent.CriticTarget, new[] { 0f, 10f, 20f }), (agent.Critic, new[] { 0f, 0f, 0f }) })
            {
                critic.NamedParameters().Single(x => x.Name == "1.weight").Parameter.Data.Clear();
                Set(critic, "1.bias", b);
            }
            agent.Buffer.Add([1, 0, 0], [0.1f], [0], [0, 1, 0], [false], [false]);
            var seen = new HashSet<double>();
            for (var g = 1; g <= 60; g++) seen.Add(Math.Round(agent.Update(1, g).Loss, 2));   // every member: (0 − y)² = y²
            seen.Should().BeEquivalentTo(allowed, $"M = {m}");
        }
    }

    [Fact]
    public void TheActorAndAlphaUpdateExactlyEveryActorDelayCriticStepsAndTheTargetsEveryStep()
    {
        var agent = new RedqAgent(Pendulum.Obs, Pendulum.Act, Small with { ActorDelay = 3, Tau = 0.25 }, 0, createActor: Net.TanhActor(Pendulum.Obs, Pendulum.Act, [16, 16]), createCritic: Net.Ensemble(Pendulum.Obs, Pendulum.Act, 4, [16, 16]));
        Fill(agent, 64);
        var actorUpdates = new List<long>();
        for (long g = 1; g <= 9; g++)
        {
            var actor = Weights([agent.Actor]);
            var target = Weights([agent.CriticTarget]);
            var alpha = agent.Alpha;
            agent.Update(64, g);
            Weights([agent.CriticTarget]).Should().NotEqual(target, "the targets follow every critic step");
            var actorMoved = !Weights([agent.Actor]).SequenceEqual(actor);
            (agent.Alpha != alpha).Should().Be(actorMoved, $"α steps with the actor (step {g})");
            if (actorMoved) actorUpdates.Add(g);
        }
        actorUpdates.Should().Equal(3, 6, 9);
        agent.Critic.Parameters().Should().OnlyContain(p => p.RequiresGrad, "the critics are unfrozen after the actor step");
    }

    [Fact]
    public void LearnsPendulum()
    {
        // The Pendulum preset (Tianshou's test_redq.py settings, N = 10) for 5k steps instead of 10k. Measured, seed 0: −198
        // (the full 10k-step preset over seeds 0–4: −187, −112, −133, −122, −146); random play scores about −1200.
        var p = RedqPresets.PendulumV1.Params;
        var agent = new RedqAgent(Pendulum.Obs, Pendulum.Act, p, seed: 0);
        var (result, eval) = TrainAndEvaluate(agent, "Pendulum-v1", 5000, seed: 0);
        result.GradientSteps.Should().Be(3 * (5000 - p.LearningStarts));
        eval.Mean.Should().BeGreaterThan(-500, "REDQ should clearly beat random play (≈ −1200) on Pendulum within 5k steps");
    }

    [Fact]
    public void SameSeedGivesIdenticalRuns()
    {
        (double, float[]) Run(int seed)
        {
            var agent = new RedqAgent(Pendulum.Obs, Pendulum.Act, Small, seed, numEnvs: 2, createActor: Net.TanhActor(Pendulum.Obs, Pendulum.Act, [16, 16]), createCritic: Net.Ensemble(Pendulum.Obs, Pendulum.Act, 4, [16, 16]));
            using var train = EnvRegistry.Default.MakeVec("Pendulum-v1", 2);
            using var test = EnvRegistry.Default.MakeVec("Pendulum-v1", 1);
            var r = new OffPolicyTrainer(agent, train, test, new TrainerConfig(1, 300, NumTestEpisodes: 1), TestEnvSeeds.For(seed, train, test)).Run();
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
    public void NonFiniteCriticLossThrowsBeforeTheCriticsChange()
    {
        var agent = new RedqAgent(Pendulum.Obs, Pendulum.Act, Small with { BatchSize = 4 }, 0, createActor: Net.TanhActor(Pendulum.Obs, Pendulum.Act, [16, 16]), createCritic: Net.Ensemble(Pendulum.Obs, Pendulum.Act, 4, [16, 16]));
        agent.Buffer.Add([1, 0, 0], [0.5f], [float.NaN], [1, 0, 0], [false], [false]);
        var critic = Weights([agent.Critic]);
        var update = () => agent.Update(10, 3);
        var e = update.Should().Throw<NonFiniteException>().Which;
        e.Quantity.Should().Be("train/critic_loss");
        e.GradientStep.Should().Be(3);
        Weights([agent.Critic]).Should().Equal(critic);
    }

    [Fact]
    public void ActingAndUpdatingAllocateNothingInSteadyState()
    {
        var agent = new RedqAgent(Pendulum.Obs, Pendulum.Act, Small, 0, createActor: Net.TanhActor(Pendulum.Obs, Pendulum.Act, [16, 16]), createCritic: Net.Ensemble(Pendulum.Obs, Pendulum.Act, 4, [16, 16]));
        using var train = EnvRegistry.Default.MakeVec("Pendulum-v1", 1);
        using var test = EnvRegistry.Default.MakeVec("Pendulum-v1", 1);
        long start = -1, end = -1;
        var callbacks = new TrainerCallbacks
        {
            OnEpochTrain = (epoch, _) => { if (epoch == 3) start = GC.GetAllocatedBytesForCurrentThread(); },
            OnEpochTest = (epoch, _) => { if (epoch == 3) end = GC.GetAllocatedBytesForCurrentThread(); },
        };
        new OffPolicyTrainer(agent, train, test, new TrainerConfig(3, 300, NumTestEpisodes: 1), TestEnvSeeds.For(0, train, test), callbacks).Run();
        (end - start).Should().Be(0, "300 env steps of acting, storing and 600 critic / 300 actor updates (epoch 3) should allocate nothing");
    }

    private static void Fill(IOffPolicyAgent agent, int n)
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
