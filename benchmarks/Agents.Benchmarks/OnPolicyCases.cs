using System.Diagnostics;
using System.Text.Json;
using RlExperiments.Agents.Algorithms.A2c;
using RlExperiments.Agents.Algorithms.Npg;
using RlExperiments.Agents.Algorithms.Pg;
using RlExperiments.Agents.Algorithms.Trpo;
using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Agents.Benchmarks.EndToEnd;
using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Evaluation;
using RlExperiments.Agents.Normalization;
using RlExperiments.Agents.Presets;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Benchmarks;

/// <summary>
/// Learning rows of the on-policy algorithms: PPO and A2C with rl-baselines3-zoo's tuned presets (<c>ppo.yml</c>,
/// <c>a2c.yml</c>), and PG (REINFORCE), for which the zoo has none: 8 environments × 256 steps per collect, learning
/// rate 3e-3, return scaling on (Tianshou's <c>return_scaling</c>), the rest <see cref="PgParams"/>' defaults. TRPO runs
/// rl-baselines3-zoo's <c>trpo.yml</c> (<see cref="TrpoPresets"/>), NPG Tianshou's <c>test/continuous/test_npg.py</c>
/// settings (<see cref="NpgPresets"/>), each with the preset's environment count and the row's budget.
/// </summary>
public static class OnPolicyCases
{
    /// <summary>The on-policy rows (budgets: 1e5 for CartPole as the zoo, 2e5 for Acrobot instead of the zoo's 1e6).</summary>
    public static IEnumerable<LearningCase> All() =>
    [
        new("ppo_cartpole", "PPO", "CartPole-v1", 100_000, 475, true, seed => RunPpo("ppo_cartpole", PpoPresets.CartPoleV1, 100_000, seed)),
        new("ppo_acrobot", "PPO", "Acrobot-v1", 200_000, -100, true, seed => RunPpo("ppo_acrobot", PpoPresets.AcrobotV1, 200_000, seed)),
        // The zoo's Pendulum-v1 preset (1e5 steps there, with gSDE, which this framework lacks): at its budget (a stretch row,
        // 4 of 5 seeds reach −250) and twice it (5 of 5).
        new("ppo_pendulum", "PPO", "Pendulum-v1", 100_000, -250, false, seed => RunPpo("ppo_pendulum", PpoPresets.PendulumV1, 100_000, seed)),
        new("ppo_pendulum_200k", "PPO", "Pendulum-v1", 200_000, -250, true, seed => RunPpo("ppo_pendulum_200k", PpoPresets.PendulumV1, 200_000, seed)),
        new("pg_cartpole", "PG", "CartPole-v1", 300_000, 475, true,
            seed => Run("pg_cartpole", "CartPole-v1", 8, 300_000, seed, (o, a) => new PgAgent(o, a, PgCartPole, seed))),
        new("a2c_cartpole", "A2C", "CartPole-v1", 500_000, 475, true,
            seed => Run("a2c_cartpole", "CartPole-v1", A2cPresets.CartPoleV1.NumEnvs, 500_000, seed, (o, a) => new A2cAgent(o, a, A2cPresets.CartPoleV1.Params, seed))),
        new("a2c_acrobot", "A2C", "Acrobot-v1", 500_000, -100, true,
            seed => Run("a2c_acrobot", "Acrobot-v1", A2cPresets.AcrobotV1.NumEnvs, 500_000, seed, (o, a) => new A2cAgent(o, a, A2cPresets.AcrobotV1.Params, seed))),
        new("npg_cartpole", "NPG", "CartPole-v1", 200_000, 475, true, seed => RunPreset("npg_cartpole", NpgPresets.CartPoleV1, 200_000, seed, p => new NpgAgent(p.o, p.a, NpgPresets.CartPoleV1.Params, seed))),
        new("trpo_cartpole", "TRPO", "CartPole-v1", 200_000, 475, true, seed => RunPreset("trpo_cartpole", TrpoPresets.CartPoleV1, 200_000, seed, p => new TrpoAgent(p.o, p.a, TrpoPresets.CartPoleV1.Params, seed))),
        new("npg_pendulum", "NPG", "Pendulum-v1", 500_000, -250, true, seed => RunPreset("npg_pendulum", NpgPresets.PendulumV1, 500_000, seed, p => new NpgAgent(p.o, p.a, NpgPresets.PendulumV1.Params, seed))),
        new("trpo_pendulum", "TRPO", "Pendulum-v1", 500_000, -250, true, seed => RunPreset("trpo_pendulum", TrpoPresets.PendulumV1, 500_000, seed, p => new TrpoAgent(p.o, p.a, TrpoPresets.PendulumV1.Params, seed))),
    ];

    /// <summary>PG's settings for CartPole-v1 (see the class summary).</summary>
    private static PgParams PgCartPole => new() { NumSteps = 256, LearningRate = 3e-3, ReturnScaling = true };

    /// <summary>
    /// Trains one seed of <paramref name="preset"/> for <paramref name="budget"/> env steps (one epoch, no test phases,
    /// so the wall time is training only), then evaluates 10 deterministic episodes on a fresh test env. Writes a
    /// diagnostic JSON line to stderr with the process CPU time and the split between updates and collection.
    /// </summary>
    public static SeedOutcome RunPpo(string name, ZooPreset<PpoParams> preset, long budget, int seed) =>
        Run(name, preset.EnvId, preset.NumEnvs, budget, seed, (o, a) => new PpoAgent(o, a, preset.Params, seed));

    /// <summary>Trains one seed with a preset's environment count (see <see cref="RunPpo"/>).</summary>
    private static SeedOutcome RunPreset<TParams>(string name, ZooPreset<TParams> preset, long budget, int seed, Func<(Space o, Space a), IOnPolicyAlgorithm> create) =>
        Run(name, preset.EnvId, preset.NumEnvs, budget, seed, (o, a) => create((o, a)));

    /// <summary>Trains one seed of the agent <paramref name="create"/> makes on <paramref name="numEnvs"/> environments (see <see cref="RunPpo"/>).</summary>
    public static SeedOutcome Run(string name, string envId, int numEnvs, long budget, int seed, Func<Space, Space, IOnPolicyAlgorithm> create)
    {
        using var envs = EnvRegistry.Default.MakeVec(envId, numEnvs);
        using var testEnvs = EnvRegistry.Default.MakeVec(envId, 1);
        var phases = new PhaseClock();
        var agent = new TimedOnPolicyAlgorithm(create(envs.SingleObservationSpace, envs.SingleActionSpace), phases);
        var trainer = new OnPolicyTrainer(agent, envs, null, new TrainerConfig(1, (int)budget, NumTestEpisodes: 0),
            SeedStreams.FromSeed(seed).EnvironmentSeeds(envs.NumEnvs, 0));

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = trainer.Run();
        var wall = clock.Elapsed.TotalSeconds;
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

        testEnvs.Reset(1_000_000 + seed);
        var eval = new Evaluator(testEnvs).Evaluate(agent, 10, deterministic: true);
        var updateSeconds = PhaseClock.Seconds(phases.UpdateTicks);
        Console.Error.WriteLine(JsonSerializer.Serialize(new
        {
            @case = name, seed, cpu_s = Math.Round(cpu.TotalSeconds, 2),
            update_ms = Math.Round(1e3 * updateSeconds / Math.Max(1, result.GradientSteps), 3),
            updates_s = Math.Round(updateSeconds, 2), collect_s = Math.Round(wall - updateSeconds, 2),
        }));
        return new SeedOutcome(eval.Mean, wall, result.EnvSteps, result.GradientSteps);
    }
}
