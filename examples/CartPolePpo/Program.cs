// Train PPO on CartPole-v1 with rl-baselines3-zoo's tuned hyperparameters until the reward threshold.
//
//   dotnet run --project examples/CartPolePpo -c Release
using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Experiments;
using RlExperiments.Experiments.Builders;
using RlExperiments.Experiments.Callbacks;
using RlExperiments.Factories;
using RlExperiments.Experiments.Algorithms.Ppo;

var preset = PpoPresets.CartPoleV1;   // 8 envs, n_steps 32, batch 256, 20 epochs, lr and clip range annealed, 1e5 steps

var experiment = new PPOExperimentBuilder(
        new EnvFactory { EnvId = preset.EnvId },
        new ExperimentConfig { Seed = 1, WatchNumEpisodes = 5 },
        new SamplingConfig
        {
            NumTrainEnvs = preset.NumEnvs,
            NumEpochs = 10,
            EpochNumSteps = (int)(preset.TotalTimesteps / 10),   // 10 epochs of 10,000 steps
            NumTestEnvs = 2,
            NumTestEpisodes = 10,
        })
    .WithPPOParams(preset.Params)
    .WithActorFactoryDefault([64, 64])            // SB3's MlpPolicy: Tanh, orthogonal init
    .WithCriticFactoryDefault([64, 64])
    .WithEpochStopCallback(new EpochStopCallbackRewardThreshold())
    .WithName("CartPolePpo")
    .Build();

using var result = experiment.Run(overwrite: true);
Console.WriteLine($"Best test return {result.TrainerResult!.BestTestReturn:0.#} after {result.TrainerResult.EnvSteps} env steps; " +
                  $"saved policy's test return {result.PolicyTestReturn:0.#}; run directory {result.Directory}");
