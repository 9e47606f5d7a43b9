using RlExperiments.Agents.Algorithms.A2c;
using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Evaluation;
using RlExperiments.Agents.Training;
using RlExperiments.Environments;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Optim;

namespace RlExperiments.Agents.Tests.A2c;

/// <summary>A2C: the loss terms on a hand-built batch, one update against hand-computed GAE, defaults, allocation, learning.</summary>
public class A2cAgentTests
{
    private static readonly Box CartPoleObs = new([-4.8f, -1e9f, -0.42f, -1e9f], [4.8f, 1e9f, 0.42f, 1e9f]);

    [Fact]
    public void Loss_terms_on_a_hand_built_batch()
    {
        var logProb = Tensor.From([-0.5f, -1.0f]);
        var advantages = Tensor.From([2f, 1f]);
        var values = Tensor.From([1f, 2f]);
        var returns = Tensor.From([2f, 0f]);
        var entropy = Tensor.From([0.7f]).Sum();
        // L^PG = −mean(−0.5·2, −1·1) = 1; L^V = mean(1², 2²) = 2.5; L = 1 + 0.5·2.5 − 0.01·0.7 = 2.243.
        A2cLoss.PolicyLoss(logProb, advantages).Item().Should().BeApproximately(1.0f, 1e-6f);
        A2cLoss.ValueLoss(values, returns).Item().Should().BeApproximately(2.5f, 1e-6f);
        A2cLoss.Total(A2cLoss.PolicyLoss(logProb, advantages), A2cLoss.ValueLoss(values, returns), entropy, 0.5, 0.01).Item()
            .Should().BeApproximately(2.243f, 1e-5f);
    }

    [Fact]
    public void One_update_uses_GAE_advantages_and_returns_of_the_rollout()
    {
        var p = new A2cParams { Gamma = 0.9, GaeLambda = 0.5, NumSteps = 3 };
        var agent = new A2cAgent(CartPoleObs, new Discrete(2), p, seed: 3);
        var buffer = new RolloutBuffer(3, 1, 4, 1);
        var lp = new float[3];
        var v = new float[3];
        float[] rewards = [1, 0, 2];
        for (var t = 0; t < 3; t++)
        {
            float[] obs = [0.1f * t, 0.2f, -0.1f * t, 0.05f];
            var a = new float[1];
            var value = new float[1];
            var logProb = new float[1];
            agent.ActForRollout(obs, a, value, logProb);
            lp[t] = logProb[0];
            v[t] = value[0];
            buffer.Add(obs, a, [rewards[t]], [t == 1], [false], value, logProb);
        }
        var last = new float[1];
        agent.PredictValues([0.3f, 0.2f, -0.3f, 0.05f], last);
        buffer.ComputeReturnsAndAdvantages(last, p.Gamma, p.GaeLambda);

        // By hand: δ_2 = 2 + 0.9·V_last − V_2, A_2 = δ_2; δ_1 = 0 − V_1 (terminated), A_1 = δ_1; δ_0 = 1 + 0.9·V_1 − V_0, A_0 = δ_0 + 0.45·A_1.
        var a2 = 2 + 0.9 * last[0] - v[2];
        var a1 = 0 - v[1];
        var a0 = 1 + 0.9 * v[1] - v[0] + 0.45 * a1;
        double[] adv = [a0, a1, a2];
        buffer.Advantages.Select(x => (double)x).Should().Equal(adv, (x, y) => Math.Abs(x - y) < 1e-5);

        agent.Update(buffer, new OnPolicyUpdateContext(3, 100));
        var s = agent.LastUpdate;
        s.GradientSteps.Should().Be(1, "one update per rollout, no minibatching");
        s.PolicyLoss.Should().BeApproximately(-Enumerable.Range(0, 3).Average(i => lp[i] * adv[i]), 1e-5);
        s.ValueLoss.Should().BeApproximately(Enumerable.Range(0, 3).Average(i => adv[i] * adv[i]), 1e-5, "R − V = A");
        s.Loss.Should().BeApproximately(s.PolicyLoss + 0.5 * s.ValueLoss - 0.01 * s.Entropy, 1e-5);
        s.Entropy.Should().BeInRange(0, Math.Log(2));
    }

    [Fact]
    public void The_default_optimiser_is_RMSprop_with_alpha_0_99_and_eps_1e_5()
    {
        var agent = new A2cAgent(CartPoleObs, new Discrete(2), new A2cParams(), seed: 1);
        var rms = agent.Optimizer.Should().BeOfType<RmsProp>().Subject;
        (rms.Alpha, rms.Eps, rms.LearningRate).Should().Be((0.99, 1e-5, 7e-4));
        new A2cAgent(CartPoleObs, new Discrete(2), new A2cParams { UseRmsProp = false }, seed: 1).Optimizer.Should().BeOfType<Adam>();
    }

    [Fact]
    public void Wrong_spaces_are_refused_naming_the_algorithm_and_the_space()
    {
        var act = () => new A2cAgent(new Discrete(3), new Discrete(2), new A2cParams(), seed: 1);
        act.Should().Throw<ArgumentException>().WithMessage("A2C needs a Box observation space; got Discrete*");
    }

    [Fact]
    public void Collect_and_update_allocate_nothing_in_steady_state()
    {
        var kwargs = new Dictionary<string, object?> { ["max_episode_steps"] = 20 };
        using var envs = EnvRegistry.Default.MakeVec("Pendulum-v1", 2, kwargs: kwargs);
        var agent = new A2cAgent(envs.SingleObservationSpace, envs.SingleActionSpace,
            new A2cParams { NumSteps = 16, BatchSize = 12, UpdateEpochs = 2, NormalizeAdvantage = true, NormalizeObservations = true, NormalizeRewards = true }, seed: 1,
            createNetwork: Net.ActorCritic(envs.SingleObservationSpace, envs.SingleActionSpace, [64, 64], share: true));
        var trainer = new OnPolicyTrainer(agent, envs, null, new TrainerConfig(1, 10_000, 0), TestEnvSeeds.For(1, envs, null));
        for (var i = 0; i < 3; i++) trainer.CollectAndUpdate();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 3; i++) trainer.CollectAndUpdate();
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void A2c_learns_cartpole_with_the_zoo_settings()
    {
        const int seed = 1;
        using var envs = EnvRegistry.Default.MakeVec("CartPole-v1", 8);
        using var testEnvs = EnvRegistry.Default.MakeVec("CartPole-v1", 1);
        var agent = new A2cAgent(envs.SingleObservationSpace, envs.SingleActionSpace, A2cPresets.CartPoleV1.Params, seed: seed);
        var trainer = new OnPolicyTrainer(agent, envs, testEnvs, new TrainerConfig(1, 40_000, 0), TestEnvSeeds.For(seed, envs, testEnvs));
        var before = new Evaluator(testEnvs).Evaluate(agent, 10, deterministic: true, seed: 12345).Mean;
        trainer.Run();
        var after = new Evaluator(testEnvs).Evaluate(agent, 10, deterministic: true, seed: 12345).Mean;
        before.Should().BeLessThan(50);
        after.Should().BeGreaterThan(250, "seeds 1 and 2 reached 449 and 418 after 4e4 steps (untrained: 29 and 10)");
    }
}
