// Tunes DQN on CartPole-v1 (TPE sampler, successive-halving pruner, 3 seeds per trial, 2 trials at a time), then trains
// the default and the tuned configuration on 10 held-out seeds and compares them with the seed-study statistics.
// A trial's value is its mean evaluation return over the last third of training (5 evaluations of 20 episodes, mean
// over its seeds): DQN's return oscillates, and a single last evaluation rewards lucky configurations.
//
//   dotnet run --project examples/TuneDqn -c Release
//   dotnet run --project examples/TuneDqn -c Release -- --trials 50 --budget 50000 --nfit 3 --jobs 2 --heldout 10 --out log
//   dotnet run --project examples/TuneDqn -c Release -- --continue   (continue the study in <out>/TuneDqn/optim, e.g. after a crash)
//
// Default budget: 50 trials × 3 seeds × at most 50,000 env steps (a trial in the bottom two thirds at 16,666 steps is
// stopped there), then 2 × 10 held-out runs of 50,000 steps: about 5 to 8 minutes on 2 cores. Everything lands in <out>/TuneDqn/: optim/ (study.db, trials.csv, best_params.json,
// report.html with the optimisation history and one scatter plot per hyperparameter), the held-out runs
// (TuneDqn_default/, TuneDqn_tuned/, normal restorable run directories) and heldout_report.html.
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Experiments;
using RlExperiments.Experiments.Builders;
using RlExperiments.Experiments.Collections;
using RlExperiments.Evaluation.Reporting;
using RlExperiments.Tuning;
using RlExperiments.Factories;
using RlExperiments.Experiments.Algorithms.Dqn;
using RlExperiments.Manager;
using RlExperiments.Tuning.Reporting;

var trials = 50;
var budget = 50_000;
var nFit = 3;
var jobs = Math.Min(2, Environment.ProcessorCount);
var heldOut = 10;
var output = "log";
string? studyDirectory = null;
var continuePrevious = false;
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
    switch (args[i])
    {
        case "--trials": trials = Int(); break;
        case "--budget": budget = Int(); break;
        case "--nfit": nFit = Int(); break;
        case "--jobs": jobs = Int(); break;
        case "--heldout": heldOut = Int(); break;
        case "--out": output = Next(); break;
        case "--study": studyDirectory = Next(); break;
        case "--continue": continuePrevious = true; break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: TuneDqn [--trials 50] [--budget 50000] [--nfit 3] [--jobs 2] [--heldout 10] [--out log] [--study DIR] [--continue]");
            return 2;
    }
}

// The search space: ARLBench's classic-control DQN space (its dqn_cc.yaml: learning rate, batch up to 256, learning
// starts up to 2048, target updates up to every 1,000 steps) plus the exploration schedule, discount and update
// schedule from its full DQN space (DqnModule.SearchSpace: train_freq and gradient_steps 1..256). The forbidden clause keeps
// at most one gradient update per collected step, so no trial costs hundreds of times more than another. Each default
// is ARLBench's default, so "default" below means ARLBench's default DQN configuration; it is the study's first trial.
var space = new ConfigurationSpace("dqn_cartpole")
    .Add(
        new FloatHyperparameter("learning_rate", 1e-5, 1e-2, 3e-4, log: true),
        new CategoricalHyperparameter("buffer_batch_size", [16L, 32L, 64L, 128L, 256L], 16L),
        new IntegerHyperparameter("learning_starts", 0, 2048, 1024),
        new IntegerHyperparameter("target_update_interval", 1, 1000, 1000, log: true),
        new FloatHyperparameter("exploration_fraction", 0.005, 0.5, 0.1),
        new FloatHyperparameter("target_epsilon", 0.001, 0.2, 0.05),
        new FloatHyperparameter("gamma", 0.9, 0.9999, 0.99),
        new IntegerHyperparameter("train_freq", 1, 256, 4, log: true),
        new IntegerHyperparameter("gradient_steps", 1, 256, 1, log: true))
    .Add(new ForbiddenGreaterThanRelation("gradient_steps", "train_freq"));

// Everything the space does not set: Stable-Baselines3's DQN defaults, with a 50,000-transition buffer (the whole budget fits).
using var logging = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(o => o.SingleLine = true));
var services = new ExperimentServices(logging: logging);
var env = new EnvFactory { EnvId = "CartPole-v1" };
var basis = new DqnParams { BufferSize = 50_000 };
DQNExperimentBuilder Builder(int seed, string name) =>
    new DQNExperimentBuilder(env, new ExperimentConfig { Seed = seed, PersistenceBaseDir = Path.Combine(output, "TuneDqn"), Watch = false },
            new SamplingConfig { NumEpochs = 10, EpochNumSteps = budget / 10, NumTestEpisodes = 20 })
        .WithDQNParams(basis)
        .WithServices(services)
        .WithName(name);

var clock = Stopwatch.StartNew();
var template = Builder(seed: 0, "tuning").Build().WithHyperparameters(space.Default);
var manager = new ExperimentManager(template, nFit, Path.Combine(output), OutputDirIdStyle.None, agentName: "TuneDqn");
studyDirectory ??= Path.Combine(manager.Directory, "optim");
if (!continuePrevious && Directory.Exists(studyDirectory))
{
    Console.Error.WriteLine($"A study already exists in {Path.GetFullPath(studyDirectory)}: pass --continue to continue it, or delete it (or choose --out) to start over.");
    return 2;
}
Console.WriteLine($"Tuning DQN on CartPole-v1: {trials} trials (TPE, successive halving at {budget / 3:N0} steps), " +
                  $"{nFit} seeds × {budget:N0} env steps per trial, {jobs} at a time");
var tuning = manager.OptimizeHyperparams(space, nTrials: trials, nFit: nFit, nJobs: jobs, sampler: SamplerKind.Tpe,
    pruner: new SuccessiveHalvingPruner(minResource: budget / 3, reductionFactor: 3), continuePrevious: continuePrevious,
    studyDirectory: studyDirectory, evaluationsPerRung: 5, enqueue: [space.Default]);
var study = tuning.Study;
var counts = study.Trials.GroupBy(t => t.State).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}");
Console.WriteLine($"Study done in {clock.Elapsed.TotalSeconds:0} s: {string.Join(", ", counts)}");
if (study.BestTrial is not { } best || tuning.TunedExperiment is null)
{
    Console.Error.WriteLine("No trial completed; see trials.csv for the errors.");
    return 1;
}
Console.WriteLine($"Best trial #{best.Number}: mean return {best.Value:0.0} over the last third of training, {nFit} tuning seeds");
if (study.Trials.FirstOrDefault(t => t.Number == 0) is { Value: { } defaultValue } first && first.Configuration.Equals(space.Default))
    Console.WriteLine($"Default (trial #0): {defaultValue:0.0}{(first.State == TrialState.Pruned ? " (pruned)" : "")}");
foreach (var (name, value) in best.Configuration)
    Console.WriteLine($"  {name,-24} {Format(value),12}   (default {Format(space.Get(name).Default)})");
var reportPath = Path.Combine(study.Directory, "report.html");
StudyReportWriter.Write(study, reportPath, space, objective: $"mean return over the last third of training, {nFit} tuning seeds");
Console.WriteLine($"Best parameters: {Path.GetFullPath(Path.Combine(study.Directory, "best_params.json"))}");
Console.WriteLine($"Study report:    {Path.GetFullPath(reportPath)}");

// Held-out seeds (ARLBench's protocol: tune on some seeds, test on others): the tuning seeds are spawned from 0, these from 100.
Console.WriteLine();
Console.WriteLine($"Held-out comparison: default vs tuned, {heldOut} seeds each, {budget:N0} env steps, final test return over 20 episodes");
var defaults = Builder(seed: 100, "TuneDqn_default").Build().WithHyperparameters(space.Default);
var tuned = Builder(seed: 100, "TuneDqn_tuned").Build().WithHyperparameters(best.Configuration);
var launcher = new ParallelLauncher(jobs);
var failed = 0;
var collections = new[] { ExperimentCollection.Seeded(defaults, heldOut, "TuneDqn_default"), ExperimentCollection.Seeded(tuned, heldOut, "TuneDqn_tuned") };
foreach (var collection in collections)
{
    collection.Label = collection.Name == "TuneDqn_default" ? "default" : "tuned";
    var result = collection.Run(launcher, overwrite: true);
    failed += result.Failed.Count;
    foreach (var run in result.Failed) Console.Error.WriteLine($"  {run.Name} failed: {run.Error}");
}
var heldOutReport = Path.GetFullPath(Path.Combine(manager.Directory, "heldout_report.html"));
var statistics = collections[1].Compare(heldOutReport, collections[0]);
Console.WriteLine(ComparisonText.Format(statistics));
Console.WriteLine($"Held-out report: {heldOutReport}");
Console.WriteLine($"Total time {clock.Elapsed.TotalSeconds:0} s");
return failed == 0 ? 0 : 1;

static string Format(object value) => value switch
{
    double d => d.ToString(Math.Abs(d) < 1e-2 ? "0.###e0" : "0.####", CultureInfo.InvariantCulture),
    _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
};
