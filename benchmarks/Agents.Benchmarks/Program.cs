using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using RlExperiments.Agents.Benchmarks;
using RlExperiments.Agents.Benchmarks.EndToEnd;
using RlExperiments.Tensors.Benchmarks;

// Per-update micro-benchmarks (A2C and TRPO, paired with benchmarks/onpolicy_torch_reference.py) and replay-buffer
// save/load of a million transitions (replay_*):
//   dotnet run -c Release --project benchmarks/Agents.Benchmarks -- --quick [name-filter ...]   (one JSON line per case)
//   dotnet run -c Release --project benchmarks/Agents.Benchmarks -- --bdn [BenchmarkDotNet arguments]
if (args.Length > 0 && args[0] == "--quick")
{
    QuickHarness.Run(OnPolicyUpdateCases.QuickCases().Concat(ReplayPersistenceCases.QuickCases()), args[1..], Console.Out);
    return;
}
// End-to-end CleanRL settings on CartPole-v1 until the last 20 training episodes average 475 (paired with
// benchmarks/cleanrl_torch_reference.py; see docs/performance.md):
//   dotnet run -c Release --project benchmarks/Agents.Benchmarks -- --e2e [dqn|ppo|all] [--seeds 3] [--first-seed 0] [--no-stop] [--no-split] [--warmup]
//   dotnet run -c Release --project benchmarks/Agents.Benchmarks -- --trace-cartpole > trace.jsonl   (for the reference's --check)
if (args.Length > 0 && args[0] == "--e2e")
{
    Environment.ExitCode = EndToEndRuns.Run(args[1..], Console.Out);
    return;
}
if (args.Length > 0 && args[0] == "--trace-cartpole")
{
    CartPoleTrace.Write(Console.Out);
    return;
}
if (args.Length > 0 && args[0] == "--bdn")
{
    BenchmarkSwitcher.FromAssembly(typeof(OnPolicyUpdateCases).Assembly)
        .Run(args[1..], DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).AsDefault()));
    return;
}

// Learning-quality and speed benchmark (not a CI test):
//   dotnet run -c Release --project benchmarks/Agents.Benchmarks -- [--seeds 5] [--first-seed 0] [--curve N] [--keep-best] [name-filter ...]
// Prints one JSON line per seed and one summary line per case (median return, successes, wall time).
// --curve N writes a learning-curve point (10 deterministic test episodes) every N environment steps to stderr (off-policy rows).
// --keep-best adds the kept-best column (the policy StepCallbackEval keeps, see KeptBest) to every off-policy row; rows judged on it always have it.
var seeds = 5;
var firstSeed = 0;
var filters = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--seeds") seeds = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--curve") LearningCurves.Interval = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--keep-best") KeptBest.AllRows = true;
    else if (args[i] == "--first-seed") firstSeed = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else filters.Add(args[i]);
}

// Every file that defines learning cases contributes them here.
IEnumerable<LearningCase> cases =
[
    .. OnPolicyCases.All(),
    .. OffPolicyCases.All(),
];

foreach (var c in cases)
{
    if (filters.Count > 0 && !filters.Any(f => c.Name.Contains(f, StringComparison.OrdinalIgnoreCase))) continue;
    var outcomes = new List<SeedOutcome>();
    for (var seed = firstSeed; seed < firstSeed + seeds; seed++)
    {
        var o = c.Run(seed);
        outcomes.Add(o);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            @case = c.Name, seed, final_return = Math.Round(o.FinalReturn, 2),
            kept_best_return = o.KeptBestReturn is { } k ? Math.Round(k, 2) : (double?)null, judged_on = c.JudgeKeptBest ? "kept_best" : "final", wall_s = Math.Round(o.WallSeconds, 3),
            env_steps = o.EnvSteps, gradient_steps = o.GradientSteps, steps_per_s = Math.Round(o.EnvSteps / o.WallSeconds),
        }));
    }
    var returns = outcomes.Select(c.Judged).Order().ToArray();
    var finals = outcomes.Select(o => o.FinalReturn).ToArray();
    var kept = outcomes.Where(o => o.KeptBestReturn is not null).Select(o => o.KeptBestReturn!.Value).ToArray();
    var walls = outcomes.Select(o => o.WallSeconds).Order().ToArray();
    Console.WriteLine(JsonSerializer.Serialize(new
    {
        @case = c.Name, summary = true, c.Algorithm, env = c.EnvId, budget = c.Budget, threshold = c.Threshold, required = c.Required,
        judged_on = c.JudgeKeptBest ? "kept_best" : "final",
        median_return = Math.Round(returns[returns.Length / 2], 2), successes = $"{returns.Count(r => r >= c.Threshold)}/{returns.Length}",
        final_successes = $"{finals.Count(r => r >= c.Threshold)}/{finals.Length}",
        kept_best_successes = kept.Length > 0 ? $"{kept.Count(r => r >= c.Threshold)}/{kept.Length}" : null,
        median_wall_s = Math.Round(walls[walls.Length / 2], 3),
    }));
}
