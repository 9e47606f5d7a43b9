#:property PublishAot=false
#:project ../../src/Experiments/RlExperiments.Experiments.csproj

// A single-file experiment: dotnet run examples/scripts/cartpole_dqn.cs   (add -c Release to build the libraries optimised; the default Debug build trains several times slower)
using RlExperiments.Experiments;
using RlExperiments.Experiments.Builders;
using RlExperiments.Experiments.Callbacks;
using RlExperiments.Factories;
using RlExperiments.Experiments.Algorithms.Dqn;
using RlExperiments.Agents.Algorithms.Dqn;

var experiment = new DQNExperimentBuilder(
        new EnvFactory { EnvId = "CartPole-v1" },
        new ExperimentConfig { WatchNumEpisodes = 3 },
        new SamplingConfig { NumEpochs = 10, EpochNumSteps = 5_000 })
    .WithDQNParams(DqnPresets.CartPoleV1.Params)
    .WithEpochStopCallback(new EpochStopCallbackRewardThreshold())
    .WithName("script_cartpole_dqn")
    .Build();

using var result = experiment.Run(overwrite: true);
Console.WriteLine($"Saved policy's test return: {result.PolicyTestReturn}; run directory: {result.Directory}");
