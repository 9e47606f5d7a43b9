using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using RlExperiments.Agents.Benchmarks;
using RlExperiments.Agents.Benchmarks.EndToEnd;
using RlExperiments.Tensors.Benchmarks;

// Per-update micro-benchmarks (A2C and TRPO, paired with benchmarks/onpolicy_torch_reference.py):
//   dotnet run -c Release --project benchmarks/Agents.Benchmarks -- --quick [name-filter ...]   (one JSON line per case)
//   dotnet run -c Release --project benchmarks/Agents.Benchmarks -- --bdn [BenchmarkDotNet arguments]
if (args.Length > 0 && args[0] == "--quick")
{
    QuickHarness.Run(OnPolicyUpdateCases.QuickCases(), args[1..], Console.Out);
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
//   dotnet run -c Release --project benchmarks/Agents.Benchmarks -- [--seeds 5] [--first-seed 0] [--curve N [--best]] [name-filter ...]
// Prints one JSON line per seed and one summary line per case (median return, successes, wall time).
// --curve N writes a learning-curve point (10 deterministic test episodes) every N environment steps to stderr (off-policy rows); with --best the final
// evaluation uses the best curve point's policy (the zoo's EvalCallback best_model), not the last one.
var seeds = 5;
var firstSeed = 0;
var filters = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--seeds") seeds = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--curve") LearningCurves.Interval = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--best") LearningCurves.SelectBest = true;
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
            @case = c.Name, seed, final_return = Math.Round(o.FinalReturn, 2), wall_s = Math.Round(o.WallSeconds, 3),
            env_steps = o.EnvSteps, gradient_steps = o.GradientSteps, steps_per_s = Math.Round(o.EnvSteps / o.WallSeconds),
        }));
    }
    var returns = outcomes.Select(o => o.FinalReturn).Order().ToArray();
    var walls = outcomes.Select(o => o.WallSeconds).Order().ToArray();
    Console.WriteLine(JsonSerializer.Serialize(new
    {
        @case = c.Name, summary = true, c.Algorithm, env = c.EnvId, budget = c.Budget, threshold = c.Threshold, required = c.Required,
        median_return = Math.Round(returns[returns.Length / 2], 2), successes = $"{returns.Count(r => r >= c.Threshold)}/{returns.Length}",
        median_wall_s = Math.Round(walls[walls.Length / 2], 3),
    }));
}
