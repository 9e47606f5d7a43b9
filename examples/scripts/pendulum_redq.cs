#:property PublishAot=false
#:project ../../src/Experiments/RlExperiments.Experiments.csproj

// REDQ on Pendulum-v1 (10 critics, random 2-critic target, 3 critic steps per env step), then restore the saved run and
// replay its policy: dotnet run -c Release examples/scripts/pendulum_redq.cs
using RlExperiments.Experiments;
using RlExperiments.Experiments.Builders;
using RlExperiments.Factories;
using RlExperiments.Experiments.Algorithms.Redq;
using RlExperiments.Agents.Algorithms.Redq;

var experiment = new REDQExperimentBuilder(
        new EnvFactory { EnvId = "Pendulum-v1" },
        new ExperimentConfig { WatchNumEpisodes = 3 },
        new SamplingConfig { NumEpochs = 2, EpochNumSteps = 5_000 })
    .WithREDQParams(RedqPresets.PendulumV1.Params)
    .WithName("script_pendulum_redq")
    .Build();

using var result = experiment.Run(overwrite: true);
Console.WriteLine($"Saved policy's test return: {result.PolicyTestReturn}; run directory: {result.Directory}");

// Restore: the experiment definition and the saved policy, replayed without training.
var restored = Experiment.FromDirectory(result.Directory!);
using var replay = restored.WithConfig(c => c with { Train = false, PersistenceEnabled = false }).Run();
Console.WriteLine($"Restored policy's test return: {replay.PolicyTestReturn}");
