// Train DQN on CartPole-v1 to its reward threshold, save the run, restore it from its directory and replay the policy.
//
//   dotnet run --project examples/CartPoleDqn -c Release
//   tensorboard --logdir log
using System.Globalization;
using RlExperiments.Experiments;
using RlExperiments.Experiments.Builders;
using RlExperiments.Experiments.Callbacks;
using RlExperiments.Factories;
using RlExperiments.Experiments.Algorithms.Dqn;
using RlExperiments.Agents.Algorithms.Dqn;

// rl-baselines3-zoo's tuned DQN for CartPole-v1: train_freq 256, gradient_steps 128, a 256x256 network, 5e4 steps.
var preset = DqnPresets.CartPoleV1;

var experiment = new DQNExperimentBuilder(
        new EnvFactory { EnvId = "CartPole-v1" },
        new ExperimentConfig { Seed = 42, WatchNumEpisodes = 5 },
        new SamplingConfig { NumEpochs = 10, EpochNumSteps = 5_000, NumTestEpisodes = 10 })
    .WithDQNParams(preset.Params)
    .WithEpochStopCallback(new EpochStopCallbackRewardThreshold())   // stop at CartPole-v1's threshold, 475
    .WithName("CartPoleDqn")
    .Build();

// Trains, saves log/CartPoleDqn/{experiment.json, log.txt, policy.safetensors, ...}, evaluates the saved policy, watches it.
using var result = experiment.Run(overwrite: true);
var trained = result.TrainerResult!;

// Restore the experiment from its directory and only evaluate and watch the saved policy (no new directory).
var restored = Experiment.FromDirectory(result.Directory!)
    .WithConfig(c => c with { Train = false, PersistenceEnabled = false });
using var replay = restored.Run();

string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
Console.WriteLine();
Console.WriteLine($"Run directory:                 {result.Directory}");
Console.WriteLine($"Training:                      {trained.EnvSteps} env steps, {trained.GradientSteps} gradient steps, {trained.WallTime.TotalSeconds:0.0} s, " +
                  $"best test return {F(trained.BestTestReturn)}{(trained.StoppedByCallback ? " (reward threshold reached)" : "")}");
Console.WriteLine($"Saved policy's test return:    {F(result.PolicyTestReturn)}");
Console.WriteLine($"Restored policy's test return: {F(replay.PolicyTestReturn)}");
Console.WriteLine($"Restored policy's watch:       {F(replay.WatchResult!.Mean)} over {replay.WatchResult.Returns.Count} episodes");
if (replay.PolicyTestReturn != result.PolicyTestReturn)
{
    Console.Error.WriteLine("The restored policy did not reproduce the saved policy's test return.");
    return 1;
}
return 0;
