using RlExperiments.Agents.Algorithms.DiscreteSac;
using RlExperiments.Agents.Training;
using RlExperiments.Environments;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors;
using static RlExperiments.Agents.Tests.OffPolicyTestEnvs;
using static RlExperiments.Agents.Tests.Td3.Td3AgentTests;

namespace RlExperiments.Agents.Tests.DiscreteSac;

public sealed class DiscreteSacAgentTests
{
    private static readonly (Space Obs, Space Act) CartPole = Spaces("CartPole-v1");

    private static DiscreteSacParams Small => new() { BatchSize = 32, LearningStarts = 50, BufferSize = 10_000 };

    // π = softmax([ln 1, ln 3]) = [0.25, 0.75]; Q₁ = [1, 4], Q₂ = [2, 3], so min(Q₁, Q₂) = [1, 3]; α = 0.5.
    private static Tensor Logits(bool grad = false) => Tensor.From([0f, MathF.Log(3f)], [1, 2], requiresGrad: grad);
    private static readonly Tensor Q1 = Tensor.From([1f, 4f], [1, 2]);
    private static readonly Tensor Q2 = Tensor.From([2f, 3f], [1, 2]);

    [Fact]
    public void SoftValueIsTheExactExpectationOverTheActions()
    {
        // V = 0.25·(1 − 0.5·ln 0.25) + 0.75·(3 − 0.5·ln 0.75) = 0.25·1.693147 + 0.75·3.143841 = 2.781168.
        DiscreteSacLoss.SoftValue(Logits(), Q1, Q2, 0.5f).Item().Should().BeApproximately(2.781168f, 1e-5f);
        // With α = 0 it is Σ π·min Q = 0.25 + 2.25.
        DiscreteSacLoss.SoftValue(Logits(), Q1, Q2, 0f).Item().Should().BeApproximately(2.5f, 1e-6f);
    }

    [Fact]
    public void PolicyLossAndEntropyAreTheExactExpectationsAndTheGradientFavoursTheBetterAction()
    {
        var logits = Logits(grad: true);
        var (loss, entropy) = DiscreteSacLoss.PolicyLoss(logits, Q1, Q2, 0.5f);
        // H = −(0.25 ln 0.25 + 0.75 ln 0.75) = 0.562335; J = −(α H + Σ π min Q) = −(0.281168 + 2.5).
        entropy.Item().Should().BeApproximately(0.562335f, 1e-5f);
        loss.Item().Should().BeApproximately(-2.781168f, 1e-5f);
        loss.Backward();
        // dJ/dz_a = π_a (α(log π_a + H) − (minQ_a − Σ π minQ)): z₀: 0.25·(0.5·(−1.386294 + 0.562335) − (1 − 2.5)) = 0.272005.
        logits.Grad!.Data[0].Should().BeApproximately(0.272005f, 1e-5f);
        logits.Grad!.Data[1].Should().BeApproximately(-0.272005f, 1e-5f, "softmax gradients sum to zero");
    }

    [Fact]
    public void AlphaLossPushesTowardsTheTargetEntropy()
    {
        var logAlpha = Tensor.From([MathF.Log(2f)], [1], requiresGrad: true);
        // H̄ = −ln 2 (coefficient −1, |A| = 2), H = 0.562335: J = −ln 2·(−0.693147 − 0.562335) = 0.870234.
        var loss = DiscreteSacLoss.AlphaLoss(logAlpha, Tensor.From([0.562335f]), -MathF.Log(2f));
        loss.Item().Should().BeApproximately(0.870234f, 1e-5f);
        loss.Backward();
        logAlpha.Grad!.Data[0].Should().BeApproximately(1.255482f, 1e-5f, "dJ/dlog α = H − H̄ > 0: α shrinks while the entropy exceeds the target");
    }

    [Fact]
    public void TargetEntropyIsTheCoefficientTimesLogOfTheActionCount()
    {
        new DiscreteSacAgent(CartPole.Obs, CartPole.Act, Small, 0, createActor: Net.Logits(CartPole.Obs, CartPole.Act, [16]), createCritic: Net.TwinDiscrete(CartPole.Obs, CartPole.Act, [16])).TargetEntropy.Should().BeApproximately(-Math.Log(2), 1e-6);
        new DiscreteSacAgent(CartPole.Obs, CartPole.Act, Small with { TargetEntropyCoefficient = 0.98 }, 0, createActor: Net.Logits(CartPole.Obs, CartPole.Act, [16]), createCritic: Net.TwinDiscrete(CartPole.Obs, CartPole.Act, [16])).TargetEntropy.Should().BeApproximately(0.98 * Math.Log(2), 1e-6);
    }

    [Theory]
    // Linear networks, one transition (a = 1, r = 0.5, γ = 0.9): target critics Q₁' = [1, 4], Q₂' = [2, 3], actor logits
    // [0, ln 3], α = 0.5 fixed; online Q₁ = [0, 0], Q₂ = [1, 1]. y = 0.5 + 0.9·2.781168 = 3.003051;
    // J = (0 − y)² + (1 − y)² = 9.018316 + 4.012214.
    [InlineData(false, 13.030530)]
    // Terminal: y = 0.5; J = 0.25 + 0.25.
    [InlineData(true, 0.5)]
    public void CriticLossUsesTheExactSoftValueTarget(bool terminated, double expected)
    {
        var agent = new DiscreteSacAgent(CartPole.Obs, CartPole.Act,
            new DiscreteSacParams { BatchSize = 1, BufferSize = 10, Gamma = 0.9, AutoAlpha = false, Alpha = 0.5 }, 0, createActor: Net.Logits(CartPole.Obs, CartPole.Act, []), createCritic: Net.TwinDiscrete(CartPole.Obs, CartPole.Act, []));
        Set(agent.Actor, "0.weight", new float[8]); Set(agent.Actor, "0.bias", 0, MathF.Log(3f));
        Set(agent.CriticTarget, "qf0.0.weight", new float[8]); Set(agent.CriticTarget, "qf0.0.bias", 1, 4);
        Set(agent.CriticTarget, "qf1.0.weight", new float[8]); Set(agent.CriticTarget, "qf1.0.bias", 2, 3);
        Set(agent.Critic, "qf0.0.weight", new float[8]); Set(agent.Critic, "qf0.0.bias", 0, 0);
        Set(agent.Critic, "qf1.0.weight", new float[8]); Set(agent.Critic, "qf1.0.bias", 1, 1);
        agent.Buffer.Add([1, 0, 0.5f, 2], [1], [0.5f], [0, 1, -1, 3], [terminated], [false]);
        agent.Update(1, gradientStep: 1).Loss.Should().BeApproximately(expected, 1e-4);
    }

    [Fact]
    public void RefusesABoxActionSpaceNamingIt()
    {
        var (obs, act) = Spaces("Pendulum-v1");
        var build = () => new DiscreteSacAgent(obs, act, new DiscreteSacParams(), 0);
        build.Should().Throw<ArgumentException>()
            .WithMessage("Discrete SAC needs a Discrete action space*got Box*SAC or REDQ*")
            .And.ParamName.Should().Be("actionSpace");
    }

    [Fact]
    public void ActionsAreSampledFromTheSoftmaxAndArgmaxWhenDeterministic()
    {
        var agent = new DiscreteSacAgent(CartPole.Obs, CartPole.Act, new DiscreteSacParams { }, 0, createActor: Net.Logits(CartPole.Obs, CartPole.Act, []), createCritic: Net.TwinDiscrete(CartPole.Obs, CartPole.Act, []));
        Set(agent.Actor, "0.weight", new float[8]); Set(agent.Actor, "0.bias", 0, MathF.Log(3f));   // π = [0.25, 0.75]
        var obs = new float[4 * 2000];
        var actions = new float[2000];
        agent.Act(obs, actions, deterministic: false);
        actions.Average().Should().BeApproximately(0.75f, 0.03f);
        agent.Act(obs, actions, deterministic: true);
        actions.Should().OnlyContain(a => a == 1);
    }

    [Fact]
    public void LearnsCartPole()
    {
        // Tianshou's test_discrete_sac.py settings with one gradient step per env step, 30k steps. Measured, seed 0: 196.5; random play scores about 22.
        var p = new DiscreteSacParams
        {
            BufferSize = 20_000, ActorLearningRate = 1e-4, CriticLearningRate = 1e-3, Gamma = 0.95, AutoAlpha = false, Alpha = 0.05,
            NStep = 3, BatchSize = 64, TrainFreq = 10, GradientSteps = 10, LearningStarts = 0,
        };
        var agent = new DiscreteSacAgent(CartPole.Obs, CartPole.Act, p, seed: 0);
        var (_, eval) = TrainAndEvaluate(agent, "CartPole-v1", 30_000, seed: 0);
        eval.Mean.Should().BeGreaterThan(100, "discrete SAC should clearly beat random play (≈ 22) on CartPole within 30k steps");
    }

    [Fact]
    public void SameSeedGivesIdenticalRuns()
    {
        (double, float[]) Run(int seed)
        {
            var agent = new DiscreteSacAgent(CartPole.Obs, CartPole.Act, Small with { TargetEntropyCoefficient = 0.98 }, seed, numEnvs: 2, createActor: Net.Logits(CartPole.Obs, CartPole.Act, [16]), createCritic: Net.TwinDiscrete(CartPole.Obs, CartPole.Act, [16]));
            using var train = EnvRegistry.Default.MakeVec("CartPole-v1", 2);
            using var test = EnvRegistry.Default.MakeVec("CartPole-v1", 1);
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
    public void NonFiniteCriticLossThrowsBeforeTheCriticsChange()
    {
        var agent = new DiscreteSacAgent(CartPole.Obs, CartPole.Act, Small with { BatchSize = 4 }, 0, createActor: Net.Logits(CartPole.Obs, CartPole.Act, [16]), createCritic: Net.TwinDiscrete(CartPole.Obs, CartPole.Act, [16]));
        agent.Buffer.Add([1, 0, 0, 0], [1], [float.NaN], [1, 0, 0, 0], [false], [false]);
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
        var agent = new DiscreteSacAgent(CartPole.Obs, CartPole.Act, Small, 0, createActor: Net.Logits(CartPole.Obs, CartPole.Act, [16]), createCritic: Net.TwinDiscrete(CartPole.Obs, CartPole.Act, [16]));
        using var train = EnvRegistry.Default.MakeVec("CartPole-v1", 1);
        using var test = EnvRegistry.Default.MakeVec("CartPole-v1", 1);
        long start = -1, end = -1;
        var callbacks = new TrainerCallbacks
        {
            OnEpochTrain = (epoch, _) => { if (epoch == 3) start = GC.GetAllocatedBytesForCurrentThread(); },
            OnEpochTest = (epoch, _) => { if (epoch == 3) end = GC.GetAllocatedBytesForCurrentThread(); },
        };
        new OffPolicyTrainer(agent, train, test, new TrainerConfig(3, 400, NumTestEpisodes: 1), TestEnvSeeds.For(0, train, test), callbacks).Run();
        (end - start).Should().Be(0, "400 env steps of acting, storing and updating (epoch 3) should allocate nothing");
    }
}
