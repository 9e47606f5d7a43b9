using RlExperiments.Agents.Algorithms.Iqn;
using RlExperiments.Agents.Networks;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;
using static RlExperiments.Agents.Tests.OffPolicyTestEnvs;

namespace RlExperiments.Agents.Tests.Iqn;

public sealed class IqnAgentTests
{
    private static readonly (Space Obs, Space Act) CartPole = Spaces("CartPole-v1");

    [Fact]
    public void RefusesAContinuousActionSpaceNamingIt()
    {
        var (obs, act) = Spaces("Pendulum-v1");
        var build = () => new IqnAgent(obs, act, new IqnParams(), 0);
        build.Should().Throw<ArgumentException>()
            .WithMessage("IQN needs a Discrete action space*CartPole-v1*got Box(-2*")
            .And.ParamName.Should().Be("actionSpace");
    }

    [Theory]
    [InlineData(nameof(IqnParams.SampleSize))]
    [InlineData(nameof(IqnParams.OnlineSampleSize))]
    [InlineData(nameof(IqnParams.TargetSampleSize))]
    [InlineData(nameof(IqnParams.NumQuantiles))]
    public void RejectsFewerThanTwoFractionsNamingTheField(string field)
    {
        var p = field switch
        {
            nameof(IqnParams.SampleSize) => new IqnParams { SampleSize = 1 },
            nameof(IqnParams.OnlineSampleSize) => new IqnParams { OnlineSampleSize = 1 },
            nameof(IqnParams.TargetSampleSize) => new IqnParams { TargetSampleSize = 1 },
            _ => new IqnParams { NumQuantiles = 1 },
        };
        p.Invoking(x => x.Validate()).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage($"IqnParams.{field} must be ≥ 2; got 1.*").And.ParamName.Should().Be(field);
    }

    [Fact]
    public void CosineFeaturesAreCosOfPiITauForIFromOne()
    {
        float[] taus = [0f, 0.5f, 0.3f, 0.999f];
        const int n = 64;
        var features = new float[taus.Length * n];
        ImplicitQuantileNetwork.CosineFeatures(taus, n, features);
        for (var r = 0; r < taus.Length; r++)
            for (var i = 1; i <= n; i++)
                features[r * n + i - 1].Should().BeApproximately((float)Math.Cos(Math.PI * i * taus[r]), 1e-6f, $"τ = {taus[r]}, i = {i}");
        var wrong = () => ImplicitQuantileNetwork.CosineFeatures(taus, n, new float[10]);
        wrong.Should().Throw<ArgumentException>().WithMessage("features must hold 4 × 64 floats; got 10.*");
    }

    [Fact]
    public void QuantilesHaveOneRowPerStateAndFractionInStateMajorOrder()
    {
        var rng = new Rng(5);
        var net = new ImplicitQuantileNetwork(new Sequential(Mlp.HiddenLayers(4, [16], Activation.ReLU, rng, out var width)), width, 3, [], Activation.ReLU, 64, 10, rng);
        float[] obs = [0.1f, -0.2f, 0.3f, 0.0f, 1f, 0.5f, -0.5f, 0.2f];
        float[] taus = [0.1f, 0.4f, 0.9f, 0.2f, 0.7f, 0.5f];
        using var scope = Tensor.Scope();
        var z = net.Quantiles(Tensor.From(obs, [2, 4]), Tensor.From(taus, [2, 3]));
        z.Shape.ToArray().Should().Equal(6, 3);
        // Row b·N + i is state b at fraction τ[b, i]: the same as evaluating that state alone at that fraction.
        var single = net.Quantiles(Tensor.From(obs.AsSpan(4, 4), [1, 4]), Tensor.From([0.5f], [1, 1]));
        z.ToArray().AsSpan(5 * 3, 3).ToArray().Should().Equal(single.ToArray());
        // Forward gives Q as the mean over the fixed midpoints (2k + 1)/(2K).
        net.Midpoints.ToArray().Should().Equal(0.05f, 0.15f, 0.25f, 0.35f, 0.45f, 0.55f, 0.65f, 0.75f, 0.85f, 0.95f);
        var q = net.Forward(Tensor.From(obs, [2, 4]));
        var expected = new float[6];
        var mids = new float[20];
        for (var b = 0; b < 2; b++) net.Midpoints.CopyTo(mids.AsSpan(b * 10, 10));
        ImplicitQuantileNetwork.MeanOverQuantiles(net.Quantiles(Tensor.From(obs, [2, 4]), Tensor.From(mids, [2, 10])).Data, 2, 10, 3, expected);
        q.ToArray().Should().Equal(expected);
    }

    [Fact]
    public void UpdateMinimisesTheQuantileHuberLossAgainstTheTargetQuantiles()
    {
        // One stored transition with a terminal next state: the targets are the reward, so repeated updates pull every
        // quantile of the action taken towards it (the loss falls), whatever the fractions.
        var p = new IqnParams { BatchSize = 4, LearningRate = 1e-2, LearningStarts = 0 };
        var agent = new IqnAgent(CartPole.Obs, CartPole.Act, p, 0, createNetwork: Net.Iqn(CartPole.Obs, CartPole.Act, [16]));
        agent.Buffer.Add([0.1f, 0.2f, -0.1f, 0f], [1], [3f], [0f, 0f, 0f, 0f], [true], [false]);
        var first = agent.Update(1, 1).Loss;
        double last = 0;
        for (var i = 2; i <= 300; i++) last = agent.Update(1, i).Loss;
        first.Should().BeGreaterThan(0.5);
        last.Should().BeLessThan(0.02 * first);
        using var scope = Tensor.Scope();
        var q = agent.Network.Forward(Tensor.From([0.1f, 0.2f, -0.1f, 0f], [1, 4])).ToArray();
        q[1].Should().BeApproximately(3f, 0.3f, "Q(s, a) is the mean quantile, which converges on the only return seen");
    }

    [Fact]
    public void LearnsCartPole()
    {
        // The qrdqn.yml CartPole preset with a smaller network and a denser update schedule, for a short budget
        // (random play scores about 22).
        var p = IqnPresets.CartPoleV1.Params with { TrainFreq = 64, GradientSteps = 32 };
        var agent = new IqnAgent(CartPole.Obs, CartPole.Act, p, seed: 0, createNetwork: Net.Iqn(CartPole.Obs, CartPole.Act, [64, 64], numQuantiles: p.NumQuantiles));
        var (result, eval) = TrainAndEvaluate(agent, "CartPole-v1", 15_000, seed: 0);
        result.GradientSteps.Should().BeGreaterThan(6000);
        eval.Mean.Should().BeGreaterThan(150, "IQN should clearly beat random play (≈ 22) on CartPole within 15k steps");
    }

    [Fact]
    public void NonFiniteLossThrowsBeforeTheWeightsChange()
    {
        var agent = new IqnAgent(CartPole.Obs, CartPole.Act, new IqnParams { BatchSize = 1 }, 0, createNetwork: Net.Iqn(CartPole.Obs, CartPole.Act, [8]));
        agent.Buffer.Add([0, 0, 0, 0], [1], [float.NaN], [0, 0, 0, 0], [false], [false]);
        var before = Weights([agent.Network]);
        var update = () => agent.Update(envSteps: 123, gradientStep: 7);
        var e = update.Should().Throw<NonFiniteException>().Which;
        e.Quantity.Should().Be("train/loss");
        e.EnvStep.Should().Be(123);
        e.GradientStep.Should().Be(7);
        Weights([agent.Network]).Should().Equal(before);
    }

    [Fact]
    public void DeterministicActingDrawsNoRandomNumbers()
    {
        var agent = new IqnAgent(CartPole.Obs, CartPole.Act, new IqnParams { }, 0, createNetwork: Net.Iqn(CartPole.Obs, CartPole.Act, [16]));
        var a = new float[1];
        var b = new float[1];
        agent.Act([0.1f, 0.2f, 0.3f, 0.4f], a, deterministic: true);
        agent.Act([0.1f, 0.2f, 0.3f, 0.4f], b, deterministic: true);
        b.Should().Equal(a);
        var twin = new IqnAgent(CartPole.Obs, CartPole.Act, new IqnParams { }, 0, createNetwork: Net.Iqn(CartPole.Obs, CartPole.Act, [16]));
        twin.Epsilon = agent.Epsilon = 0.5;
        var explored = new float[64];
        var twinExplored = new float[64];
        agent.Act(new float[64 * 4], explored, deterministic: false);
        twin.Act(new float[64 * 4], twinExplored, deterministic: false);
        explored.Should().Equal(twinExplored, "greedy acting in between must not have advanced the exploration stream");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ActingAndUpdatingAllocateNothingInSteadyState(int nStep)
    {
        var p = new IqnParams
        {
            BatchSize = 32, LearningStarts = 100, TrainFreq = 2, GradientSteps = 2, TargetUpdateInterval = 100,
            BufferSize = 5000, NStep = nStep, Tau = nStep == 1 ? 1.0 : 0.5,
        };
        var agent = new IqnAgent(CartPole.Obs, CartPole.Act, p, 0, numEnvs: 2,
            createNetwork: Net.Iqn(CartPole.Obs, CartPole.Act, [32, 32], nStep == 1 ? [] : [16], p.NumQuantiles));
        using var train = EnvRegistry.Default.MakeVec("CartPole-v1", 2);
        using var test = EnvRegistry.Default.MakeVec("CartPole-v1", 1);
        long start = -1, end = -1;
        var callbacks = new TrainerCallbacks
        {
            OnEpochTrain = (epoch, _) => { if (epoch == 3) start = GC.GetAllocatedBytesForCurrentThread(); },
            OnEpochTest = (epoch, _) => { if (epoch == 3) end = GC.GetAllocatedBytesForCurrentThread(); },
        };
        var result = new OffPolicyTrainer(agent, train, test, new TrainerConfig(3, 2000, NumTestEpisodes: 1), TestEnvSeeds.For(0, train, test), callbacks).Run();
        result.GradientSteps.Should().BeGreaterThan(2500);
        (end - start).Should().Be(0, "2000 env steps of acting, storing and updating (epoch 3) should allocate nothing");
    }
}
