using RlExperiments.Agents.Algorithms.Npg;
using RlExperiments.Agents.Algorithms.Trpo;
using RlExperiments.Agents.Evaluation;
using RlExperiments.Agents.PolicyGradient;
using RlExperiments.Agents.Training;
using RlExperiments.Environments;

namespace RlExperiments.Agents.Tests.NaturalGradient;

/// <summary>NPG and TRPO learn CartPole-v1 with a fixed seed (Tianshou's defaults, and TRPO with the zoo's preset).</summary>
public class NaturalGradientLearningTests
{
    private static (double Before, double After) Learn(Func<Environments.Spaces.Space, Environments.Spaces.Space, NaturalPolicyGradientAgent> make, int steps, int seed, int numEnvs = 4)
    {
        using var envs = EnvRegistry.Default.MakeVec("CartPole-v1", numEnvs);
        using var testEnvs = EnvRegistry.Default.MakeVec("CartPole-v1", 1);
        var agent = make(envs.SingleObservationSpace, envs.SingleActionSpace);
        var trainer = new OnPolicyTrainer(agent, envs, testEnvs, new TrainerConfig(1, steps, 0), TestEnvSeeds.For(seed, envs, testEnvs));
        var before = new Evaluator(testEnvs).Evaluate(agent, 10, deterministic: true, seed: 12345).Mean;
        trainer.Run();
        var after = new Evaluator(testEnvs).Evaluate(agent, 10, deterministic: true, seed: 12345).Mean;
        return (before, after);
    }

    [Theory]
    [InlineData(1)]
    public void Npg_learns_cartpole(int seed)
    {
        // Tianshou's NPG defaults (trust_region_size 0.5, 5 critic iterations), 4 envs × 256 steps per update, 4e4 steps.
        var (before, after) = Learn((o, a) => new NpgAgent(o, a, new NpgParams { NumSteps = 256 }, seed), 40_000, seed);
        before.Should().BeLessThan(50);
        after.Should().BeGreaterThan(250, "seeds 1 and 2 reached 450.6 and 459.2 after 4e4 steps (untrained: 29.2 and 9.8)");
    }

    [Theory]
    [InlineData(1)]
    public void Trpo_learns_cartpole(int seed)
    {
        // Tianshou's TRPO defaults (max_kl 0.01, backtrack 0.8 × 10), 4 envs × 256 steps per update, 4e4 steps.
        var (before, after) = Learn((o, a) => new TrpoAgent(o, a, new TrpoParams { NumSteps = 256 }, seed), 40_000, seed);
        before.Should().BeLessThan(50);
        after.Should().BeGreaterThan(200, "seeds 1 and 2 reached 353.7 and 500 after 4e4 steps (untrained: 29.2 and 9.8)");
    }

    [Theory]
    [InlineData(1)]
    public void Trpo_learns_cartpole_with_the_zoo_preset(int seed)
    {
        // rl-baselines3-zoo's trpo.yml for CartPole-v1: 2 envs × 512 steps, critic 20 passes of minibatches of 512; 5e4 steps.
        var (before, after) = Learn((o, a) => new TrpoAgent(o, a, TrpoPresets.CartPoleV1.Params, seed), 50_000, seed, TrpoPresets.CartPoleV1.NumEnvs);
        before.Should().BeLessThan(50);
        after.Should().BeGreaterThan(150, "seeds 1 and 2 reached 253.5 and 500 after 5e4 steps (untrained: 29.2 and 9.8)");
    }
}
