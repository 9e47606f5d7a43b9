#:property PublishAot=false
#:project ../../src/Experiments/RlExperiments.Experiments.csproj

// REINFORCE on CartPole, then the saved policy restored and evaluated: dotnet run -c Release examples/scripts/cartpole_pg.cs
using RlExperiments.Agents.Algorithms.Pg;
using RlExperiments.Experiments;
using RlExperiments.Experiments.Algorithms.Pg;
using RlExperiments.Factories;

var experiment = new PGExperimentBuilder(
        new EnvFactory { EnvId = "CartPole-v1" },
        new ExperimentConfig { Watch = false },
        new SamplingConfig { NumTrainEnvs = 8, NumEpochs = 10, EpochNumSteps = 20_000 })
    .WithPGParams(new PgParams { NumSteps = 256, LearningRate = 3e-3, ReturnScaling = true })
    .WithName("script_cartpole_pg")
    .Build();

using var result = experiment.Run(overwrite: true);
Console.WriteLine($"Saved policy's test return: {result.PolicyTestReturn}; run directory: {result.Directory}");

var restored = Experiment.FromDirectory(result.Directory!).WithConfig(c => c with { Train = false, PersistenceEnabled = false });
using var replay = restored.Run();
Console.WriteLine($"Restored policy's test return: {replay.PolicyTestReturn}");
