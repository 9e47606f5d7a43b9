#:property PublishAot=false
#:project ../../src/Experiments/RlExperiments.Experiments.csproj

// IQN on CartPole-v1, then restore the saved run and replay its policy: dotnet run examples/scripts/cartpole_iqn.cs   (add -c Release to build the libraries optimised; the default Debug build trains several times slower)
using RlExperiments.Experiments;
using RlExperiments.Experiments.Builders;
using RlExperiments.Experiments.Callbacks;
using RlExperiments.Factories;
using RlExperiments.Experiments.Algorithms.Iqn;
using RlExperiments.Agents.Algorithms.Iqn;

var experiment = new IQNExperimentBuilder(
        new EnvFactory { EnvId = "CartPole-v1" },
        new ExperimentConfig { WatchNumEpisodes = 3 },
        new SamplingConfig { NumEpochs = 6, EpochNumSteps = 5_000 })
    .WithIQNParams(IqnPresets.CartPoleV1.Params with { TrainFreq = 64, GradientSteps = 32 })   // qrdqn.yml's schedule, denser updates
    .WithPreprocessNetworkFactoryDefault([64, 64])                                            // ψ(s); the quantile embedding multiplies its 64 features
    .WithEpochStopCallback(new EpochStopCallbackRewardThreshold())
    .WithName("script_cartpole_iqn")
    .Build();

using var result = experiment.Run(overwrite: true);
Console.WriteLine($"Saved policy's test return: {result.PolicyTestReturn}; run directory: {result.Directory}");

// Restore: the experiment definition and the saved policy, replayed without training.
var restored = Experiment.FromDirectory(result.Directory!);
using var replay = restored.WithConfig(c => c with { Train = false, PersistenceEnabled = false }).Run();
Console.WriteLine($"Restored policy's test return: {replay.PolicyTestReturn}");
