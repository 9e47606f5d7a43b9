#:property PublishAot=false
#:project ../../src/Experiments/RlExperiments.Experiments.csproj

// TD3 on Pendulum-v1, then restore the saved run and replay its policy: dotnet run examples/scripts/pendulum_td3.cs   (add -c Release to build the libraries optimised; the default Debug build trains several times slower)
using RlExperiments.Experiments;
using RlExperiments.Experiments.Builders;
using RlExperiments.Factories;
using RlExperiments.Experiments.Algorithms.Td3;
using RlExperiments.Agents.Algorithms.Td3;

var experiment = new TD3ExperimentBuilder(
        new EnvFactory { EnvId = "Pendulum-v1" },
        new ExperimentConfig { WatchNumEpisodes = 3 },
        new SamplingConfig { NumEpochs = 4, EpochNumSteps = 5_000, StartTimesteps = 1_000 })
    .WithTD3Params(new Td3Params())
    .WithActorFactoryDefault([64, 64])
    .WithCommonCriticFactoryDefault([64, 64])
    .WithName("script_pendulum_td3")
    .Build();

using var result = experiment.Run(overwrite: true);
Console.WriteLine($"Saved policy's test return: {result.PolicyTestReturn}; run directory: {result.Directory}");

// Restore: the experiment definition and the saved policy, replayed without training.
var restored = Experiment.FromDirectory(result.Directory!);
using var replay = restored.WithConfig(c => c with { Train = false, PersistenceEnabled = false }).Run();
Console.WriteLine($"Restored policy's test return: {replay.PolicyTestReturn}");
