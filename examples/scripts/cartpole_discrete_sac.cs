#:property PublishAot=false
#:project ../../src/Experiments/RlExperiments.Experiments.csproj

// Discrete SAC on CartPole-v1, then restore the saved run and replay its policy: dotnet run -c Release examples/scripts/cartpole_discrete_sac.cs
using RlExperiments.Experiments;
using RlExperiments.Experiments.Builders;
using RlExperiments.Factories;
using RlExperiments.Experiments.Algorithms.DiscreteSac;
using RlExperiments.Agents.Algorithms.DiscreteSac;

var experiment = new DiscreteSACExperimentBuilder(
        new EnvFactory { EnvId = "CartPole-v1" },
        new ExperimentConfig { WatchNumEpisodes = 3 },
        new SamplingConfig { NumEpochs = 5, EpochNumSteps = 10_000 })
    .WithSACParams(DiscreteSacPresets.CartPoleV1.Params)
    .WithName("script_cartpole_discrete_sac")
    .Build();

using var result = experiment.Run(overwrite: true);
Console.WriteLine($"Saved policy's test return: {result.PolicyTestReturn}; run directory: {result.Directory}");

// Restore: the experiment definition and the saved policy, replayed without training.
var restored = Experiment.FromDirectory(result.Directory!);
using var replay = restored.WithConfig(c => c with { Train = false, PersistenceEnabled = false }).Run();
Console.WriteLine($"Restored policy's test return: {replay.PolicyTestReturn}");
