using RlExperiments.Agents.Algorithms.Pg;
using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Evaluation;
using RlExperiments.Agents.Training;
using RlExperiments.Environments;
using RlExperiments.Environments.Spaces;

namespace RlExperiments.Agents.Tests.Pg;

/// <summary>REINFORCE: Monte-Carlo returns on a hand-made rollout, the loss, return scaling, allocation, learning, the space errors.</summary>
public class PgAgentTests
{
    private static readonly Box CartPoleObs = new([-4.8f, -1e9f, -0.42f, -1e9f], [4.8f, 1e9f, 0.42f, 1e9f]);

    /// <summary>Four steps of one environment: r = 1, 2 (terminated), 3 (truncated), 4 (still running at the end).</summary>
    private static (RolloutBuffer Buffer, float[] LogProbs) HandMadeRollout(PgAgent agent)
    {
        var buffer = new RolloutBuffer(4, 1, 4, 1);
        var logProbs = new float[4];
        float[] rewards = [1, 2, 3, 4];
        bool[] terminated = [false, true, false, false];
        bool[] truncated = [false, false, true, false];
        for (var t = 0; t < 4; t++)
        {
            float[] obs = [0.01f * t, -0.02f * t, 0.03f, 0.1f * t];
            var action = new float[1];
            var value = new float[1];
            var logProb = new float[1];
            agent.ActForRollout(obs, action, value, logProb);
            value[0].Should().Be(0, "REINFORCE has no critic");
            logProbs[t] = logProb[0];
            buffer.Add(obs, action, [rewards[t]], [terminated[t]], [truncated[t]], value, logProb);
            if (truncated[t])
            {
                var final = new float[1];
                agent.PredictValues(obs, final);
                buffer.SetTruncationValue(0, final[0]);
            }
        }
        var last = new float[1] { 123 };
        agent.PredictValues([0.5f, 0, 0, 0], last);
        last[0].Should().Be(0);
        buffer.ComputeReturnsAndAdvantages(last, agent.Rollout.Gamma, agent.Rollout.GaeLambda);
        return (buffer, logProbs);
    }

    [Fact]
    public void Returns_are_discounted_Monte_Carlo_returns_cut_at_episode_ends_truncations_and_the_collect_end()
    {
        var agent = new PgAgent(CartPoleObs, new Discrete(2), new PgParams { Gamma = 0.5, NumSteps = 4 }, seed: 1);
        agent.Rollout.GaeLambda.Should().Be(1.0);
        var (buffer, _) = HandMadeRollout(agent);
        // G_3 = 4 (cut at the collect end); G_2 = 3 (truncated, bootstrapped with nothing); G_1 = 2 (terminated); G_0 = 1 + 0.5·2.
        buffer.Returns.Should().Equal(2f, 2f, 3f, 4f);
        buffer.Advantages.Should().Equal(2f, 2f, 3f, 4f);
    }

    [Fact]
    public void The_loss_is_minus_the_mean_of_log_probability_times_return_and_return_scaling_uses_the_running_statistics()
    {
        var agent = new PgAgent(CartPoleObs, new Discrete(2), new PgParams { Gamma = 0.5, NumSteps = 4 }, seed: 1);
        var (buffer, logProbs) = HandMadeRollout(agent);
        float[] g = [2, 2, 3, 4];
        var expected = -Enumerable.Range(0, 4).Average(i => (double)logProbs[i] * g[i]);
        agent.Update(buffer, new OnPolicyUpdateContext(4, 100));
        agent.LastUpdate.PolicyLoss.Should().BeApproximately(expected, 1e-5);
        agent.LastUpdate.ReturnMean.Should().BeApproximately(2.75, 1e-9);
        agent.GradientSteps.Should().Be(1);

        var scaled = new PgAgent(CartPoleObs, new Discrete(2), new PgParams { Gamma = 0.5, NumSteps = 4, ReturnScaling = true }, seed: 1);
        var (buffer2, logProbs2) = HandMadeRollout(scaled);
        scaled.Update(buffer2, new OnPolicyUpdateContext(4, 100));
        // First collect: μ = 0, σ² = 1 before it, so Ĝ = G / √(1 + 1e-8); then the statistics take in G (prior count 1e-4).
        scaled.LastUpdate.PolicyLoss.Should().BeApproximately(-Enumerable.Range(0, 4).Average(i => (double)logProbs2[i] * g[i]), 1e-5);
        scaled.ReturnStatistics!.Mean[0].Should().BeApproximately(2.75 * 4 / 4.0001, 1e-6);
        var (buffer3, logProbs3) = HandMadeRollout(scaled);
        var mean = scaled.ReturnStatistics.Mean[0];
        var std = Math.Sqrt(scaled.ReturnStatistics.Var[0] + 1e-8);
        scaled.Update(buffer3, new OnPolicyUpdateContext(8, 100));
        scaled.LastUpdate.PolicyLoss.Should().BeApproximately(-Enumerable.Range(0, 4).Average(i => logProbs3[i] * (g[i] - mean) / std), 1e-4);
    }

    [Fact]
    public void Wrong_spaces_are_refused_naming_the_algorithm_and_the_space()
    {
        var act = () => new PgAgent(new Discrete(3), new Discrete(2), new PgParams(), seed: 1);
        act.Should().Throw<ArgumentException>().WithMessage("PG needs a Box observation space; got Discrete*");
        var bad = () => new PgAgent(CartPoleObs, new Discrete(2), new PgParams { UpdateEpochs = 0 }, seed: 1);
        bad.Should().Throw<ArgumentOutOfRangeException>().WithMessage("UpdateEpochs must be ≥ 1*");
    }

    [Fact]
    public void A_non_finite_loss_throws()
    {
        var agent = new PgAgent(CartPoleObs, new Discrete(2), new PgParams { NumSteps = 4 }, seed: 1);
        var (buffer, _) = HandMadeRollout(agent);
        buffer.Advantages[2] = float.NaN;
        var update = () => agent.Update(buffer, new OnPolicyUpdateContext(4, 100));
        update.Should().Throw<NonFiniteException>();
    }

    [Fact]
    public void Collect_and_update_allocate_nothing_in_steady_state()
    {
        using var envs = EnvRegistry.Default.MakeVec("CartPole-v1", 2);
        var agent = new PgAgent(envs.SingleObservationSpace, envs.SingleActionSpace,
            new PgParams { NumSteps = 32, BatchSize = 24, UpdateEpochs = 2, ReturnScaling = true, NormalizeObservations = true, MaxGradNorm = 0.5 }, seed: 1);
        var trainer = new OnPolicyTrainer(agent, envs, null, new TrainerConfig(1, 10_000, 0), TestEnvSeeds.For(1, envs, null));
        for (var i = 0; i < 3; i++) trainer.CollectAndUpdate();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 3; i++) trainer.CollectAndUpdate();
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void Reinforce_learns_cartpole()
    {
        const int seed = 1;
        using var envs = EnvRegistry.Default.MakeVec("CartPole-v1", 8);
        using var testEnvs = EnvRegistry.Default.MakeVec("CartPole-v1", 1);
        var agent = new PgAgent(envs.SingleObservationSpace, envs.SingleActionSpace, PgSmoke, seed: seed);
        var trainer = new OnPolicyTrainer(agent, envs, testEnvs, new TrainerConfig(1, 40_000, 0), TestEnvSeeds.For(seed, envs, testEnvs));
        var before = new Evaluator(testEnvs).Evaluate(agent, 10, deterministic: true, seed: 12345).Mean;
        trainer.Run();
        var after = new Evaluator(testEnvs).Evaluate(agent, 10, deterministic: true, seed: 12345).Mean;
        before.Should().BeLessThan(50);
        after.Should().BeGreaterThan(LearnedThreshold, "seeds 1–3 reached 145, 147 and 170 after 4e4 steps (untrained: 10–32)");
    }

    internal static PgParams PgSmoke => new() { NumSteps = 256, LearningRate = 3e-3, ReturnScaling = true };

    private const double LearnedThreshold = 100;
}
