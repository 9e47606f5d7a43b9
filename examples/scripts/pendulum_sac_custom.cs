#:property PublishAot=false
#:project ../../src/Experiments/RlExperiments.Experiments.csproj

// SAC with explicit model and optimiser factories and a short budget: dotnet run examples/scripts/pendulum_sac_custom.cs   (add -c Release to build the libraries optimised; the default Debug build trains several times slower)
using RlExperiments.Agents.Algorithms.Sac;
using RlExperiments.Experiments;
using RlExperiments.Experiments.Builders;
using RlExperiments.Factories;
using RlExperiments.Factories.Logging;
using RlExperiments.Experiments.Algorithms.Sac;

var experiment = new SACExperimentBuilder(
        new EnvFactory { EnvId = "Pendulum-v1" },
        new ExperimentConfig { Seed = 3, WatchNumEpisodes = 2 },
        new SamplingConfig { NumEpochs = 3, EpochNumSteps = 1_000, StartTimesteps = 200, BatchSize = 128, NumTestEpisodes = 3 })
    .WithSACParams(new SacParams { LearningRate = 1e-3 })
    .WithActorFactoryDefault([64, 64])
    .WithCritic1FactoryDefault([64, 64])
    .WithCritic2FactoryDefault([128])
    .WithOptimFactoryDefault(betas: (0.9, 0.999), eps: 1e-7)
    .WithLoggerFactory(new CompositeLoggerFactory(new TensorBoardLoggerFactory(), new CsvLoggerFactory()))
    .WithName("script_pendulum_sac")
    .Build();

using var result = experiment.Run(overwrite: true);
Console.WriteLine($"Best test return {result.TrainerResult!.BestTestReturn:0.#} in {result.TrainerResult.WallTime.TotalSeconds:0.0} s");
