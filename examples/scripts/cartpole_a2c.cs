#:property PublishAot=false
#:project ../../src/Experiments/RlExperiments.Experiments.csproj

// A2C on CartPole with rl-baselines3-zoo's settings (8 envs, RMSprop), then the saved policy restored and evaluated:
// dotnet run -c Release examples/scripts/cartpole_a2c.cs
using RlExperiments.Agents.Algorithms.A2c;
using RlExperiments.Experiments;
using RlExperiments.Experiments.Algorithms.A2c;
using RlExperiments.Factories;

var preset = A2cPresets.CartPoleV1;
var experiment = new A2CExperimentBuilder(
        new EnvFactory { EnvId = preset.EnvId },
        new ExperimentConfig { Watch = false },
        new SamplingConfig { NumTrainEnvs = preset.NumEnvs, NumEpochs = 10, EpochNumSteps = 10_000 })
    .WithA2CParams(preset.Params)
    .WithName("script_cartpole_a2c")
    .Build();

using var result = experiment.Run(overwrite: true);
Console.WriteLine($"Saved policy's test return: {result.PolicyTestReturn}; run directory: {result.Directory}");

var restored = Experiment.FromDirectory(result.Directory!).WithConfig(c => c with { Train = false, PersistenceEnabled = false });
using var replay = restored.Run();
Console.WriteLine($"Restored policy's test return: {replay.PolicyTestReturn}");
