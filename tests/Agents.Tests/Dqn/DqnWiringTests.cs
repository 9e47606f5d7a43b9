using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Networks;
using RlExperiments.Agents.Tests.Ppo;
using RlExperiments.Core;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Tests.Dqn;

/// <summary>
/// Each DQN flag and each path from the Q-network to an action or a logged metric, checked against values computed
/// here by hand (the learning tests are too forgiving to notice a flag that is ignored or a row that acts on another
/// row's Q-values).
/// </summary>
public sealed class DqnWiringTests
{
    /// <summary>A DQN agent whose Q-network is one linear layer (no hidden layer) on <paramref name="obs"/> inputs.</summary>
    private static DqnAgent Linear(int obs, int actions, DqnParams? p = null, int numEnvs = 1)
    {
        Space o = new Box(-10f, 10f, obs), a = new Discrete(actions);
        return new(o, a, p ?? new DqnParams(), 0, numEnvs, createQNetwork: Net.Q(o, a, []));
    }

    /// <summary>Sets the single linear layer to Q(s) = W s (row-major [actions, obs]) with zero bias.</summary>
    private static void SetLinear(Module net, float[] weight)
    {
        var state = net.StateDict();
        weight.CopyTo(state["0.weight"].Data);
        state["0.bias"].Fill(0);
    }

    [Fact]
    public void A_dueling_Q_network_and_its_target_give_value_plus_mean_centred_advantage()
    {
        // The Dueling flag lives in the Q-network factory (QNetworkFactoryDefault.Dueling, tested in Factories); here the
        // agent gets a dueling network and its target must be one too.
        Space obsSpace = new Box(-10f, 10f, 4), actSpace = new Discrete(3);
        var agent = new DqnAgent(obsSpace, actSpace, new DqnParams(), seed: 1, createQNetwork: Net.Q(obsSpace, actSpace, [5], dueling: true));
        agent.QNetwork.Should().BeOfType<DuelingQNetwork>();
        agent.TargetNetwork.Should().BeOfType<DuelingQNetwork>();

        // Recompute Q = V + A − mean(A) from the network's own weights, independently of its Forward.
        var s = agent.QNetwork.StateDict();
        float[] w0 = s["features.0.weight"].ToArray(), b0 = s["features.0.bias"].ToArray();
        float[] wv = s["value.weight"].ToArray(), bv = s["value.bias"].ToArray();
        float[] wa = s["advantage.weight"].ToArray(), ba = s["advantage.bias"].ToArray();
        float[] x = [0.3f, -1.2f, 2.0f, 0.7f, -0.5f, 0.1f, -2.2f, 1.4f];
        using var scope = Tensor.Scope();
        using var noGrad = Tensor.NoGrad();
        var q = agent.QNetwork.Forward(Tensor.From(x, [2, 4]));
        for (var r = 0; r < 2; r++)
        {
            var h = new double[5];
            for (var j = 0; j < 5; j++)
            {
                double z = b0[j];
                for (var i = 0; i < 4; i++) z += w0[j * 4 + i] * x[r * 4 + i];
                h[j] = Math.Max(0, z);
            }
            double v = bv[0];
            for (var j = 0; j < 5; j++) v += wv[j] * h[j];
            var a = new double[3];
            for (var k = 0; k < 3; k++)
            {
                a[k] = ba[k];
                for (var j = 0; j < 5; j++) a[k] += wa[k * 5 + j] * h[j];
            }
            var meanA = a.Average();
            Math.Abs(meanA).Should().BeGreaterThan(1e-3, "a zero mean advantage could not tell centring from no centring");
            for (var k = 0; k < 3; k++)
                q[r, k].Should().BeApproximately((float)(v + a[k] - meanA), 1e-5f, $"row {r}, action {k}");
            // The mean-advantage identity: the mean of Q over actions is V.
            ((q[r, 0] + q[r, 1] + q[r, 2]) / 3).Should().BeApproximately((float)v, 1e-5f);
        }
    }

    [Fact]
    public void The_PrioritizedReplay_flag_chooses_the_buffer_and_passes_the_settings_on()
    {
        var uniform = Linear(2, 2, new DqnParams { BufferSize = 1000, NStep = 3, Gamma = 0.9 }, numEnvs: 2);
        uniform.Buffer.GetType().Should().Be(typeof(ReplayBuffer));
        uniform.Buffer.Capacity.Should().Be(1000);
        uniform.Buffer.NumEnvs.Should().Be(2);
        uniform.Buffer.NStep.Should().Be(3);
        uniform.Buffer.Gamma.Should().Be(0.9);
        uniform.Buffer.ObservationSize.Should().Be(2);
        uniform.Buffer.ActionSize.Should().Be(1);

        var prioritized = Linear(2, 2, new DqnParams
        {
            BufferSize = 500, NStep = 2, Gamma = 0.8, PrioritizedReplay = true, PriorityAlpha = 0.7, PriorityBeta0 = 0.3, PriorityEps = 1e-3,
        });
        var per = prioritized.Buffer.Should().BeOfType<PrioritizedReplayBuffer>().Which;
        (per.Capacity, per.NStep, per.Gamma, per.Alpha, per.Beta0, per.Epsilon).Should().Be((500, 2, 0.8, 0.7, 0.3, 1e-3));
    }

    [Fact]
    public void Every_row_acts_greedily_on_its_own_Q_values_first_maximum_winning_ties()
    {
        var agent = Linear(3, 3);
        SetLinear(agent.QNetwork, [1, 0, 0, 0, 1, 0, 0, 0, 1]); // Q(s) = s
        float[] obs = [1, 0, 0, 0, 0, 5, 0, 2, 0, 3, 3, 1, -1, -2, -0.5f];
        float[] expected = [0, 2, 1, 0, 2];
        var actions = new float[5];
        agent.Epsilon = 1;
        agent.Act(obs, actions, deterministic: true);
        actions.Should().Equal(expected, "deterministic acting ignores ε");
        agent.Epsilon = 0;
        agent.Act(obs, actions, deterministic: false);
        actions.Should().Equal(expected, "ε = 0 is greedy");
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    [InlineData(0.1)]
    public void Epsilon_greedy_takes_a_uniform_random_action_with_probability_epsilon(double epsilon)
    {
        var agent = Linear(3, 3);
        SetLinear(agent.QNetwork, [1, 0, 0, 0, 1, 0, 0, 0, 1]);
        const int rows = 3000;
        var obs = new float[rows * 3];
        for (var r = 0; r < rows; r++) obs[r * 3 + 2] = 5; // greedy action 2 everywhere
        var actions = new float[rows];
        agent.Epsilon = epsilon;
        agent.Act(obs, actions, deterministic: false);
        var counts = new int[3];
        foreach (var a in actions) counts[(int)a]++;
        // P(action 2) = 1 − ε + ε/3, P(other) = ε/3 each; 5 binomial standard deviations.
        double pGreedy = 1 - epsilon + epsilon / 3, pOther = epsilon / 3;
        double Sd(double p) => Math.Sqrt(rows * p * (1 - p));
        counts[2].Should().BeCloseTo((int)(rows * pGreedy), (uint)Math.Ceiling(5 * Sd(pGreedy)) + 1);
        counts[0].Should().BeCloseTo((int)(rows * pOther), (uint)Math.Ceiling(5 * Sd(pOther)) + 1);
        counts[1].Should().BeCloseTo((int)(rows * pOther), (uint)Math.Ceiling(5 * Sd(pOther)) + 1);
    }

    [Fact]
    public void Explore_acts_epsilon_greedily_unless_uniform_and_stores_the_column_index()
    {
        Space o2 = new Box(-10f, 10f, 2), a2 = new Discrete(2, start: 3);
        var agent = new DqnAgent(o2, a2, new DqnParams(), 0, createQNetwork: Net.Q(o2, a2, []));
        SetLinear(agent.QNetwork, [1, 0, 0, 1]);
        agent.Epsilon = 0;
        float[] obs = [0, 1, 1, 0];
        var env = new float[2];
        var buffer = new float[2];
        agent.Explore(obs, env, buffer, uniformRandom: false);
        env.Should().Equal(4, 3);
        buffer.Should().Equal(1, 0);
        var envMany = new float[400];
        var bufMany = new float[400];
        agent.Explore(new float[800], envMany, bufMany, uniformRandom: true);
        envMany.Count(a => a == 3).Should().BeInRange(140, 260, "uniform warm-up actions ignore the Q-values and ε = 0");
        envMany.Should().OnlyContain(a => a == 3 || a == 4);
    }

    [Fact]
    public void Act_refuses_misshapen_spans()
    {
        var agent = Linear(3, 2);
        agent.Invoking(a => a.Act(new float[4], new float[1], true)).Should().Throw<ArgumentException>().WithMessage("*multiple of 3*got 4*");
        agent.Invoking(a => a.Act(new float[0], new float[0], true)).Should().Throw<ArgumentException>().WithMessage("*multiple of 3*");
        agent.Invoking(a => a.Act(new float[6], new float[3], true)).Should().Throw<ArgumentException>().WithMessage("*one value per row (2)*got 3*");
        agent.Invoking(a => a.Epsilon = 1.5).Should().Throw<ArgumentOutOfRangeException>();
        agent.Invoking(a => a.Epsilon = -0.1).Should().Throw<ArgumentOutOfRangeException>();
        agent.Invoking(a => a.FixedEpsilon = 2).Should().Throw<ArgumentOutOfRangeException>();
        agent.Invoking(a => a.SetLearningRate(-1)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void OnEnvSteps_sets_epsilon_from_the_schedule_or_the_fixed_value_and_anneals_beta()
    {
        var agent = Linear(2, 2, new DqnParams
        {
            ExplorationInitialEps = 1, ExplorationFinalEps = 0.2, ExplorationFraction = 0.5, PrioritizedReplay = true, PriorityBeta0 = 0.4,
        });
        var per = (PrioritizedReplayBuffer)agent.Buffer;
        agent.OnEnvSteps(25, 100);
        agent.Epsilon.Should().BeApproximately(0.6, 1e-12);
        per.Beta.Should().BeApproximately(0.4 + 0.6 * 0.25, 1e-12);
        agent.OnEnvSteps(300, 100);
        agent.Epsilon.Should().BeApproximately(0.2, 1e-12, "progress is capped at 1");
        per.Beta.Should().Be(1);
        agent.OnEnvSteps(5, 0);
        agent.Epsilon.Should().Be(0.2, "without a total the schedule is at its end");
        agent.OnEnvSteps(0, 0);
        agent.Epsilon.Should().Be(0.2, "without a total the schedule is at its end, also before the first step (no 0 / 0)");
        per.Beta.Should().Be(1);

        agent.FixedEpsilon = 0.33;
        agent.Epsilon.Should().Be(0.33);
        agent.OnEnvSteps(0, 100);
        agent.Epsilon.Should().Be(0.33, "a fixed ε overrides the schedule");
        agent.FixedEpsilon = null;
        agent.OnEnvSteps(0, 100);
        agent.Epsilon.Should().Be(1);
    }

    [Fact]
    public void Logged_metrics_are_the_means_of_the_updates_with_their_signs()
    {
        // Q(s) = s, Q⁻(s) = [3 s₀, s₁]; s = [1, 1], a = 0, r = 1, s' = [1, 2], γ = 0.5: Q(s, a) = 1, y = 1 + 0.5·3 = 2.5,
        // δ = −1.5, MSE loss 2.25; ∂L/∂Q = 2δ = −3 on W₀₀, W₀₁ and b₀, so the gradient norm is √27.
        var p = new DqnParams { BatchSize = 1, Gamma = 0.5, Loss = DqnLoss.Mse, MaxGradNorm = double.PositiveInfinity, LearningRate = 0.01 };
        var agent = Linear(2, 2, p);
        SetLinear(agent.QNetwork, [1, 0, 0, 1]);
        SetLinear(agent.TargetNetwork, [3, 0, 0, 1]);
        agent.Buffer.Add([1, 1], [0], [1], [1, 2], [false], [false]);
        var first = agent.Update(1, 1);
        first.Loss.Should().BeApproximately(2.25, 1e-6);
        first.GradNorm.Should().BeApproximately(Math.Sqrt(27), 1e-5);

        var sink = new RecordingSink();
        agent.WriteMetrics(sink, 42);
        var rows = sink.Rows.ToDictionary(r => r.Tag, r => r.Value);
        sink.Rows.Should().OnlyContain(r => r.Step == 42);
        rows.Keys.Should().BeEquivalentTo("train/loss", "train/td_error", "train/q_mean", "train/grad_norm", "train/epsilon", "train/learning_rate");
        rows["train/loss"].Should().BeApproximately(2.25, 1e-6);
        rows["train/td_error"].Should().BeApproximately(1.5, 1e-6, "the mean absolute TD error");
        rows["train/q_mean"].Should().BeApproximately(1, 1e-6);
        rows["train/grad_norm"].Should().BeApproximately(Math.Sqrt(27), 1e-5);
        rows["train/epsilon"].Should().Be(1);
        rows["train/learning_rate"].Should().Be(0.01);

        // Two more updates: the metrics are their means, and the accumulator starts again after each write.
        var a = agent.Update(2, 2);
        var b = agent.Update(3, 3);
        sink.Rows.Clear();
        agent.WriteMetrics(sink, 43);
        rows = sink.Rows.ToDictionary(r => r.Tag, r => r.Value);
        rows["train/loss"].Should().BeApproximately((a.Loss + b.Loss) / 2, 1e-9);
        rows["train/grad_norm"].Should().BeApproximately((a.GradNorm + b.GradNorm) / 2, 1e-9);
        rows["train/q_mean"].Should().BeGreaterThan(1, "Adam moved Q(s, 0) towards the target 2.5");
        rows["train/td_error"].Should().BeInRange(0.5, 1.5);
        sink.Rows.Clear();
        agent.WriteMetrics(sink, 44);
        sink.Rows.Select(r => r.Tag).Should().BeEquivalentTo("train/epsilon", "train/learning_rate");

        var per = Linear(2, 2, p with { PrioritizedReplay = true, PriorityBeta0 = 0.25 });
        sink.Rows.Clear();
        per.WriteMetrics(sink, 1);
        sink.Rows.Should().ContainSingle(r => r.Tag == "train/per_beta").Which.Value.Should().Be(0.25);
    }

    [Fact]
    public void The_update_moves_Q_of_the_taken_action_towards_the_target_and_only_that_one()
    {
        var p = new DqnParams { BatchSize = 1, Gamma = 0.5, Loss = DqnLoss.Mse, MaxGradNorm = double.PositiveInfinity, LearningRate = 0.01 };
        var agent = Linear(2, 2, p);
        SetLinear(agent.QNetwork, [1, 0, 0, 1]);
        SetLinear(agent.TargetNetwork, [3, 0, 0, 1]);
        agent.Buffer.Add([1, 1], [1], [1], [1, 2], [false], [false]); // action 1: Q(s, 1) = 1, y = 2.5
        var before = agent.QNetwork.StateDict()["0.weight"].ToArray();
        agent.Update(1, 1);
        var after = agent.QNetwork.StateDict()["0.weight"].ToArray();
        after[0].Should().Be(before[0]);
        after[1].Should().Be(before[1]);
        after[2].Should().BeGreaterThan(before[2], "Q(s, 1) rises towards y");
        after[3].Should().BeGreaterThan(before[3]);
        agent.TargetNetwork.StateDict()["0.weight"].ToArray().Should().Equal([3f, 0f, 0f, 1f], "the update leaves the target network alone");
    }

    [Fact]
    public void Learning_rate_and_target_sync_act_on_the_agents_own_networks()
    {
        var agent = Linear(2, 2, new DqnParams { LearningRate = 0.005 });
        agent.LearningRate.Should().Be(0.005);
        agent.SetLearningRate(0.02);
        agent.LearningRate.Should().Be(0.02);
        agent.Optimizer.LearningRate.Should().Be(0.02);
        agent.Networks.Should().ContainKey("q").WhoseValue.Should().BeSameAs(agent.QNetwork);
        SetLinear(agent.QNetwork, [5, 6, 7, 8]);
        agent.TargetNetwork.StateDict()["0.weight"].ToArray().Should().NotEqual([5f, 6f, 7f, 8f]);
        agent.SyncTargetNetworks();
        agent.TargetNetwork.StateDict()["0.weight"].ToArray().Should().Equal(5, 6, 7, 8);
        agent.UpdateTarget();
        agent.TargetNetwork.StateDict()["0.weight"].ToArray().Should().Equal(5, 6, 7, 8);
        (agent.TrainFreq, agent.GradientSteps, agent.LearningStarts).Should().Be((agent.Params.TrainFreq, agent.Params.GradientSteps, agent.Params.LearningStarts));
    }

    [Fact]
    public void Injected_networks_and_optimizers_are_used_and_checked()
    {
        var space = new Box(-1f, 1f, 3);
        Module? made = null;
        var agent = new DqnAgent(space, new Discrete(2), new DqnParams(), 0,
            createQNetwork: rng => made = new Mlp(3, [4], 2, Activation.Tanh, rng),
            createOptimizer: (ps, lr) => new RlExperiments.Tensors.Optim.Sgd(ps, lr));
        agent.TargetNetwork.Should().BeSameAs(made, "the second network made is the target");
        agent.QNetwork.Should().NotBeSameAs(made);
        agent.Optimizer.Should().BeOfType<RlExperiments.Tensors.Optim.Sgd>();
        var wrong = () => new DqnAgent(space, new Discrete(2), new DqnParams(), 0, createQNetwork: rng => new Mlp(3, [4], 3, Activation.Tanh, rng));
        wrong.Should().Throw<ArgumentException>().WithMessage("*[1, 2]*");
        var nullOptimizer = () => new DqnAgent(space, new Discrete(2), new DqnParams(), 0, createOptimizer: (_, _) => null!);
        nullOptimizer.Should().Throw<ArgumentException>().WithMessage("*createOptimizer returned null*");
        var box = () => new DqnAgent(new Discrete(3), new Discrete(2), new DqnParams(), 0);
        box.Should().Throw<ArgumentException>().WithMessage("*Box*").Which.ParamName.Should().Be("observationSpace");
        var envs = () => new DqnAgent(space, new Discrete(2), new DqnParams(), 0, numEnvs: 0);
        envs.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("numEnvs");
        var small = () => new DqnAgent(space, new Discrete(2), new DqnParams { BufferSize = 3 }, 0, numEnvs: 4);
        small.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*BufferSize must be ≥ numEnvs (4)*");
    }

    [Theory]
    [InlineData(1)]   // the compiled plan's path (up to 16 rows with one training environment)
    [InlineData(17)]  // the module's path (more rows than the plan serves)
    public void The_epsilon_coin_is_strict_a_draw_equal_to_epsilon_acts_greedily(int rows)
    {
        // SB3 explores when np.random.rand() < exploration_rate. A replica of the exploration stream gives the coin u of
        // row 0 and the uniform action that would follow it; with ε = u row 0 must act greedily, with ε just above u it
        // must take that uniform action.
        var replica = SeedStreams.FromSeed(0).Exploration;
        var u = replica.NextDouble();
        var uniform = replica.NextInt(4);
        var greedy = (uniform + 1) % 4;
        var obs = new float[rows * 4];
        for (var r = 0; r < rows; r++) obs[r * 4 + greedy] = 5; // Q(s) = s: the greedy action is `greedy`
        var actions = new float[rows];

        var atU = Linear(4, 4);
        SetLinear(atU.QNetwork, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
        atU.Epsilon = u;
        atU.Act(obs, actions, deterministic: false);
        actions[0].Should().Be(greedy, $"u = {u} is not < ε = {u}");

        var above = Linear(4, 4);
        SetLinear(above.QNetwork, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
        above.Epsilon = Math.BitIncrement(u);
        above.Act(obs, actions, deterministic: false);
        actions[0].Should().Be(uniform, "u < ε: row 0 explores");
    }

    [Fact]
    public void Explore_without_uniformRandom_is_epsilon_greedy_not_greedy()
    {
        Space o2 = new Box(-10f, 10f, 2), a2 = new Discrete(2, start: 3);
        var agent = new DqnAgent(o2, a2, new DqnParams(), 0, createQNetwork: Net.Q(o2, a2, []));
        SetLinear(agent.QNetwork, [1, 0, 0, 1]);
        agent.Epsilon = 1;
        var obs = new float[800];
        for (var r = 0; r < 400; r++) obs[r * 2 + 1] = 1; // greedy action 4 everywhere
        var env = new float[400];
        var buffer = new float[400];
        agent.Explore(obs, env, buffer, uniformRandom: false);
        env.Count(a => a == 3).Should().BeInRange(140, 260, "ε = 1: uniform actions (200 expected), although the greedy one is 4");
    }

    [Fact]
    public void A_hard_target_update_is_a_copy_even_over_a_non_finite_target_weight()
    {
        // τ = 1 copies θ⁻ ← θ. An average θ⁻ + 1·(θ − θ⁻) would keep a diverged (∞ or NaN) target weight: ∞ − ∞ = NaN.
        var agent = Linear(2, 2, new DqnParams { Tau = 1, TargetUpdateInterval = 1 });
        SetLinear(agent.QNetwork, [1, 2, 3, 4]);
        var target = agent.TargetNetwork.StateDict()["0.weight"];
        target.Data[0] = float.PositiveInfinity;
        target.Data[1] = float.NaN;
        agent.OnEnvSteps(1, 100);
        agent.TargetNetwork.StateDict()["0.weight"].ToArray().Should().Equal(1, 2, 3, 4);
    }

    [Theory]
    [InlineData(DqnLoss.Mse, 2.25)]   // δ = −1.5: δ²
    [InlineData(DqnLoss.Huber, 1.0)]  // |δ| − ½
    public void A_prioritised_update_is_the_importance_weighted_mean_of_the_chosen_loss(DqnLoss loss, double perTransition)
    {
        // Two copies of the transition of the linear example (Q(s, a) = 1, y = 2.5), with priorities 1 + ε and 3 + ε (α = 1):
        // the loss is mean_i w_i ℓ with w_i = (p_i / p_min)^−β, β = 1. An identical buffer sampled with the agent's sampling
        // stream (SeedStreams.FromSeed(0).Sampling) gives the batch's weights.
        var p = new DqnParams
        {
            BatchSize = 8, BufferSize = 16, Gamma = 0.5, Loss = loss, PrioritizedReplay = true, PriorityAlpha = 1, PriorityBeta0 = 1,
            MaxGradNorm = double.PositiveInfinity,
        };
        void Fill(ReplayBuffer buffer)
        {
            buffer.Add([1, 1], [0], [1], [1, 2], [false], [false]);
            buffer.Add([1, 1], [0], [1], [1, 2], [false], [false]);
            ((PrioritizedReplayBuffer)buffer).UpdatePriorities([0, 1], [1f, 3f]);
        }
        var agent = Linear(2, 2, p);
        SetLinear(agent.QNetwork, [1, 0, 0, 1]);
        SetLinear(agent.TargetNetwork, [3, 0, 0, 1]);
        Fill(agent.Buffer);

        var replica = new PrioritizedReplayBuffer(16, 2, 1, 1, 1, 0.5, 1, 1, 1e-6);
        Fill(replica);
        var batch = replica.CreateBatch(8);
        replica.Sample(batch, SeedStreams.FromSeed(0).Sampling);
        var weights = batch.Weights.ToArray();
        weights.Should().OnlyContain(w => Math.Abs(w - 1) < 1e-6 || Math.Abs(w - (1 + 1e-6) / (3 + 1e-6)) < 1e-6);
        var meanWeight = weights.Average(w => (double)w);
        meanWeight.Should().BeLessThan(0.99, "some draws must pick the transition of priority 3 + ε (weight ≈ 1/3), else the weighting could not show");

        agent.Update(1, 1).Loss.Should().BeApproximately(perTransition * meanWeight, 1e-5);
    }

    [Fact]
    public void Each_update_uses_its_own_gradient_not_the_sum_with_the_previous_one()
    {
        // The linear example (MSE, δ = −1.5): ∂L/∂W₀₀ = ∂L/∂W₀₁ = ∂L/∂b₀ = 2δ = −3, norm √27. A learning rate of 1e-9 leaves the
        // weights (and so the second gradient) practically unchanged: a gradient left over from the first update would double it.
        var p = new DqnParams { BatchSize = 1, Gamma = 0.5, Loss = DqnLoss.Mse, MaxGradNorm = double.PositiveInfinity, LearningRate = 1e-9 };
        var agent = Linear(2, 2, p);
        SetLinear(agent.QNetwork, [1, 0, 0, 1]);
        SetLinear(agent.TargetNetwork, [3, 0, 0, 1]);
        agent.Buffer.Add([1, 1], [0], [1], [1, 2], [false], [false]);
        agent.Update(1, 1).GradNorm.Should().BeApproximately(Math.Sqrt(27), 1e-4);
        agent.Update(2, 2).GradNorm.Should().BeApproximately(Math.Sqrt(27), 1e-4);
    }

    [Fact]
    public void A_non_finite_gradient_norm_with_a_finite_loss_stops_before_the_weights_change()
    {
        // Q(s) = W s with W₀₀ = 1e-20 and s = [1e20, 0]: Q(s, 0) = 1, a terminal target y = 2.5, Huber loss 1.5 − 0.5 = 1 (finite),
        // but ∂L/∂W₀₀ = −1 · 1e20, whose square (1e40) overflows the float sum of squares: the gradient norm is ∞.
        var agent = Linear(2, 2, new DqnParams { BatchSize = 1, Loss = DqnLoss.Huber });
        SetLinear(agent.QNetwork, [1e-20f, 0, 0, 1]);
        agent.Buffer.Add([1e20f, 0], [0], [2.5f], [0, 0], [true], [false]);
        var before = agent.QNetwork.Parameters().SelectMany(t => t.ToArray()).ToArray();
        var e = agent.Invoking(a => a.Update(envSteps: 321, gradientStep: 9)).Should().Throw<RlExperiments.Agents.Training.NonFiniteException>().Which;
        e.Quantity.Should().Be("train/grad_norm");
        e.EnvStep.Should().Be(321);
        e.GradientStep.Should().Be(9);
        agent.QNetwork.Parameters().SelectMany(t => t.ToArray()).Should().Equal(before);
    }

    [Fact]
    public void Q_mean_and_td_error_read_each_batch_row_at_its_own_action()
    {
        // Q(s) = s. Transition A: s = [1, 5], a = 0; B: s = [5, 1], a = 1; both terminal with r = 2.5. Q(s, a) = 1 and
        // δ = −1.5 for both, whichever a batch of 8 draws, so q_mean = 1 and td_error = |δ| = 1.5 (means over the batch);
        // the other action's Q-value (5) must never be read.
        var p = new DqnParams { BatchSize = 8, BufferSize = 16, Loss = DqnLoss.Mse, MaxGradNorm = double.PositiveInfinity };
        var agent = Linear(2, 2, p);
        SetLinear(agent.QNetwork, [1, 0, 0, 1]);
        agent.Buffer.Add([1, 5], [0], [2.5f], [0, 0], [true], [false]);
        agent.Buffer.Add([5, 1], [1], [2.5f], [0, 0], [true], [false]);
        agent.Update(1, 1).Loss.Should().BeApproximately(2.25, 1e-6);
        var sink = new RecordingSink();
        agent.WriteMetrics(sink, 1);
        var rows = sink.Rows.ToDictionary(r => r.Tag, r => r.Value);
        rows["train/q_mean"].Should().BeApproximately(1, 1e-6);
        rows["train/td_error"].Should().BeApproximately(1.5, 1e-6);
        rows["train/loss"].Should().BeApproximately(2.25, 1e-6);
    }

    [Fact]
    public void A_checkpoint_records_the_vector_steps_taken()
    {
        var dir = RlExperiments.Agents.Tests.Buffers.ReplayBufferTests.TempDir();
        try
        {
            var agent = Linear(2, 2, new DqnParams { BufferSize = 16, TargetUpdateInterval = 2 });
            for (var i = 1; i <= 3; i++) agent.OnEnvSteps(i, 100);
            agent.SaveCheckpoint(dir);
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "agent.json")))!;
            json["VectorSteps"]!.GetValue<long>().Should().Be(3);
        }
        finally { Directory.Delete(dir, true); }
    }
}
