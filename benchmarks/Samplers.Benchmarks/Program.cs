using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RlExperiments.Core;
using RlExperiments.Evaluation.Statistics;
using RlExperiments.Samplers.Benchmarks;
using RlExperiments.Tuning;

// dotnet run -c Release --project benchmarks/Samplers.Benchmarks -- run [--seeds 100] [--first-seed 0] [--trials 100] [--samplers tpe,tpe-mvg,random,cmaes] [--objectives a,b]
// dotnet run -c Release --project benchmarks/Samplers.Benchmarks -- compare rlx.jsonl optuna-4.9.jsonl [optuna-3.1.jsonl ...]
// See README.md next to this file.
int[] budgets = { 10, 25, 50, 100 };
if (args.Length == 0 || args[0] is not ("run" or "compare"))
{
    Console.Error.WriteLine("usage: run [--seeds N] [--first-seed N] [--trials N] [--samplers tpe,tpe-mvg,random,cmaes] [--objectives name,...] | compare OURS.jsonl OPTUNA.jsonl [OPTUNA.jsonl ...]");
    return 2;
}
if (args[0] == "compare")
{
    if (args.Length < 3) { Console.Error.WriteLine("usage: compare OURS.jsonl OPTUNA.jsonl [OPTUNA.jsonl ...] (one file per Optuna version, or several files of one version)"); return 2; }
    Console.Write(Compare(Read(args[1]), args.Skip(2).SelectMany(Read).ToList()));
    return 0;
}

var options = new Dictionary<string, string>();
for (int i = 1; i + 1 < args.Length; i += 2) options[args[i]] = args[i + 1];
int seeds = int.Parse(options.GetValueOrDefault("--seeds", "100"), CultureInfo.InvariantCulture);
int firstSeed = int.Parse(options.GetValueOrDefault("--first-seed", "0"), CultureInfo.InvariantCulture);
int trials = int.Parse(options.GetValueOrDefault("--trials", "100"), CultureInfo.InvariantCulture);
var samplers = options.GetValueOrDefault("--samplers", "tpe,random,cmaes").Split(',');
var names = options.GetValueOrDefault("--objectives", string.Join(",", Objectives.All.Select(o => o.Name))).Split(',');
foreach (var s in samplers)
    if (s is not ("tpe" or "tpe-mvg" or "random" or "cmaes")) { Console.Error.WriteLine($"--samplers: unknown sampler '{s}'; allowed: tpe, tpe-mvg, random, cmaes"); return 2; }
var objectives = new List<Objective>();
foreach (var n in names)
{
    var o = Objectives.All.FirstOrDefault(x => x.Name == n);
    if (o is null) { Console.Error.WriteLine($"--objectives: unknown objective '{n}'; allowed: {string.Join(", ", Objectives.All.Select(x => x.Name))}"); return 2; }
    objectives.Add(o);
}

for (int seed = firstSeed; seed < firstSeed + seeds; seed++)
    foreach (var objective in objectives)
        foreach (var sampler in samplers)
        {
            var (curve, ms) = RunOne(objective, sampler, seed, trials);
            var line = new JsonObject
            {
                ["impl"] = "rlx", ["objective"] = objective.Name, ["sampler"] = sampler, ["seed"] = seed,
                ["best"] = new JsonObject(curve.Select(p => KeyValuePair.Create(p.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)p.Value))),
                ["suggest_ms"] = ms,
            };
            Console.WriteLine(line.ToJsonString());
        }
return 0;

// One study: the sampler sees the observed values; "best" at n is the true value of the best observed trial among the first n.
(SortedDictionary<int, double> Curve, double SuggestMs) RunOne(Objective objective, string samplerName, int seed, int nTrials)
{
    ISampler sampler = samplerName switch
    {
        "tpe" => new TpeSampler(),
        "tpe-mvg" => new TpeSampler(options: new TpeSamplerOptions { Multivariate = true, Group = true }),
        "random" => new RandomSampler(),
        _ => new CmaEsSampler(),
    };
    var rng = new Rng((ulong)seed);
    var noise = new Rng(1_000_003UL * (ulong)seed + 17);
    var history = new List<Trial>();
    var curve = new SortedDictionary<int, double>();
    double bestSeen = double.PositiveInfinity, bestTrue = double.PositiveInfinity;
    long ticks = 0;
    for (int n = 1; n <= nTrials; n++)
    {
        long t0 = Stopwatch.GetTimestamp();
        var c = sampler.Suggest(objective.Space, history, rng);
        ticks += Stopwatch.GetTimestamp() - t0;
        double seen = objective.Observed(c, noise);
        if (seen < bestSeen) { bestSeen = seen; bestTrue = objective.True(c); }
        history.Add(new Trial(c, seen, TrialState.Complete));
        if (budgets.Contains(n)) curve[n] = bestTrue;
    }
    return (curve, 1000.0 * ticks / Stopwatch.Frequency / nTrials);
}

static List<JsonObject> Read(string path)
{
    if (!File.Exists(path)) throw new FileNotFoundException($"No benchmark output at '{path}'.", path);
    return File.ReadLines(path).Where(l => l.TrimStart().StartsWith('{')).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
}

// Markdown: per objective and our sampler, against each Optuna version's sampler of the same kind (our tpe-mvg against
// Optuna's default tpe), the two medians per budget, the Mann–Whitney p-value and a verdict; then time per suggestion.
string Compare(List<JsonObject> ours, List<JsonObject> optuna)
{
    var sb = new StringBuilder();
    var skipped = optuna.Where(o => o["skipped"] is not null).Select(o => $"{o["skipped"]} ({o["reason"]})").Distinct().ToList();
    var refs = optuna.Where(o => o["skipped"] is null).ToList();
    string Version(JsonObject o) => o["version"]?.ToString() ?? "?";
    string Kind(string sampler) => sampler.Split('-')[0];
    var versions = refs.Select(Version).Distinct().OrderByDescending(v => v, StringComparer.Ordinal).ToList();
    var keys = ours.Select(o => (Objective: o["objective"]!.ToString(), Sampler: o["sampler"]!.ToString())).Distinct().ToList();
    sb.AppendLine($"Median best value (lower is better) over seeds; p: two-sided Mann–Whitney U (normal approximation, tie and continuity corrected) of rlx vs Optuna ({string.Join(", ", versions)}), same objective, same trial count; our `tpe-mvg` (multivariate + group) is compared with Optuna's default `tpe`. Verdict at p < 0.05: `better`/`WORSE` (by the rank statistic), else `≈`.");
    if (skipped.Count > 0) sb.AppendLine().AppendLine($"Optuna samplers skipped: {string.Join("; ", skipped)}.");
    sb.AppendLine();
    sb.AppendLine("| objective | rlx sampler | vs Optuna | seeds (rlx/optuna) | " + string.Join(" | ", budgets.Select(b => $"n={b}: rlx / optuna (p)")) + " |");
    sb.AppendLine("| --- | --- | --- | --- | " + string.Join(" | ", budgets.Select(_ => "---")) + " |");
    var time = new List<string>();
    foreach (var (objective, sampler) in keys)
    {
        var mine = ours.Where(o => o["objective"]!.ToString() == objective && o["sampler"]!.ToString() == sampler).ToList();
        double msA = mine.Average(x => x["suggest_ms"]!.GetValue<double>());
        var msO = new List<string>();
        foreach (var version in versions)
        {
            var theirs = refs.Where(o => Version(o) == version && o["objective"]!.ToString() == objective && o["sampler"]!.ToString() == Kind(sampler)).ToList();
            if (theirs.Count == 0) { msO.Add("–"); continue; }
            var cells = new List<string>();
            foreach (var b in budgets)
            {
                var a = Values(mine, b);
                var o = Values(theirs, b);
                if (a.Length == 0 || o.Length == 0) { cells.Add("–"); continue; }
                var test = MannWhitney.Test(a, o);
                string verdict = test.PValue >= 0.05 ? "≈" : test.U > a.Length * (double)o.Length / 2 ? "**WORSE**" : "better";
                cells.Add($"{Fmt(Median(a))} / {Fmt(Median(o))} ({test.PValue:0.000} {verdict})");
            }
            sb.AppendLine($"| {objective} | {sampler} | {version} {Kind(sampler)} | {mine.Count}/{theirs.Count} | {string.Join(" | ", cells)} |");
            msO.Add(theirs.Average(x => x["suggest_ms"]!.GetValue<double>()).ToString("0.000", CultureInfo.InvariantCulture));
        }
        time.Add($"| {objective} | {sampler} | {msA:0.000} | {string.Join(" | ", msO)} |");
    }
    sb.AppendLine().AppendLine("Mean time per suggestion, ms (rlx: `ISampler.Suggest`; Optuna: `study.ask()` plus the objective's `suggest_*` calls, in-memory storage):").AppendLine();
    sb.AppendLine("| objective | rlx sampler | rlx ms | " + string.Join(" | ", versions.Select(v => $"Optuna {v} ms")) + " |");
    sb.AppendLine("| --- | --- | ---: | " + string.Join(" | ", versions.Select(_ => "---:")) + " |");
    foreach (var t in time) sb.AppendLine(t);
    return sb.ToString();
}

static double[] Values(List<JsonObject> rows, int budget) =>
    rows.Select(r => r["best"]?[budget.ToString(CultureInfo.InvariantCulture)]).Where(v => v is not null).Select(v => v!.GetValue<double>()).ToArray();

static double Median(double[] v)
{
    var s = v.OrderBy(x => x).ToArray();
    return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
}

static string Fmt(double v) => Math.Abs(v) >= 100 ? v.ToString("0.0", CultureInfo.InvariantCulture) : v.ToString("0.0000", CultureInfo.InvariantCulture);
