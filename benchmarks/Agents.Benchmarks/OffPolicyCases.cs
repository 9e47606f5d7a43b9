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
        Dqn("dqn_cartpole", DqnPresets.CartPoleV1, 475, required: true),
        Dqn("dqn_acrobot", DqnPresets.AcrobotV1, -100, required: true),
        new("sac_pendulum", "SAC", "Pendulum-v1", SacPresets.PendulumV1.TotalTimesteps, -200, true, seed => Run("sac_pendulum", SacPresets.PendulumV1.EnvId,
            SacPresets.PendulumV1.TotalTimesteps, seed, (o, a) => new SacAgent(o, a, SacPresets.PendulumV1.Params, seed))),
        Dqn("dqn_mountaincar", DqnPresets.MountainCarV0, -120, required: false),
        new("ddpg_pendulum", "DDPG", "Pendulum-v1", 20_000, -200, true, seed => Run("ddpg_pendulum", DdpgPresets.PendulumV1.EnvId,
            20_000, seed, (o, a) => new DdpgAgent(o, a, DdpgPresets.PendulumV1.Params, seed))),
        new("td3_pendulum", "TD3", "Pendulum-v1", 20_000, -200, true, seed => Run("td3_pendulum", Td3Presets.PendulumV1.EnvId,
            20_000, seed, (o, a) => new Td3Agent(o, a, Td3Presets.PendulumV1.Params, seed))),
        new("td3_mountaincar", "TD3", "MountainCarContinuous-v0", Td3Presets.MountainCarContinuousV0.TotalTimesteps, 90, true, seed => Run("td3_mountaincar",
            Td3Presets.MountainCarContinuousV0.EnvId, Td3Presets.MountainCarContinuousV0.TotalTimesteps, seed,
            (o, a) => new Td3Agent(o, a, Td3Presets.MountainCarContinuousV0.Params, seed))),
        Iqn("iqn_cartpole", IqnPresets.CartPoleV1, 475),
        Iqn("iqn_acrobot", IqnPresets.AcrobotV1, -100),
        new("redq_pendulum", "REDQ", "Pendulum-v1", RedqPresets.PendulumV1.TotalTimesteps, -200, true, seed => Run("redq_pendulum", RedqPresets.PendulumV1.EnvId,
            RedqPresets.PendulumV1.TotalTimesteps, seed, (o, a) => new RedqAgent(o, a, RedqPresets.PendulumV1.Params, seed))),
        DiscreteSac("dsac_cartpole", DiscreteSacPresets.CartPoleV1, 475),
        DiscreteSac("dsac_acrobot", DiscreteSacPresets.AcrobotV1, -100),
    ];

    private static LearningCase Iqn(string name, ZooPreset<IqnParams> preset, double threshold) =>
        new(name, "IQN", preset.EnvId, preset.TotalTimesteps, threshold, true,
            seed => Run(name, preset.EnvId, preset.TotalTimesteps, seed, (o, a) => new IqnAgent(o, a, preset.Params, seed)));

    private static LearningCase DiscreteSac(string name, ZooPreset<DiscreteSacParams> preset, double threshold) =>
        new(name, "DiscreteSAC", preset.EnvId, preset.TotalTimesteps, threshold, true,
            seed => Run(name, preset.EnvId, preset.TotalTimesteps, seed, (o, a) => new DiscreteSacAgent(o, a, preset.Params, seed)));

    private static LearningCase Dqn(string name, ZooPreset<DqnParams> preset, double threshold, bool required) =>
        new(name, "DQN", preset.EnvId, preset.TotalTimesteps, threshold, required,
            seed => Run(name, preset.EnvId, preset.TotalTimesteps, seed, (o, a) => new DqnAgent(o, a, preset.Params, seed)));

    /// <summary>
    /// Trains one seed for <paramref name="budget"/> env steps (one epoch, no test phases, so the wall time is training
    /// only), then evaluates 10 deterministic episodes on a fresh test env. Writes a diagnostic JSON line to stderr with
    /// the process CPU time, the mean time per gradient update and the loop time outside updates. With
    /// <see cref="LearningCurves.Interval"/> set, trains in epochs of that many steps instead, each followed by 10
    /// deterministic test episodes written to stderr as a learning-curve point (acting greedily draws no random number,
    /// so the training run is the same).
    /// </summary>
    private static SeedOutcome Run(string name, string envId, long budget, int seed, Func<Space, Space, IOffPolicyAgent> create)
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
        var best = new Dictionary<string, Dictionary<string, Tensors.Tensor>>(StringComparer.Ordinal);
        var trainer = new OffPolicyTrainer(agent, train, config.NumTestEpisodes > 0 ? curveEnv : null, config,
            SeedStreams.FromSeed(seed).EnvironmentSeeds(train.NumEnvs, config.NumTestEpisodes > 0 ? 1 : 0),
            LearningCurves.Callbacks(name, seed, agent, best));
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = trainer.Run();
        var wall = clock.Elapsed.TotalSeconds;
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

        foreach (var (key, state) in best) agent.Networks[key].LoadStateDict(state);   // --best: the best curve point's policy
        test.Reset(1_000_000 + seed);
        var eval = new Evaluator(test).Evaluate(agent, 10, deterministic: true);
        var updateSeconds = PhaseClock.Seconds(phases.UpdateTicks);
        Console.Error.WriteLine(JsonSerializer.Serialize(new
        {
            @case = name, seed, cpu_s = Math.Round(cpu.TotalSeconds, 2),
            update_ms = Math.Round(1e3 * updateSeconds / Math.Max(1, result.GradientSteps), 3),
            updates_s = Math.Round(updateSeconds, 2), loop_overhead_s = Math.Round(wall - updateSeconds, 2),
        }));
        return new SeedOutcome(eval.Mean, wall, result.EnvSteps, result.GradientSteps);
    }
}
