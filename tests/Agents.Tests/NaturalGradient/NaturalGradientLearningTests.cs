using RlExperiments.Agents.Algorithms.Npg;
using RlExperiments.Agents.Algorithms.Trpo;
using RlExperiments.Agents.Evaluation;
using RlExperiments.Agents.PolicyGradient;
using RlExperiments.Agents.Training;
using RlExperiments.Environments;

namespace RlExperiments.Agents.Tests.NaturalGradient;

/// <summary>NPG and TRPO learn CartPole-v1 with a fixed seed.</summary>
public class NaturalGradientLearningTests
{
    private static (double Before, double After) Learn(Func<Environments.Spaces.Space, Environments.Spaces.Space, NaturalPolicyGradientAgent> make, int steps, int seed)
    {
        using var envs = EnvRegistry.Default.MakeVec("CartPole-v1", 4);
        using var testEnvs = EnvRegistry.Default.MakeVec("CartPole-v1", 1);
        var agent = make(envs.SingleObservationSpace, envs.SingleActionSpace);
        var trainer = new OnPolicyTrainer(agent, envs, testEnvs, new TrainerConfig(1, steps, 0), TestEnvSeeds.For(seed, envs, testEnvs));
        var before = new Evaluator(testEnvs).Evaluate(agent, 10, deterministic: true, seed: 12345).Mean;
        trainer.Run();
        var after = new Evaluator(testEnvs).Evaluate(agent, 10, deterministic: true, seed: 12345).Mean;
        Console.WriteLine($"{agent.GetType().Name} seed {seed}: {before} -> {after}");
        return (before, after);
    }

    [Theory]
    [InlineData(1)]
    public void Npg_learns_cartpole(int seed)
    {
        var (before, after) = Learn((o, a) => new NpgAgent(o, a, new NpgParams { NumSteps = 256, TrustRegionSize = 0.1 }, seed), 40_000, seed);
        before.Should().BeLessThan(50);
        after.Should().BeGreaterThan(200);
    }

    [Theory]
    [InlineData(1)]
    public void Trpo_learns_cartpole(int seed)
    {
        var (before, after) = Learn((o, a) => new TrpoAgent(o, a, new TrpoParams { NumSteps = 256 }, seed), 40_000, seed);
        before.Should().BeLessThan(50);
        after.Should().BeGreaterThan(200);
    }
}
