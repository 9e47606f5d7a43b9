using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Training;
using RlExperiments.Environments;
using RlExperiments.Environments.Spaces;
using RlExperiments.Agents.Networks;
using static RlExperiments.Agents.Tests.OffPolicyTestEnvs;

namespace RlExperiments.Agents.Tests.Dqn;

public sealed class DqnAgentTests
{
    private static readonly (Space Obs, Space Act) CartPole = Spaces("CartPole-v1");

    [Fact]
    public void RefusesAContinuousActionSpaceNamingIt()
    {
        var (obs, act) = Spaces("Pendulum-v1");
        var build = () => new DqnAgent(obs, act, new DqnParams(), 0);
        build.Should().Throw<ArgumentException>()
            .WithMessage("DQN needs a Discrete action space*CartPole-v1*got Box(-2*SAC*")
            .And.ParamName.Should().Be("actionSpace");
    }

    public static TheoryData<string, DqnParams> InvalidParams => new()
    {
        { "LearningRate", new DqnParams { LearningRate = -1e-3 } },
        { "LearningRate", new DqnParams { LearningRate = double.NaN } },
        { "BatchSize", new DqnParams { BatchSize = 0 } },
        { "Tau", new DqnParams { Tau = 0 } },
        { "Gamma", new DqnParams { Gamma = 1.5 } },
        { "GradientSteps", new DqnParams { GradientSteps = -2 } },
        { "TrainFreq", new DqnParams { TrainFreq = 0 } },
        { "ExplorationFraction", new DqnParams { ExplorationFraction = 1.1 } },
        { "ExplorationFinalEps", new DqnParams { ExplorationFinalEps = -0.1 } },
        { "MaxGradNorm", new DqnParams { MaxGradNorm = 0 } },
        { "NStep", new DqnParams { NStep = 0 } },
        { "PriorityBeta0", new DqnParams { PriorityBeta0 = 2 } },
    };

    [Theory]
    [MemberData(nameof(InvalidParams))]
    public void RejectsInvalidParamsNamingTheFieldAndRange(string field, DqnParams p)
    {
        var build = () => new DqnAgent(CartPole.Obs, CartPole.Act, p, 0);
        var e = build.Should().Throw<ArgumentOutOfRangeException>().Which;
        e.ParamName.Should().Be(field);
        e.Message.Should().Contain($"DqnParams.{field} must be");
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.05, 0.525)]
    [InlineData(0.1, 0.05)]
    [InlineData(0.7, 0.05)]
    public void EpsilonFollowsSb3sLinearSchedule(double progress, double expected)
    {
        new EpsilonSchedule(1.0, 0.05, 0.1).Value(progress).Should().BeApproximately(expected, 1e-12);
        var agent = new DqnAgent(CartPole.Obs, CartPole.Act, new DqnParams(), 0);
        agent.Epsilon.Should().Be(1.0);
        agent.OnEnvSteps((long)(progress * 10_000), 10_000);
        agent.Epsilon.Should().BeApproximately(expected, 1e-12);
    }

    [Fact]
    public void ZeroExplorationFractionJumpsToTheFinalEpsilon() =>
        new EpsilonSchedule(1.0, 0.1, 0).Value(0).Should().Be(0.1);

    [Theory]
    [InlineData(1, 5, 5)]
    [InlineData(2, 5, 2)]  // SB3: every max(interval / n_envs, 1) vector steps
    [InlineData(4, 3, 1)]
    public void HardTargetUpdateHappensEveryIntervalEnvironmentSteps(int numEnvs, int interval, int everyVectorSteps)
    {
        var agent = new DqnAgent(CartPole.Obs, CartPole.Act, new DqnParams { TargetUpdateInterval = interval }, 0, numEnvs, createQNetwork: Net.Q(CartPole.Obs, CartPole.Act, [8]));
        Weights([agent.TargetNetwork]).Should().Equal(Weights([agent.QNetwork]), "the target starts as a copy");
        for (var round = 1; round <= 2; round++)
        {
            agent.QNetwork.Parameters()[0].Data[0] += 1;
            for (var k = 1; k < everyVectorSteps; k++)
            {
                agent.OnEnvSteps(0, 100);
                Weights([agent.TargetNetwork]).Should().NotEqual(Weights([agent.QNetwork]));
            }
            agent.OnEnvSteps(0, 100);
            Weights([agent.TargetNetwork]).Should().Equal(Weights([agent.QNetwork]));
        }
    }

    [Fact]
    public void SoftTargetUpdateIsPolyakAveraging()
    {
        var agent = new DqnAgent(CartPole.Obs, CartPole.Act, new DqnParams { TargetUpdateInterval = 1, Tau = 0.1 }, 0, createQNetwork: Net.Q(CartPole.Obs, CartPole.Act, [8]));
        var online = agent.QNetwork.Parameters();
        foreach (var p in online)
            for (var i = 0; i < p.Count; i++) p.Data[i] += 1;
        var before = Weights([agent.TargetNetwork]);
        var source = Weights([agent.QNetwork]);
        agent.OnEnvSteps(1, 100);
        var after = Weights([agent.TargetNetwork]);
        for (var i = 0; i < after.Length; i++)
            after[i].Should().BeApproximately(before[i] + 0.1f * (source[i] - before[i]), 1e-6f);
    }

    /// <summary>
    /// A linear Q-function on 2-D observations with hand-set weights: online Q(s) = s, target Q⁻(s) = [3s₀, s₁].
    /// One transition s = [1, 1], a = 0, r = 1, s' = [1, 2], γ = 0.5: Q(s, a) = 1, Q(s') = [1, 2] (argmax 1),
    /// Q⁻(s') = [3, 2]. DQN: y = 1 + 0.5·3 = 2.5; double DQN: y = 1 + 0.5·Q⁻(s', 1) = 2; terminated: y = 1.
    /// </summary>
    [Theory]
    [InlineData(false, false, DqnLoss.Mse, 2.25)]
    [InlineData(true, false, DqnLoss.Mse, 1.0)]
    [InlineData(false, true, DqnLoss.Mse, 0.0)]
    [InlineData(false, false, DqnLoss.Huber, 1.0)]   // |d| = 1.5 > 1: 1.5 − 0.5
    [InlineData(true, false, DqnLoss.Huber, 0.5)]    // |d| = 1: ½d²
    public void UpdateComputesTheTdTargetOfDqnAndDoubleDqn(bool doubleDqn, bool terminated, DqnLoss loss, double expectedLoss)
    {
        var p = new DqnParams { BatchSize = 1, Gamma = 0.5, DoubleDqn = doubleDqn, Loss = loss, LearningStarts = 0, MaxGradNorm = double.PositiveInfinity };
        var agent = new DqnAgent(new Box(-10f, 10f, 2), new Discrete(2), p, 0, createQNetwork: Net.Q(new Box(-10f, 10f, 2), new Discrete(2), []));
        SetLinear(agent.QNetwork, [1, 0, 0, 1]);
        SetLinear(agent.TargetNetwork, [3, 0, 0, 1]);
        agent.Buffer.Add([1, 1], [0], [1], [1, 2], [terminated], [false]);
        var stats = agent.Update(1, 1);
        stats.Loss.Should().BeApproximately(expectedLoss, 1e-6);
    }

    [Fact]
    public void PrioritisedUpdateWeightsTheLossAndRefreshesPriorities()
    {
        var p = new DqnParams { BatchSize = 1, Gamma = 0.5, Loss = DqnLoss.Mse, PrioritizedReplay = true, PriorityAlpha = 1, MaxGradNorm = double.PositiveInfinity };
        var agent = new DqnAgent(new Box(-10f, 10f, 2), new Discrete(2), p, 0, createQNetwork: Net.Q(new Box(-10f, 10f, 2), new Discrete(2), []));
        SetLinear(agent.QNetwork, [1, 0, 0, 1]);
        SetLinear(agent.TargetNetwork, [3, 0, 0, 1]);
        agent.Buffer.Add([1, 1], [0], [1], [1, 2], [false], [false]);
        agent.Update(1, 1).Loss.Should().BeApproximately(2.25, 1e-6, "one transition: its weight is 1");
        var per = (RlExperiments.Agents.Buffers.PrioritizedReplayBuffer)agent.Buffer;
        per.PriorityAt(0).Should().BeApproximately(1.5 + 1e-6, 1e-6, "priority = |δ| + ε with α = 1");
    }

    [Fact]
    public void DuelingHeadsCombineAsValuePlusCentredAdvantage()
    {
        var net = new DuelingQNetwork(3, [4], 2, RlExperiments.Tensors.Nn.Activation.ReLU, new RlExperiments.Core.Rng(0));
        var state = net.StateDict();
        state.Keys.Should().BeEquivalentTo("features.0.weight", "features.0.bias", "value.weight", "value.bias", "advantage.weight", "advantage.bias");
        state["advantage.weight"].Fill(0);
        state["advantage.bias"].Data[0] = 1;
        state["advantage.bias"].Data[1] = 3;
        using var scope = RlExperiments.Tensors.Tensor.Scope();
        var x = RlExperiments.Tensors.Tensor.From([0.5f, -1f, 2f, 1f, 1f, 1f], [2, 3]);
        var q = net.Forward(x);
        q.ShapeString.Should().Be("[2, 2]");
        // With A = [1, 3] for every state: Q = V + [−1, 1], so Q₁ − Q₀ = 2 and (Q₀ + Q₁)/2 = V.
        for (var r = 0; r < 2; r++) (q[r, 1] - q[r, 0]).Should().BeApproximately(2f, 1e-5f);
    }

    [Fact]
    public void DiscreteSpacesWithAStartOffsetActInTheirOwnValues()
    {
        var agent = new DqnAgent(new Box(-1f, 1f, 2), new Discrete(3, start: 5), new DqnParams { }, 0, createQNetwork: Net.Q(new Box(-1f, 1f, 2), new Discrete(3, start: 5), [4]));
        var env = new float[4];
        var buf = new float[4];
        agent.Explore(new float[8], env, buf, uniformRandom: true);
        env.Should().OnlyContain(a => a >= 5 && a <= 7);
        for (var i = 0; i < 4; i++) buf[i].Should().Be(env[i] - 5);
        agent.Act(new float[8], env, deterministic: true);
        env.Should().OnlyContain(a => a >= 5 && a <= 7);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(40)]
    public void GreedyActionsAreTheArgmaxOfTheQNetworkWhateverTheBatchSize(int rows)
    {
        // Acting runs a compiled plan of the Q-network (matrix-vector products below 4 rows, the batched product above,
        // the module itself beyond the plan's batch): every path must pick the Q-network's own argmax.
        var agent = new DqnAgent(new Box(-5f, 5f, 4), new Discrete(3), new DqnParams(), seed: 1,
            createQNetwork: rng => new RlExperiments.Tensors.Nn.Mlp(4, [64, 64], 3, RlExperiments.Tensors.Nn.Activation.ReLU, rng));
        // Standard-normal weights (instead of the small initial ones) so the greedy action varies with the observation.
        var rng = new RlExperiments.Core.Rng(2);
        foreach (var parameter in agent.QNetwork.Parameters()) rng.FillNormal(parameter.Data);
        var obs = new float[rows * 4];
        rng.FillNormal(obs);
        for (var i = 0; i < obs.Length; i++) obs[i] *= 3f;
        var actions = new float[rows];
        agent.Act(obs, actions, deterministic: true);

        using var scope = RlExperiments.Tensors.Tensor.Scope();
        var q = agent.QNetwork.Forward(RlExperiments.Tensors.Tensor.From(obs, [rows, 4]));
        var distinct = new HashSet<float>();
        for (var r = 0; r < rows; r++)
        {
            var best = 0;
            for (var j = 1; j < 3; j++)
                if (q[r, j] > q[r, best]) best = j;
            actions[r].Should().Be(best, $"row {r} has Q = [{q[r, 0]}, {q[r, 1]}, {q[r, 2]}]");
            distinct.Add(actions[r]);
        }
        if (rows >= 8) distinct.Count.Should().BeGreaterThan(1, "the observations should not all share one greedy action");
    }

    [Fact]
    public void LearnsCartPole()
    {
        // The zoo's CartPole preset with a smaller network and a denser update schedule, for a short budget.
        // Seeds 0–6 all exceed 100 after 15k steps (most reach 500); random play scores about 22.
        var p = ZooCartPoleSmall();
        var agent = new DqnAgent(CartPole.Obs, CartPole.Act, p, seed: 0);
        var (result, eval) = TrainAndEvaluate(agent, "CartPole-v1", 15_000, seed: 0);
        result.GradientSteps.Should().BeGreaterThan(6000);
        eval.Mean.Should().BeGreaterThan(150, "DQN should clearly beat random play (≈ 22) on CartPole within 15k steps");
    }

    [Fact]
    public void SameSeedGivesIdenticalRunsAndADifferentSeedDoesNot()
    {
        double[] Run(int seed, out float[] weights)
        {
            var agent = new DqnAgent(CartPole.Obs, CartPole.Act, ZooCartPoleSmall() with { LearningStarts = 200 }, seed, numEnvs: 2, createQNetwork: Net.Q(CartPole.Obs, CartPole.Act, [32, 32]));
            using var train = EnvRegistry.Default.MakeVec("CartPole-v1", 2);
            using var test = EnvRegistry.Default.MakeVec("CartPole-v1", 2);
            var returns = new List<double>();
            var callbacks = new TrainerCallbacks { OnEpochEnd = info => returns.Add(info.TestReturnMean) };
            new OffPolicyTrainer(agent, train, test, new TrainerConfig(2, 1000, NumTestEpisodes: 3), TestEnvSeeds.For(seed, train, test), callbacks).Run();
            weights = Weights([agent.QNetwork]);
            return [.. returns];
        }
        var a = Run(3, out var wa);
        var b = Run(3, out var wb);
        var c = Run(4, out var wc);
        b.Should().Equal(a);
        wb.Should().Equal(wa);
        wc.Should().NotEqual(wa);
    }

    [Fact]
    public void NonFiniteLossThrowsBeforeTheWeightsChange()
    {
        var agent = new DqnAgent(CartPole.Obs, CartPole.Act, new DqnParams { BatchSize = 1 }, 0, createQNetwork: Net.Q(CartPole.Obs, CartPole.Act, [8]));
        agent.Buffer.Add([0, 0, 0, 0], [1], [float.NaN], [0, 0, 0, 0], [false], [false]);
        var before = Weights([agent.QNetwork]);
        var update = () => agent.Update(envSteps: 123, gradientStep: 7);
        var e = update.Should().Throw<NonFiniteException>().Which;
        e.Quantity.Should().Be("train/loss");
        e.EnvStep.Should().Be(123);
        e.GradientStep.Should().Be(7);
        e.Message.Should().Contain("env step 123");
        Weights([agent.QNetwork]).Should().Equal(before);
    }

    [Fact]
    public void AnExplodingLearningRateStopsTrainingWithNonFiniteException()
    {
        var p = new DqnParams { LearningRate = 1e30, LearningStarts = 50, MaxGradNorm = double.PositiveInfinity, TrainFreq = 1 };
        var agent = new DqnAgent(CartPole.Obs, CartPole.Act, p, 0, createQNetwork: Net.Q(CartPole.Obs, CartPole.Act, [16]));
        var run = () => TrainAndEvaluate(agent, "CartPole-v1", 2000, 0);
        run.Should().Throw<NonFiniteException>().Which.EnvStep.Should().BeInRange(51, 2000);
    }

    [Theory]
    [InlineData(false, false, false, 1)]
    [InlineData(true, true, true, 3)]
    public void ActingAndUpdatingAllocateNothingInSteadyState(bool prioritized, bool doubleDqn, bool dueling, int nStep)
    {
        var p = new DqnParams
        {
            BatchSize = 32, LearningStarts = 100, TrainFreq = 2, GradientSteps = 2, TargetUpdateInterval = 100,
            BufferSize = 5000, PrioritizedReplay = prioritized, DoubleDqn = doubleDqn, NStep = nStep,
        };
        var agent = new DqnAgent(CartPole.Obs, CartPole.Act, p, 0, numEnvs: 2, createQNetwork: Net.Q(CartPole.Obs, CartPole.Act, [32, 32], dueling));
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

    internal static DqnParams ZooCartPoleSmall() => DqnPresets.CartPoleV1.Params with
    {
        TrainFreq = 64,
        GradientSteps = 32,
    };

    private static void SetLinear(RlExperiments.Tensors.Nn.Module net, float[] weight)
    {
        var state = net.StateDict();
        weight.CopyTo(state["0.weight"].Data);
        state["0.bias"].Fill(0);
    }
}
