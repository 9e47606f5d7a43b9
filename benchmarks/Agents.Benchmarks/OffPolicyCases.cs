using System.Diagnostics;
using System.Text.Json;
using RlExperiments.Agents.Algorithms.Ddpg;
using RlExperiments.Agents.Algorithms.DiscreteSac;
using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Algorithms.Iqn;
using RlExperiments.Agents.Algorithms.Redq;
using RlExperiments.Agents.Algorithms.Sac;
using RlExperiments.Agents.Algorithms.Td3;
using RlExperiments.Agents.Benchmarks.EndToEnd;
using RlExperiments.Agents.Buffers;
using RlExperiments.Agents.Evaluation;
using RlExperiments.Agents.Presets;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments;
using RlExperiments.Environments.Spaces;
using RlExperiments.Tensors.Nn;

namespace RlExperiments.Agents.Benchmarks;

/// <summary>Learning rows of the off-policy algorithms: DQN, SAC, DDPG, TD3 and IQN with rl-baselines3-zoo's tuned presets.</summary>
public static class OffPolicyCases
{
    /// <summary>The off-policy rows.</summary>
    public static IEnumerable<LearningCase> All() =>
    [
        // Judged on the kept-best policy: the zoo preset's greedy policy swings between 500 and ~100 from ~27k steps on
        // every seed (learning curves with --curve 2500), so the final snapshot at 50k is close to a coin toss.
        Dqn("dqn_cartpole", DqnPresets.CartPoleV1, 475, required: true, judgeKeptBest: true),
        Dqn("dqn_acrobot", DqnPresets.AcrobotV1, -100, required: true),
        Case("sac_pendulum", "SAC", SacPresets.PendulumV1, -200, (o, a, p, seed) => new SacAgent(o, a, p, seed)),
        Dqn("dqn_mountaincar", DqnPresets.MountainCarV0, -120, required: false),
        Case("ddpg_pendulum", "DDPG", DdpgPresets.PendulumV1, -200, (o, a, p, seed) => new DdpgAgent(o, a, p, seed)),
        Case("td3_pendulum", "TD3", Td3Presets.PendulumV1, -200, (o, a, p, seed) => new Td3Agent(o, a, p, seed)),
        Case("td3_mountaincar", "TD3", Td3Presets.MountainCarContinuousV0, 90, (o, a, p, seed) => new Td3Agent(o, a, p, seed)),
        // Judged on the kept-best policy, as dqn_cartpole: the same swing between 500 and ~100–180 (seed 2 sat at 500
        // from 60k to 90k and ended at 133).
        Case("iqn_cartpole", "IQN", IqnPresets.CartPoleV1, 475, (o, a, p, seed) => new IqnAgent(o, a, p, seed), judgeKeptBest: true),
        Case("iqn_acrobot", "IQN", IqnPresets.AcrobotV1, -100, (o, a, p, seed) => new IqnAgent(o, a, p, seed)),
        Case("redq_pendulum", "REDQ", RedqPresets.PendulumV1, -200, (o, a, p, seed) => new RedqAgent(o, a, p, seed)),
        Case("dsac_cartpole", "DiscreteSAC", DiscreteSacPresets.CartPoleV1, 475, (o, a, p, seed) => new DiscreteSacAgent(o, a, p, seed)),
        Case("dsac_acrobot", "DiscreteSAC", DiscreteSacPresets.AcrobotV1, -100, (o, a, p, seed) => new DiscreteSacAgent(o, a, p, seed)),
    ];

    private static LearningCase Dqn(string name, ZooPreset<DqnParams> preset, double threshold, bool required, bool judgeKeptBest = false) =>
        Case(name, "DQN", preset, threshold, (o, a, p, seed) => new DqnAgent(o, a, p, seed), judgeKeptBest, required);

    /// <summary>A row training <paramref name="preset"/> for its budget; <paramref name="algorithm"/> also names the policy files.</summary>
    private static LearningCase Case<TParams>(string name, string algorithm, ZooPreset<TParams> preset, double threshold,
        Func<Space, Space, TParams, int, IOffPolicyAgent> create, bool judgeKeptBest = false, bool required = true) =>
        new(name, algorithm, preset.EnvId, preset.TotalTimesteps, threshold, required,
            seed => Run(name, algorithm, preset.EnvId, preset.TotalTimesteps, seed, (o, a) => create(o, a, preset.Params, seed),
                judgeKeptBest || KeptBest.AllRows),
            judgeKeptBest);

    /// <summary>
    /// Trains one seed for <paramref name="budget"/> env steps (one epoch, no test phases, so the wall time is training
    /// only), then evaluates 10 deterministic episodes on a fresh test env. Writes a diagnostic JSON line to stderr with
    /// the process CPU time, the mean time per gradient update and the loop time outside updates. With
    /// <see cref="LearningCurves.Interval"/> set, trains in epochs of that many steps instead, each followed by 10
    /// deterministic test episodes written to stderr as a learning-curve point (acting greedily draws no random number,
    /// so the training run is the same). With <paramref name="keepBest"/>, the framework's eval callback runs alongside
    /// (<see cref="KeptBest"/>; again greedy, so training is unchanged), and the policy it kept is tested on the same 10
    /// episodes as the final snapshot; its evaluations are excluded from the wall time.
    /// </summary>
    private static SeedOutcome Run(string name, string algorithm, string envId, long budget, int seed, Func<Space, Space, IOffPolicyAgent> create, bool keepBest)
    {
        using var train = EnvRegistry.Default.MakeVec(envId, 1);
        using var test = EnvRegistry.Default.MakeVec(envId, 1);
        using var curveEnv = EnvRegistry.Default.MakeVec(envId, 1);
        var phases = new PhaseClock();
        var agent = new TimedOffPolicyAgent(create(train.SingleObservationSpace, train.SingleActionSpace), phases);
        var interval = LearningCurves.Interval;
        var config = interval > 0 && budget % interval == 0
            ? new TrainerConfig((int)(budget / interval), interval, NumTestEpisodes: 10)
            : new TrainerConfig(1, (int)budget, NumTestEpisodes: 0);
        var runDirectory = keepBest ? Directory.CreateTempSubdirectory($"rlx-{name}-{seed}-").FullName : null;
        using var kept = runDirectory is null ? null : KeptBest.Start(agent, algorithm, envId, budget, seed, runDirectory);
        var trainer = new OffPolicyTrainer(agent, train, config.NumTestEpisodes > 0 ? curveEnv : null, config,
            SeedStreams.FromSeed(seed).EnvironmentSeeds(train.NumEnvs, config.NumTestEpisodes > 0 ? 1 : 0),
            LearningCurves.Callbacks(name, seed, kept));
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = trainer.Run();
        var wall = clock.Elapsed.TotalSeconds - (kept is null ? 0 : Stopwatch.GetElapsedTime(0, kept.Ticks).TotalSeconds);
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

        // The final snapshot, then the kept policy, each on the same 10 test episodes (seeds 1,000,000 + seed, apart from
        // the eval callback's, which start from the run seed).
        test.Reset(1_000_000 + seed);
        var eval = new Evaluator(test).Evaluate(agent, 10, deterministic: true);
        double? keptReturn = null;
        if (kept is not null)
        {
            kept.LoadInto(agent);
            test.Reset(1_000_000 + seed);
            keptReturn = new Evaluator(test).Evaluate(agent, 10, deterministic: true).Mean;
            Directory.Delete(runDirectory!, recursive: true);
        }
        var updateSeconds = PhaseClock.Seconds(phases.UpdateTicks);
        Console.Error.WriteLine(JsonSerializer.Serialize(new
        {
            @case = name, seed, cpu_s = Math.Round(cpu.TotalSeconds, 2),
            update_ms = Math.Round(1e3 * updateSeconds / Math.Max(1, result.GradientSteps), 3),
            updates_s = Math.Round(updateSeconds, 2), loop_overhead_s = Math.Round(wall - updateSeconds, 2),
        }));
        return new SeedOutcome(eval.Mean, wall, result.EnvSteps, result.GradientSteps, keptReturn);
    }
}
