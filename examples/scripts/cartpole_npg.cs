#:property PublishAot=false
#:project ../../src/Experiments/RlExperiments.Experiments.csproj

// NPG on CartPole (Tianshou's defaults, 4 envs × 256 steps per update), then the saved policy restored and evaluated:
// dotnet run -c Release examples/scripts/cartpole_npg.cs
using RlExperiments.Agents.Algorithms.Npg;
using RlExperiments.Experiments;
using RlExperiments.Experiments.Algorithms.Npg;
using RlExperiments.Factories;

var experiment = new NPGExperimentBuilder(
        new EnvFactory { EnvId = "CartPole-v1" },
        new ExperimentConfig { Watch = false },
        new SamplingConfig { NumTrainEnvs = 4, NumEpochs = 5, EpochNumSteps = 10_000 })
    .WithNPGParams(new NpgParams { NumSteps = 256 })
    .WithName("script_cartpole_npg")
    .Build();

using var result = experiment.Run(overwrite: true);
Console.WriteLine($"Saved policy's test return: {result.PolicyTestReturn}; run directory: {result.Directory}");

var restored = Experiment.FromDirectory(result.Directory!).WithConfig(c => c with { Train = false, PersistenceEnabled = false });
using var replay = restored.Run();
Console.WriteLine($"Restored policy's test return: {replay.PolicyTestReturn}");
