using System.Diagnostics;
using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Experiments;
using RlExperiments.Experiments.Algorithms.Dqn;
using RlExperiments.Factories;
using RlExperiments.Tuning;

namespace ProcessWorker;

/// <summary>
/// Child process for the tests. Both modes wait until the file <c>barrier</c> exists (so several children start their
/// work at the same moment; "-" = no wait), print "ERROR: message" and exit with 3 when the work throws.
/// <list type="bullet">
/// <item><c>study &lt;studyDir&gt; &lt;nTrials&gt; &lt;trialMs&gt; &lt;barrier&gt;</c>: a HyperparameterOptimizer with ContinuePrevious on the
/// study, one trial at a time, each sleeping trialMs (heartbeat 10 s, stale after 60 s: only the process check could fail a trial early).</item>
/// <item><c>run &lt;baseDir&gt; &lt;name&gt; &lt;epochs&gt; &lt;barrier&gt; [--overwrite]</c>: a tiny checkpointing DQN run, logger run id = "pid-&lt;pid&gt;".</item>
/// </list>
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        try
        {
            switch (args[0])
            {
                case "study":
                    Study(args[1], int.Parse(args[2]), int.Parse(args[3]), args[4]);
                    break;
                case "run":
                    Run(args[1], args[2], int.Parse(args[3]), args[4], args.Contains("--overwrite"));
                    break;
                default:
                    throw new ArgumentException($"unknown mode '{args[0]}'; allowed: study, run");
            }
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine("ERROR: " + e.Message.ReplaceLineEndings(" "));
            return 3;
        }
    }

    /// <summary>The tiny run both modes of the run tests use (CartPole, 200 env steps per epoch, a checkpoint after every epoch).</summary>
    public static RlExperiments.Experiments.Experiment TinyRun(string baseDir, string name, int epochs) =>
        new DQNExperimentBuilder(
                new EnvFactory { EnvId = "CartPole-v1", Kwargs = new Dictionary<string, object?> { ["max_episode_steps"] = 50 } },
                new ExperimentConfig { Seed = 5, PersistenceBaseDir = baseDir, Watch = false, CheckpointEveryEpochs = 1, KeepCheckpoints = 2 },
                new SamplingConfig { NumEpochs = epochs, EpochNumSteps = 200, NumTestEpisodes = 2, StartTimesteps = 50, BufferSize = 1000, BatchSize = 16 })
            .WithDQNParams(new DqnParams { TrainFreq = 4, TargetUpdateInterval = 50 })
            .WithModelFactoryDefault([16])
            .WithName(name)
            .Build();

    private static void Run(string baseDir, string name, int epochs, string barrier, bool overwrite)
    {
        var experiment = TinyRun(baseDir, name, epochs);
        Wait(barrier);
        using var result = experiment.Run(loggerRunId: $"pid-{Environment.ProcessId}", overwrite: overwrite);
        Console.WriteLine($"Finished: {result.Summary.EnvSteps} env steps");
    }

    private static void Study(string directory, int nTrials, int trialMs, string barrier)
    {
        var space = new ConfigurationSpace("quadratic").Add(new FloatHyperparameter("x", -5, 5), new FloatHyperparameter("y", -5, 5));
        var options = new HyperparameterOptimizerOptions
        {
            StudyDirectory = directory, Direction = StudyDirection.Minimize, NTrials = nTrials, ContinuePrevious = true,
            Seed = Environment.ProcessId, Sampler = SamplerKind.Random,
        };
        // Warm up (JIT, SQLite) on a throwaway study first, so that once released this process claims its first trial in
        // milliseconds even on a loaded machine, and "released together" means together.
        var warmUp = Path.Combine(Path.GetTempPath(), $"rlx-warmup-{Environment.ProcessId}");
        try { new HyperparameterOptimizer(options with { StudyDirectory = warmUp, NTrials = 1 }).Optimize(space, _ => 0.0); }
        finally { Directory.Delete(warmUp, recursive: true); }
        Wait(barrier);
        var result = new HyperparameterOptimizer(options).Optimize(space, t =>
        {
            Thread.Sleep(trialMs);
            return Math.Pow(t.Configuration.GetDouble("x") - 1, 2) + Math.Pow(t.Configuration.GetDouble("y") + 2, 2);
        });
        Console.WriteLine($"Study done: {result.Trials.Count} trials");
    }

    private static void Wait(string barrier) => RlExperiments.Testing.StartBarrier.Wait(barrier);
}
