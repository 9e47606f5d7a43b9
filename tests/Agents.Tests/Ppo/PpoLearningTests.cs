using RlExperiments.Agents.Training;

namespace RlExperiments.Agents.Tests.Ppo;

/// <summary>Short training runs that must show learning (seeds fixed; robustness checked over 16 seeds, see the comments).</summary>
public class PpoLearningTests
{
    [Fact]
    public void Discrete_ppo_learns_cartpole_in_20k_steps()
    {
        using var run = PpoTestSupport.Create("CartPole-v1", 8, PpoTestSupport.CartPoleSmoke,
            new TrainerConfig(NumEpochs: 1, EpochNumSteps: 20_000, NumTestEpisodes: 0), seed: 0);
        var before = run.Evaluate().Mean;
        var result = run.Trainer.Run();

        result.EnvSteps.Should().Be(20_224, "⌈20000 / 256⌉ rollouts of 32 steps × 8 envs");
        result.GradientSteps.Should().Be(79 * 20, "one minibatch of 256 per epoch, 20 epochs per rollout");
        var after = run.Evaluate().Mean;
        before.Should().BeLessThan(100);
        after.Should().BeGreaterThan(150, "this setting reached 169–500 (median 500) after 2e4 steps on each of 16 seeds checked");
    }

    [Fact]
    public void Continuous_ppo_improves_on_pendulum()
    {
        using var run = PpoTestSupport.Create("Pendulum-v1", 4, PpoTestSupport.PendulumSmoke,
            new TrainerConfig(NumEpochs: 1, EpochNumSteps: 30_000, NumTestEpisodes: 0), seed: 0);
        var before = run.Evaluate().Mean;
        run.Trainer.Run();
        var after = run.Evaluate().Mean;
        before.Should().BeLessThan(-900, "the untrained policy outputs near-zero torque");
        after.Should().BeGreaterThan(before + 400, "after 3e4 steps each of 8 seeds checked reached −160 to −590 (untrained ≈ −1050)");
        after.Should().BeGreaterThan(-800);
    }
}
