using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Evaluation;
using RlExperiments.Agents.Training;
using RlExperiments.Environments;

namespace RlExperiments.Agents.Tests.Dqn;

/// <summary>ARLBench's eval_eps as the evaluation's ε: applied during the episodes, the training ε put back afterwards.</summary>
public class EvalEpsTests
{
    private static DqnAgent Agent(double trainingEps)
    {
        var (obs, act) = OffPolicyTestEnvs.Spaces("CartPole-v1");
        var agent = new DqnAgent(obs, act, new DqnParams { BufferSize = 100 }, 3, createQNetwork: Net.Q(obs, act, [16]));
        agent.Epsilon = trainingEps;
        return agent;
    }

    [Fact]
    public void The_evaluation_acts_with_eval_eps_and_puts_the_training_eps_back()
    {
        using var test = EnvRegistry.Default.MakeVec("CartPole-v1", 1);
        var evaluator = new Evaluator(test);
        var greedy = evaluator.Evaluate(Agent(1.0), 8, deterministic: true, seed: 77).Returns;

        // Training ε 1 (uniformly random actions); an evaluation ε of 0 must act greedily, exactly as deterministic.
        var agent = Agent(1.0);
        evaluator.Evaluate(agent, 8, deterministic: false, seed: 77, epsilon: 0.0).Returns.Should().Equal(greedy);
        agent.Epsilon.Should().Be(1.0, "the training ε is put back after the evaluation");

        // Without an evaluation ε the agent's own ε (1, random) acts, which differs from greedy.
        evaluator.Evaluate(Agent(1.0), 8, deterministic: false, seed: 77).Returns.Should().NotEqual(greedy);
        // Deterministic evaluation ignores the evaluation ε.
        evaluator.Evaluate(Agent(0.5), 8, deterministic: true, seed: 77, epsilon: 1.0).Returns.Should().Equal(greedy);

        var bad = () => evaluator.Evaluate(Agent(0.5), 1, deterministic: false, epsilon: 1.5);
        bad.Should().Throw<ArgumentOutOfRangeException>().WithMessage("The evaluation ε = 1.5 is invalid; allowed: [0, 1].*");
    }

    [Fact]
    public void The_trainer_tests_with_its_EvalEps()
    {
        using var train = EnvRegistry.Default.MakeVec("CartPole-v1", 1);
        using var test = EnvRegistry.Default.MakeVec("CartPole-v1", 1);
        var invalid = () => new TrainerConfig(1, 10, 2, DeterministicEval: false, EvalEps: -0.1).Validate();
        invalid.Should().Throw<ArgumentOutOfRangeException>().WithMessage("TrainerConfig.EvalEps = -0.1 is invalid; allowed: null or [0, 1].*");

        double Run(double? evalEps)
        {
            var agent = new DqnAgent(train.SingleObservationSpace, train.SingleActionSpace,
                new DqnParams { BufferSize = 100, LearningStarts = 1000, ExplorationInitialEps = 1, ExplorationFinalEps = 1 }, 5, createQNetwork: Net.Q(train.SingleObservationSpace, train.SingleActionSpace, [16]));
            var config = new TrainerConfig(1, 50, 6, DeterministicEval: false, EvalEps: evalEps);
            return new OffPolicyTrainer(agent, train, test, config, TestEnvSeeds.For(5, train, test)).Run().BestTestReturn;
        }
        double Greedy()
        {
            var agent = new DqnAgent(train.SingleObservationSpace, train.SingleActionSpace,
                new DqnParams { BufferSize = 100, LearningStarts = 1000, ExplorationInitialEps = 1, ExplorationFinalEps = 1 }, 5, createQNetwork: Net.Q(train.SingleObservationSpace, train.SingleActionSpace, [16]));
            var config = new TrainerConfig(1, 50, 6, DeterministicEval: true);
            return new OffPolicyTrainer(agent, train, test, config, TestEnvSeeds.For(5, train, test)).Run().BestTestReturn;
        }
        // Training ε stays 1 (no learning); testing with EvalEps 0 is the greedy test, without it the random one.
        Run(0.0).Should().Be(Greedy());
        Run(null).Should().NotBe(Greedy());
    }
}
