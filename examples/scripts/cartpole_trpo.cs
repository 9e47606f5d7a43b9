#:property PublishAot=false
#:project ../../src/Experiments/RlExperiments.Experiments.csproj

// TRPO on CartPole (rl-baselines3-zoo's trpo.yml settings, 2 envs × 512 steps per update, the zoo's 100k steps), then the saved policy restored and evaluated:
// dotnet run -c Release examples/scripts/cartpole_trpo.cs
using RlExperiments.Agents.Algorithms.Trpo;
using RlExperiments.Experiments;
using RlExperiments.Experiments.Algorithms.Trpo;
using RlExperiments.Factories;

var experiment = new TRPOExperimentBuilder(
        new EnvFactory { EnvId = "CartPole-v1" },
        new ExperimentConfig { Watch = false },
        new SamplingConfig { NumTrainEnvs = TrpoPresets.CartPoleV1.NumEnvs, NumEpochs = 5, EpochNumSteps = 20_000 })
    .WithTRPOParams(TrpoPresets.CartPoleV1.Params)
    .WithName("script_cartpole_trpo")
    .Build();

using var result = experiment.Run(overwrite: true);
Console.WriteLine($"Saved policy's test return: {result.PolicyTestReturn}; run directory: {result.Directory}");

var restored = Experiment.FromDirectory(result.Directory!).WithConfig(c => c with { Train = false, PersistenceEnabled = false });
using var replay = restored.Run();
Console.WriteLine($"Restored policy's test return: {replay.PolicyTestReturn}");
