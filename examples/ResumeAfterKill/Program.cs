using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Experiments;
using RlExperiments.Experiments.Builders;
using RlExperiments.Factories;
using RlExperiments.Experiments.Algorithms.Dqn;

namespace ResumeAfterKill;

/// <summary>
/// Trains DQN on CartPole with a checkpoint after every epoch. Kill it (Ctrl+C, kill -9) at any moment and run it again
/// with --resume: training continues from the newest intact checkpoint and ends exactly as an uninterrupted run.
/// Usage: dotnet run -c Release --project examples/ResumeAfterKill -- [baseDir] [--resume] [--name NAME]
/// (the Experiments tests also start it as a child process and kill it).
/// </summary>
public static class Program
{
    /// <summary>The experiment: small, but long enough (40 epochs of 500 steps) to be killed mid-run.</summary>
    public static RlExperiments.Experiments.Experiment Build(string baseDir, string name) =>
        new DQNExperimentBuilder(
                new EnvFactory { EnvId = "CartPole-v1", Kwargs = new Dictionary<string, object?> { ["max_episode_steps"] = 100 } },
                new ExperimentConfig { Seed = 3, PersistenceBaseDir = baseDir, Watch = false, CheckpointEveryEpochs = 1, KeepCheckpoints = 2 },
                new SamplingConfig { NumEpochs = 40, EpochNumSteps = 500, NumTestEpisodes = 2, StartTimesteps = 100, BufferSize = 5000, BatchSize = 32 })
            .WithDQNParams(new DqnParams { TrainFreq = 2, TargetUpdateInterval = 100, PrioritizedReplay = true })
            .WithModelFactoryDefault([32])
            .WithName(name)
            .Build();

    public static int Main(string[] args)
    {
        var baseDir = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "log";
        var nameIndex = Array.IndexOf(args, "--name");
        var name = nameIndex >= 0 && nameIndex + 1 < args.Length ? args[nameIndex + 1] : "ResumeAfterKill";
        if (args.Contains("--resume"))
        {
            using var resumed = RlExperiments.Experiments.Experiment.FromDirectory(Path.Combine(baseDir, name), restorePolicy: false).Resume();
            Console.WriteLine($"Resumed and finished: {resumed.Summary.EnvSteps} env steps, best test return {resumed.Summary.BestTestReturn}");
        }
        else
        {
            using var result = Build(baseDir, name).Run(overwrite: true);
            Console.WriteLine($"Finished: {result.Summary.EnvSteps} env steps, best test return {result.Summary.BestTestReturn}");
        }
        return 0;
    }
}
