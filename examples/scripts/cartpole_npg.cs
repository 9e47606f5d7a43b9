#:property PublishAot=false
#:project ../../src/Experiments/RlExperiments.Experiments.csproj

// NPG on CartPole (Tianshou's test_npg.py settings, 16 envs × 128 steps per update, 200k steps), then the saved policy restored and evaluated:
// dotnet run -c Release examples/scripts/cartpole_npg.cs
using RlExperiments.Agents.Algorithms.Npg;
using RlExperiments.Experiments;
using RlExperiments.Experiments.Algorithms.Npg;
using RlExperiments.Factories;

var experiment = new NPGExperimentBuilder(
        new EnvFactory { EnvId = "CartPole-v1" },
        new ExperimentConfig { Watch = false },
        new SamplingConfig { NumTrainEnvs = NpgPresets.CartPoleV1.NumEnvs, NumEpochs = 10, EpochNumSteps = 20_000 })
    .WithNPGParams(NpgPresets.CartPoleV1.Params)
    .WithName("script_cartpole_npg")
    .Build();

using var result = experiment.Run(overwrite: true);
Console.WriteLine($"Saved policy's test return: {result.PolicyTestReturn}; run directory: {result.Directory}");

var restored = Experiment.FromDirectory(result.Directory!).WithConfig(c => c with { Train = false, PersistenceEnabled = false });
using var replay = restored.Run();
Console.WriteLine($"Restored policy's test return: {replay.PolicyTestReturn}");
