// A seed study: PPO vs DQN on CartPole-v1, 5 seeds each, runs in parallel; writes a comparison report and prints the table.
//
//   dotnet run --project examples/SeedStudy -c Release
//   dotnet run --project examples/SeedStudy -c Release -- --seeds 10 --steps 100000 --epochs 10 --workers 4 --out log
//
// Default budget: 5 seeds × 2 algorithms × 50,000 env steps (5 epochs of 10,000), 2 workers: 1.5 to 2.5 minutes on
// 2 cores. Each run lands in <out>/SeedStudy_<ALGO>/seed_<seed>/ (a normal, restorable run directory) next to the
// collection's collection.json and report.html; the comparison report is <out>/SeedStudy_PPO_vs_DQN.html.
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using RlExperiments.Agents.Algorithms.Ppo;
using RlExperiments.Experiments;
using RlExperiments.Experiments.Builders;
using RlExperiments.Experiments.Collections;
using RlExperiments.Factories;
using RlExperiments.Experiments.Algorithms.Dqn;
using RlExperiments.Experiments.Algorithms.Ppo;
using RlExperiments.Agents.Algorithms.Dqn;

var seeds = 5;
var steps = 50_000;
var epochs = 5;
var workers = Math.Min(2, Environment.ProcessorCount);
var output = "log";
var rootSeed = 1;
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
    switch (args[i])
    {
        case "--seeds": seeds = Int(); break;
        case "--steps": steps = Int(); break;
        case "--epochs": epochs = Int(); break;
        case "--workers": workers = Int(); break;
        case "--seed": rootSeed = Int(); break;
        case "--out": output = Next(); break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: SeedStudy [--seeds 5] [--steps 50000] [--epochs 5] [--workers 2] [--seed 1] [--out log]");
            return 2;
    }
}

// Only warnings on the console: two runs at once would interleave their epoch lines (each run's log.txt has them all).
using var logging = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(o => o.SingleLine = true));
var services = new ExperimentServices(logging: logging);
var env = new EnvFactory { EnvId = "CartPole-v1" };
var config = new ExperimentConfig { Seed = rootSeed, PersistenceBaseDir = output, Watch = false };
var epochSteps = steps / epochs;

// PPO with rl-baselines3-zoo's CartPole-v1 hyperparameters (8 envs, n_steps 32, 20 epochs per update).
var ppoPreset = PpoPresets.CartPoleV1;
var ppo = new PPOExperimentBuilder(env, config,
        new SamplingConfig { NumTrainEnvs = ppoPreset.NumEnvs, NumEpochs = epochs, EpochNumSteps = epochSteps, NumTestEpisodes = 10 })
    .WithPPOParams(ppoPreset.Params)
    .WithActorFactoryDefault([64, 64])
    .WithCriticFactoryDefault([64, 64])
    .WithServices(services)
    .WithName("SeedStudy_PPO")
    .BuildSeededCollection(seeds);

// DQN with rl-baselines3-zoo's CartPole-v1 hyperparameters (train_freq 256, gradient_steps 128, 256x256).
var dqn = new DQNExperimentBuilder(env, config, new SamplingConfig { NumEpochs = epochs, EpochNumSteps = epochSteps, NumTestEpisodes = 10 })
    .WithDQNParams(DqnPresets.CartPoleV1.Params)
    .WithServices(services)
    .WithName("SeedStudy_DQN")
    .BuildSeededCollection(seeds);

var launcher = new ParallelLauncher(workers);
Console.WriteLine($"{seeds} seeds × PPO and DQN on CartPole-v1, {steps:N0} env steps each ({epochs} epochs), {launcher}");
Console.WriteLine($"PPO seeds: {string.Join(", ", ppo.Seeds)}");
Console.WriteLine($"DQN seeds: {string.Join(", ", dqn.Seeds)}");
var clock = Stopwatch.StartNew();
var failed = 0;
foreach (var collection in new[] { ppo, dqn })
{
    var result = collection.Run(launcher, overwrite: true);
    collection.WriteReport();
    Console.WriteLine($"{collection.Label}: {result.Summary.Succeeded}/{result.Summary.Runs} runs succeeded in {clock.Elapsed.TotalSeconds:0} s; {result.ManifestPath}");
    foreach (var run in result.Failed)
        Console.Error.WriteLine($"  {run.Name} failed: {run.Error}");
    failed += result.Failed.Count;
}

var reportPath = Path.GetFullPath(Path.Combine(output, "SeedStudy_PPO_vs_DQN.html"));
var statistics = ppo.Compare(reportPath, dqn);
Console.WriteLine();
Console.WriteLine("Final test return (last evaluation of each seed):");
Console.WriteLine(ComparisonText.Format(statistics));
Console.WriteLine($"Report: {reportPath}");
return failed == 0 ? 0 : 1;
