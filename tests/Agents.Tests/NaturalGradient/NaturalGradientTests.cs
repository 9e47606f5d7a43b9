using System.Text.Json;
using RlExperiments.Agents.Algorithms.Npg;
using RlExperiments.Agents.Algorithms.Trpo;
using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Evaluation;
using RlExperiments.Agents.Networks;
using RlExperiments.Agents.PolicyGradient;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Agents.Tests.NaturalGradient;

/// <summary>NPG and TRPO: conjugate gradient, the Fisher–vector product against the KL's Hessian, TRPO's line search, learning.</summary>
public class NaturalGradientTests
{
    private static readonly Box CartPoleObs = new([-4.8f, -1e9f, -0.42f, -1e9f], [4.8f, 1e9f, 0.42f, 1e9f]);

    [Fact]
    public void Conjugate_gradient_matches_a_direct_solve_on_a_small_SPD_system()
    {
        // A = BᵀB + I (5×5, SPD), b fixed; CG converges in ≤ 5 steps in exact arithmetic.
        const int n = 5;
        var rng = new Rng(7);
        var bm = new double[n, n];
        for (var i = 0; i < n; i++) for (var j = 0; j < n; j++) bm[i, j] = rng.NextDouble() * 2 - 1;
        var a = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
            {
                for (var k = 0; k < n; k++) a[i, j] += bm[k, i] * bm[k, j];
                if (i == j) a[i, j] += 1;
            }
        double[] b = [1, -2, 0.5, 3, -1];
        var x = new double[n];
        var iterations = ConjugateGradient.Solve((v, r) =>
        {
            for (var i = 0; i < n; i++)
            {
                r[i] = 0;
                for (var j = 0; j < n; j++) r[i] += a[i, j] * v[j];
            }
        }, b, x, 10);

        var direct = GaussianSolve(a, b);
        iterations.Should().BeLessThanOrEqualTo(10);
        for (var i = 0; i < n; i++) x[i].Should().BeApproximately(direct[i], 1e-8);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_Fisher_vector_product_matches_a_finite_difference_Hessian_of_the_mean_KL(bool continuous)
    {
        // A tiny actor: 2 inputs → 2 tanh units → 3 logits (17 parameters) or 2 means + 2 log-stds (14 parameters).
        var outputs = continuous ? 2 : 3;
        var net = new ActorCriticNetwork(2, outputs, continuous, [2], Activation.Tanh, share: false, orthoInit: false, logStdInit: -0.3f, new Rng(3));
        var parameters = NaturalPolicyGradientAgent.ActorParameters(net);
        var n = FlatParameters.Count(parameters);
        float[] obsData = [0.5f, -1.0f, 1.5f, 0.3f, -0.7f, 0.9f, 0.1f, -0.2f];
        var obs = Tensor.From(obsData, [4, 2]);
        var theta = new double[n];
        FlatParameters.Read(parameters, theta);
        float[] oldOutput, oldLogStd;
        using (Tensor.NoGrad()) oldOutput = net.Forward(obs).ToArray();
        oldLogStd = net.LogStd?.ToArray() ?? [];

        // H_ij of KL(θ) = mean KL(π_θ0 ‖ π_θ) at θ0 by central second differences (h = 3e-3).
        const double h = 3e-3;
        double Kl(int i, double si, int j, double sj)
        {
            var t = (double[])theta.Clone();
            t[i] += si * h;
            t[j] += sj * h;
            FlatParameters.Write(parameters, t);
            return PolicyKl.Mean(net, obs, oldOutput, oldLogStd);
        }
        var hessian = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                hessian[i, j] = (Kl(i, 1, j, 1) - Kl(i, 1, j, -1) - Kl(i, -1, j, 1) + Kl(i, -1, j, -1)) / (4 * h * h);
        FlatParameters.Write(parameters, theta);

        var rng = new Rng(11);
        var v = new double[n];
        for (var i = 0; i < n; i++) v[i] = rng.NextDouble() * 2 - 1;
        var expected = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++) expected[i] += hessian[i, j] * v[j];
            expected[i] += 0.1 * v[i];
        }

        var before = parameters.Select(p => p.ToArray()).ToArray();
        var fvp = new FisherVectorProduct(net, parameters, damping: 0.1);
        var actual = new double[n];
        fvp.Apply(obs, v, actual);

        var err = Math.Sqrt(Enumerable.Range(0, n).Sum(i => (actual[i] - expected[i]) * (actual[i] - expected[i])));
        var norm = Math.Sqrt(expected.Sum(e => e * e));
        (err / norm).Should().BeLessThan(1e-2, "F v (finite-difference J v, backward Jᵀu) should equal (∇²KL + 0.1·I) v");
        for (var k = 0; k < parameters.Length; k++) parameters[k].ToArray().Should().Equal(before[k], "θ is restored exactly");
    }

    private static (RolloutBuffer Buffer, OnPolicyUpdateContext Context) Rollout(NaturalPolicyGradientAgent agent, int steps)
    {
        var buffer = new RolloutBuffer(steps, 1, 4, 1);
        for (var t = 0; t < steps; t++)
        {
            float[] obs = [0.1f * t, 0.2f - 0.05f * t, -0.1f * t, 0.05f];
            var a = new float[1];
            var value = new float[1];
            var logProb = new float[1];
            agent.ActForRollout(obs, a, value, logProb);
            buffer.Add(obs, a, [a[0] == 0 ? 1f : -1f], [false], [false], value, logProb);
        }
        buffer.ComputeReturnsAndAdvantages(new float[1], 0.99, 0.95);
        return (buffer, new OnPolicyUpdateContext(steps, 1000));
    }

    private static float[][] Actor(NaturalPolicyGradientAgent agent) =>
        NaturalPolicyGradientAgent.ActorParameters(agent.Network).Select(p => p.ToArray()).ToArray();

    [Fact]
    public void The_line_search_rejects_steps_that_break_the_KL_bound_and_restores_theta()
    {
        // xᵀFx = 8, δ = 0.01 → α₀ = √(2·0.01/8) = 0.05; every step improves the surrogate but has KL 2δ.
        var tried = new List<double>();
        var restored = 0;
        var step = TrustRegionLineSearch.Search(a => { tried.Add(a); return (1.0, 0.02); }, () => restored++, 8, 0.5, 0.01, 0.8, 10);
        step.Should().Be(new NaturalStep(0, 0, 10, Accepted: false));
        restored.Should().Be(1);
        tried.Should().HaveCount(10);
        for (var i = 0; i < 10; i++) tried[i].Should().BeApproximately(0.05 * Math.Pow(0.8, i), 1e-15);

        // KL under δ from the third try on: accepted there, θ not restored.
        restored = 0;
        var accepted = TrustRegionLineSearch.Search(a => (1.0, a > 0.05 * 0.7 ? 0.02 : 0.005), () => restored++, 8, 0.5, 0.01, 0.8, 10);
        accepted.Should().Be(new NaturalStep(0.05 * 0.8 * 0.8, 0.005, 2, Accepted: true));
        restored.Should().Be(0);

        // A surrogate that does not improve is rejected too.
        TrustRegionLineSearch.Search(_ => (0.5, 0.0), () => restored++, 8, 0.5, 0.01, 0.8, 3).Accepted.Should().BeFalse();
    }

    [Fact]
    public void Trpo_rejects_the_step_with_a_tiny_max_kl_and_leaves_the_actor_bit_identical()
    {
        // max_kl 1e-30: α ≈ 1e-15/‖x‖ moves float32 parameters by at most an ulp, so no try both improves the surrogate and stays under the bound.
        var agent = new TrpoAgent(CartPoleObs, new Discrete(2), new TrpoParams { NumSteps = 16,  MaxKl = 1e-30 }, seed: 5, createNetwork: Net.ActorCritic(CartPoleObs, new Discrete(2), [8]));
        var (buffer, context) = Rollout(agent, 16);
        var before = Actor(agent);
        var critic = agent.Network.NamedParameters().First(p => p.Name.StartsWith("critic.", StringComparison.Ordinal)).Parameter.ToArray();
        agent.Update(buffer, context);
        agent.LastUpdate.AcceptedSteps.Should().Be(0);
        agent.LastUpdate.Backtracks.Should().Be(10);
        agent.LastUpdate.StepSize.Should().Be(0);
        var after = Actor(agent);
        for (var k = 0; k < before.Length; k++) after[k].Should().Equal(before[k]);
        agent.Network.NamedParameters().First(p => p.Name.StartsWith("critic.", StringComparison.Ordinal)).Parameter.ToArray()
            .Should().NotEqual(critic, "the critic is still fitted");
    }

    [Fact]
    public void Trpo_accepts_a_step_inside_the_trust_region_and_npg_steps_by_the_trust_region_size()
    {
        var trpo = new TrpoAgent(CartPoleObs, new Discrete(2), new TrpoParams { NumSteps = 16  }, seed: 5, createNetwork: Net.ActorCritic(CartPoleObs, new Discrete(2), [8]));
        var (buffer, context) = Rollout(trpo, 16);
        var before = Actor(trpo);
        trpo.Update(buffer, context);
        trpo.LastUpdate.AcceptedSteps.Should().Be(1);
        trpo.LastUpdate.Kl.Should().BeInRange(1e-8, 0.01);
        trpo.LastUpdate.PolicyLoss.Should().BeLessThan(0.05);
        Actor(trpo).Zip(before).Any(z => !z.First.SequenceEqual(z.Second)).Should().BeTrue();

        var npg = new NpgAgent(CartPoleObs, new Discrete(2), new NpgParams { NumSteps = 16  }, seed: 5, createNetwork: Net.ActorCritic(CartPoleObs, new Discrete(2), [8]));
        var (b2, c2) = Rollout(npg, 16);
        npg.Update(b2, c2);
        npg.LastUpdate.StepSize.Should().Be(0.5);
        npg.LastUpdate.AcceptedSteps.Should().Be(1);
        npg.LastUpdate.Kl.Should().BePositive();
    }

    [Fact]
    public void A_non_finite_surrogate_throws_NonFiniteException_and_names_it()
    {
        var agent = new NpgAgent(CartPoleObs, new Discrete(2), new NpgParams { NumSteps = 8,  NormalizeAdvantage = false }, seed: 1, createNetwork: Net.ActorCritic(CartPoleObs, new Discrete(2), [8]));
        var (buffer, context) = Rollout(agent, 8);
        buffer.Advantages[3] = float.NaN;
        var act = () => agent.Update(buffer, context);
        act.Should().Throw<NonFiniteException>().Where(e => e.Message.Contains("train/policy_loss"));
    }

    [Fact]
    public void Gaussian_policies_update_and_a_shared_network_is_refused()
    {
        var obs = new Box([-1f, -1f, -8f], [1f, 1f, 8f]);
        var act = new Box([-2f], [2f]);
        var agent = new TrpoAgent(obs, act, new TrpoParams { NumSteps = 8  }, seed: 2, createNetwork: Net.ActorCritic(obs, act, [8]));
        var buffer = new RolloutBuffer(8, 1, 3, 1);
        for (var t = 0; t < 8; t++)
        {
            float[] o = [MathF.Cos(t), MathF.Sin(t), 0.1f * t];
            var a = new float[1];
            var v = new float[1];
            var lp = new float[1];
            agent.ActForRollout(o, a, v, lp);
            buffer.Add(o, a, [-a[0] * a[0]], [false], [false], v, lp);
        }
        buffer.ComputeReturnsAndAdvantages(new float[1], 0.99, 0.95);
        agent.Update(buffer, new OnPolicyUpdateContext(8, 100));
        agent.LastUpdate.Steps.Should().Be(1);
        double.IsFinite(agent.LastUpdate.Kl).Should().BeTrue();

        var shared = () => new NpgAgent(CartPoleObs, new Discrete(2), new NpgParams(), seed: 1,
            createNetwork: rng => new ActorCriticNetwork(4, 2, false, [8], Activation.Tanh, share: true, orthoInit: true, 0f, rng));
        shared.Should().Throw<ArgumentException>().WithMessage("NPG needs separate actor and critic networks*");
    }

    [Theory]
    [InlineData("NPG", "CartPole-v1", null)]
    [InlineData("TRPO", "CartPole-v1", 12)]
    [InlineData("NPG", "Pendulum-v1", 12)]
    [InlineData("TRPO", "Pendulum-v1", null)]
    public void Collect_and_update_allocate_nothing_in_steady_state(string algorithm, string envId, int? criticBatchSize)
    {
        // Two envs × 16 steps; actor minibatches of 16 (two per pass, two passes), critic on those or in minibatches of 12.
        var kwargs = new Dictionary<string, object?> { ["max_episode_steps"] = 20 };
        using var envs = EnvRegistry.Default.MakeVec(envId, 2, kwargs: kwargs);
        IOnPolicyAlgorithm agent = algorithm == "NPG"
            ? new NpgAgent(envs.SingleObservationSpace, envs.SingleActionSpace, new NpgParams
            {
                NumSteps = 16, BatchSize = 16, UpdateEpochs = 2, CriticBatchSize = criticBatchSize, 
                NormalizeObservations = true, NormalizeRewards = true }, seed: 1, createNetwork: Net.ActorCritic(envs.SingleObservationSpace, envs.SingleActionSpace, [16, 16]))
            : new TrpoAgent(envs.SingleObservationSpace, envs.SingleActionSpace, new TrpoParams
            {
                NumSteps = 16, BatchSize = 16, UpdateEpochs = 2, CriticBatchSize = criticBatchSize, 
                NormalizeObservations = true, NormalizeRewards = true }, seed: 1, createNetwork: Net.ActorCritic(envs.SingleObservationSpace, envs.SingleActionSpace, [16, 16]));
        var trainer = new OnPolicyTrainer(agent, envs, null, new TrainerConfig(1, 10_000, 0), TestEnvSeeds.For(1, envs, null));
        for (var i = 0; i < 3; i++) trainer.CollectAndUpdate();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 3; i++) trainer.CollectAndUpdate();
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        ((NaturalPolicyGradientAgent)agent).LastUpdate.Steps.Should().Be(4);
    }

    [Fact]
    public void With_a_critic_batch_size_the_critic_makes_its_passes_over_the_whole_rollout()
    {
        // sb3-contrib: one actor step on the rollout of 16, then OptimCriticIters = 3 passes of ⌈16 / 6⌉ = 3 minibatches → 9 Adam steps.
        var agent = new TrpoAgent(CartPoleObs, new Discrete(2), new TrpoParams { NumSteps = 16,  OptimCriticIters = 3, CriticBatchSize = 6 }, seed: 5, createNetwork: Net.ActorCritic(CartPoleObs, new Discrete(2), [8]));
        var (buffer, context) = Rollout(agent, 16);
        var stepsBefore = ((Adam)agent.Optimizer).StepCount;
        agent.Update(buffer, context);
        agent.LastUpdate.Steps.Should().Be(1);
        ((Adam)agent.Optimizer).StepCount.Should().Be(stepsBefore + 9);

        var tianshou = new TrpoAgent(CartPoleObs, new Discrete(2), new TrpoParams { NumSteps = 16,  OptimCriticIters = 3 }, seed: 5, createNetwork: Net.ActorCritic(CartPoleObs, new Discrete(2), [8]));
        var (b2, c2) = Rollout(tianshou, 16);
        tianshou.Update(b2, c2);
        ((Adam)tianshou.Optimizer).StepCount.Should().Be(3);
        var bad = () => new TrpoParams { CriticBatchSize = 0 }.Validate();
        bad.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("CriticBatchSize");
    }

    [Fact]
    public void Params_validate_name_the_field_and_round_trip_through_json()
    {
        var bad = () => new TrpoParams { MaxKl = 0 }.Validate();
        bad.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("MaxKl");
        var bad2 = () => new NpgParams { TrustRegionSize = -1 }.Validate();
        bad2.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("TrustRegionSize");
        var p = new TrpoParams { NumSteps = 32, MaxKl = 0.02 };
        JsonSerializer.Deserialize<TrpoParams>(JsonSerializer.Serialize(p)).Should().Be(p);
        var q = new NpgParams { NumSteps = 16, TrustRegionSize = 0.1 };
        JsonSerializer.Deserialize<NpgParams>(JsonSerializer.Serialize(q)).Should().Be(q);
    }

    private static double[] GaussianSolve(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (var c = 0; c < n; c++)
        {
            var piv = c;
            for (var r = c + 1; r < n; r++) if (Math.Abs(m[r, c]) > Math.Abs(m[piv, c])) piv = r;
            for (var k = 0; k < n; k++) (m[c, k], m[piv, k]) = (m[piv, k], m[c, k]);
            (x[c], x[piv]) = (x[piv], x[c]);
            for (var r = c + 1; r < n; r++)
            {
                var f = m[r, c] / m[c, c];
                for (var k = c; k < n; k++) m[r, k] -= f * m[c, k];
                x[r] -= f * x[c];
            }
        }
        for (var r = n - 1; r >= 0; r--)
        {
            for (var k = r + 1; k < n; k++) x[r] -= m[r, k] * x[k];
            x[r] /= m[r, r];
        }
        return x;
    }
}
