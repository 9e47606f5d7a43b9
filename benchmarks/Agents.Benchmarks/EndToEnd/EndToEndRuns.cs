using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Agents.Training;
using RlExperiments.Core;
using RlExperiments.Environments;
using RlExperiments.Environments.Vector;

namespace RlExperiments.Agents.Benchmarks.EndToEnd;

/// <summary>
/// The end-to-end benchmark (<c>--e2e dqn|ppo|all</c>): CleanRL's DQN and PPO settings on CartPole-v1
/// (<see cref="CleanRlSettings"/>) trained by our agents through the trainers the experiment builders use
/// (<see cref="OffPolicyTrainer"/>, <see cref="OnPolicyTrainer"/>) until the mean of the last 20 training-episode
/// returns reaches 475, capped at 500k environment steps. Prints one JSON line per seed: environment steps, wall and
/// process CPU time of the run, the split between acting, updating, the environment and the rest, µs per update and
/// per acting call. <c>benchmarks/cleanrl_torch_reference.py</c> prints the same fields for PyTorch.
/// </summary>
public static class EndToEndRuns
{
    /// <summary>Parses the e2e options and runs; returns the process exit code.</summary>
    /// <param name="args">
    /// The arguments after <c>--e2e</c>: <c>[dqn|ppo|all] [--seeds N] [--first-seed S] [--no-stop] [--no-split] [--warmup]
    /// [--dqn-hidden 120,84]</c>. <c>--dqn-hidden</c> replaces dqn.py's hidden layers (e.g. <c>64,64</c>, the network the
    /// issue that set the 20x goal describes); the script takes the same option.
    /// </param>
    /// <param name="output">Where the JSON lines go.</param>
    public static int Run(string[] args, TextWriter output)
    {
        var which = "all";
        int seeds = 3, firstSeed = 0;
        bool stop = true, split = true, warmup = false;
        int[] dqnHidden = CleanRlSettings.DqnHidden;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "dqn" or "ppo" or "all": which = args[i]; break;
                case "--seeds": seeds = ParseCount(args, ++i, "--seeds"); break;
                case "--first-seed": firstSeed = ParseCount(args, ++i, "--first-seed", allowZero: true); break;
                case "--no-stop": stop = false; break;
                case "--no-split": split = false; break;
                case "--warmup": warmup = true; break;
                case "--dqn-hidden": dqnHidden = ParseSizes(args, ++i); break;
                default:
                    Console.Error.WriteLine($"--e2e: unknown argument '{args[i]}'; allowed: dqn, ppo, all, --seeds N, --first-seed S, --no-stop, --no-split, --warmup, --dqn-hidden W1,W2,….");
                    return 2;
            }
        }

        var algorithms = which == "all" ? new[] { "dqn", "ppo" } : [which];
        if (warmup)
        {
            // An explicit warm-up: a short throwaway run of the same setting, so the timed runs start on optimised code.
            var start = Stopwatch.GetTimestamp();
            foreach (var algo in algorithms) RunOne(algo, seed: 1_000_000, stop: false, split, cap: WarmupSteps(algo), learningStarts: 256, dqnHidden);
            Console.Error.WriteLine(JsonSerializer.Serialize(new { warmup_s = Math.Round(Stopwatch.GetElapsedTime(start).TotalSeconds, 3) }));
        }
        foreach (var algo in algorithms)
            for (var seed = firstSeed; seed < firstSeed + seeds; seed++)
                output.WriteLine(JsonSerializer.Serialize(RunOne(algo, seed, stop, split, CleanRlSettings.TotalTimesteps, learningStarts: null, dqnHidden)));
        return 0;
    }

    private static int WarmupSteps(string algo) => algo == "dqn" ? 3_000 : 4 * 128 * CleanRlSettings.PpoNumEnvs;

    private static int ParseCount(string[] args, int i, string name, bool allowZero = false)
    {
        if (i >= args.Length || !int.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || (n == 0 && !allowZero))
            throw new ArgumentException($"{name} needs a whole number {(allowZero ? "≥ 0" : "≥ 1")}; got '{(i < args.Length ? args[i] : "nothing")}'.");
        return n;
    }

    private static int[] ParseSizes(string[] args, int i)
    {
        var text = i < args.Length ? args[i] : "";
        var parts = text.Split(',');
        var sizes = new int[parts.Length];
        for (var j = 0; j < parts.Length; j++)
            if (!int.TryParse(parts[j], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[j]) || sizes[j] == 0)
                throw new ArgumentException($"--dqn-hidden needs layer widths ≥ 1 separated by commas, e.g. 64,64; got '{(i < args.Length ? text : "nothing")}'.");
        return sizes;
    }

    /// <summary>Trains one seed and returns its JSON record.</summary>
    private static Dictionary<string, object?> RunOne(string algo, int seed, bool stop, bool split, int cap, int? learningStarts, int[] dqnHidden)
    {
        var clock = new PhaseClock { Enabled = split };
        var numEnvs = algo == "dqn" ? 1 : CleanRlSettings.PpoNumEnvs;
        using var envs = EnvRegistry.Default.MakeVec("CartPole-v1", numEnvs, wrap: e => new TimedEnv(e, clock));
        var rule = new RecentReturnStop(CleanRlSettings.WindowEpisodes, CleanRlSettings.TargetReturn);
        var callbacks = stop ? new TrainerCallbacks { Step = rule } : null;
        var config = new TrainerConfig(1, cap, NumTestEpisodes: 0);
        var seedsOf = SeedStreams.FromSeed(seed).EnvironmentSeeds(numEnvs, 0);
        Trainer trainer = algo == "dqn"
            ? new OffPolicyTrainer(new TimedOffPolicyAgent(new DqnAgent(envs.SingleObservationSpace, envs.SingleActionSpace,
                  learningStarts is { } ls ? CleanRlSettings.Dqn with { LearningStarts = ls } : CleanRlSettings.Dqn, seed, 1,
                  CleanRlSettings.DqnNetwork(envs.SingleObservationSpace.FlatSize, ((RlExperiments.Environments.Spaces.Discrete)envs.SingleActionSpace).N, dqnHidden)), clock),
                  envs, null, config, seedsOf, callbacks, rule)
            : new OnPolicyTrainer(new TimedOnPolicyAlgorithm(new PpoAgent(envs.SingleObservationSpace, envs.SingleActionSpace, CleanRlSettings.Ppo, seed), clock),
                  envs, null, config, seedsOf, callbacks, rule);

        var process = Process.GetCurrentProcess();
        var cpuStart = process.TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        var result = trainer.Run();
        var wallTicks = Stopwatch.GetTimestamp() - start;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        var processSeconds = (DateTime.Now - process.StartTime).TotalSeconds;
        var processCpu = process.TotalProcessorTime.TotalSeconds;

        var wall = PhaseClock.Seconds(wallTicks);
        var record = new Dictionary<string, object?>
        {
            ["impl"] = "rlx", ["algo"] = algo, ["seed"] = seed, ["reached"] = rule.Reached,
            ["dqn_hidden"] = algo == "dqn" ? string.Join("-", dqnHidden) : null,
            ["env_steps"] = result.EnvSteps, ["episodes"] = rule.Episodes, ["mean_last20"] = Round(rule.Mean, 1),
            ["wall_s"] = Round(wall, 3), ["cpu_s"] = Round(cpu, 3),
            ["process_s"] = Round(processSeconds, 3), ["process_cpu_s"] = Round(processCpu, 3),
            ["steps_per_s"] = Math.Round(result.EnvSteps / wall),
            ["gradient_steps"] = result.GradientSteps,
        };
        if (split)
        {
            double act = PhaseClock.Seconds(clock.ActTicks), update = PhaseClock.Seconds(clock.UpdateTicks), env = PhaseClock.Seconds(clock.EnvTicks);
            record["acting_s"] = Round(act, 3);
            record["updating_s"] = Round(update, 3);
            record["env_s"] = Round(env, 3);
            record["other_s"] = Round(wall - act - update - env, 3);
            record["updates"] = clock.UpdateCalls;
            record["update_us"] = Round(1e6 * update / Math.Max(1, clock.UpdateCalls), 2);
            // PPO's update is 4 epochs × 4 minibatches: the per-minibatch cost compares with DQN's per-update one.
            if (algo == "ppo") record["minibatch_us"] = Round(1e6 * update / Math.Max(1, result.GradientSteps), 2);
            record["act_calls"] = clock.NetworkActCalls;
            record["act_batch"] = numEnvs;
            record["act_us"] = Round(1e6 * PhaseClock.Seconds(clock.NetworkActTicks) / Math.Max(1, clock.NetworkActCalls), 3);
        }
        record["load_avg_1m"] = LoadAverage();
        return record;
    }

    private static double? Round(double value, int digits) => double.IsFinite(value) ? Math.Round(value, digits) : null;

    /// <summary>The one-minute load average (Linux), so a timing carries how busy the machine was; null elsewhere.</summary>
    private static double? LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
