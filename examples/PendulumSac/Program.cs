// Train SAC on Pendulum-v1 (rl-baselines3-zoo: learning rate 1e-3, 2e4 steps) and watch the result.
//
//   dotnet run --project examples/PendulumSac -c Release
using RlExperiments.Experiments;
using RlExperiments.Experiments.Builders;
using RlExperiments.Experiments.Callbacks;
using RlExperiments.Factories;
using RlExperiments.Experiments.Algorithms.Sac;
using RlExperiments.Agents.Algorithms.Sac;

var preset = SacPresets.PendulumV1;

var experiment = new SACExperimentBuilder(
        new EnvFactory { EnvId = preset.EnvId },
        new ExperimentConfig { Seed = 0, WatchNumEpisodes = 5 },
        new SamplingConfig { NumEpochs = 10, EpochNumSteps = (int)(preset.TotalTimesteps / 10), NumTestEpisodes = 5 })
    .WithSACParams(preset.Params)
    .WithActorFactoryDefault([256, 256])
    .WithCommonCriticFactoryDefault([256, 256])
    .WithEpochStopCallback(new EpochStopCallbackRewardThreshold { Threshold = -200 })   // Pendulum has no registered threshold
    .WithName("PendulumSac")
    .Build();

using var result = experiment.Run(overwrite: true);
Console.WriteLine($"Best test return {result.TrainerResult!.BestTestReturn:0.#}; watch return {result.WatchResult!.Mean:0.#}; run directory {result.Directory}");
