using System.Diagnostics;
using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Agents.Evaluation;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments;

namespace RlExperiments.Agents.Benchmarks;

/// <summary>Learning rows of the on-policy algorithms: PPO with rl-baselines3-zoo's tuned presets.</summary>
public static class OnPolicyCases
{
    /// <summary>The on-policy rows.</summary>
    public static IEnumerable<LearningCase> All() =>
    [
        new("ppo_cartpole", "PPO", "CartPole-v1", 100_000, 475, true, seed => RunPpo(PpoPresets.CartPoleV1, 100_000, seed)),
        new("ppo_acrobot", "PPO", "Acrobot-v1", 200_000, -100, true, seed => RunPpo(PpoPresets.AcrobotV1, 200_000, seed)),
    ];

    /// <summary>
    /// Trains one seed of <paramref name="preset"/> for <paramref name="budget"/> env steps (one epoch, no test
    /// phases, so the wall time is training only), then evaluates 10 deterministic episodes on a fresh env.
    /// </summary>
    public static SeedOutcome RunPpo(PpoPreset preset, long budget, int seed)
    {
        var root = new Rng((ulong)seed);
        var agentRng = root.SpawnOne();
        var trainerRng = root.SpawnOne();
        var evalSeed = root.SpawnOne().NextInt(1_000_000);

        using var envs = EnvRegistry.Default.MakeVec(preset.EnvId, preset.NumEnvs);
        using var testEnvs = EnvRegistry.Default.MakeVec(preset.EnvId, 1);
        var agent = new PpoAgent(preset.Params, envs.SingleObservationSpace, envs.SingleActionSpace, agentRng);
        var trainer = new OnPolicyTrainer(agent, envs, null, new TrainerConfig(1, (int)budget, NumTestEpisodes: 0), trainerRng);

        var clock = Stopwatch.StartNew();
        var result = trainer.Run();
        clock.Stop();

        var eval = new Evaluator(testEnvs).Evaluate(agent, 10, deterministic: true, seed: evalSeed);
        return new SeedOutcome(eval.Mean, clock.Elapsed.TotalSeconds, result.EnvSteps, result.GradientSteps);
    }
}
