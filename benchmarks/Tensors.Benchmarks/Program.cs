using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using RlExperiments.Tensors.Benchmarks;

// dotnet run -c Release --project benchmarks/Tensors.Benchmarks -- --quick [name-filter ...]
//     Stopwatch harness, one JSON line per case, same case names as benchmarks/tensors_torch_reference.py.
// dotnet run -c Release --project benchmarks/Tensors.Benchmarks -- [BenchmarkDotNet arguments, e.g. --filter *Gemm*]
// dotnet ... --loop <case> <seconds>: runs one quick case back to back, for a sampling profiler
//     (DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 perf record -F 4999 -- dotnet ... --loop dqn_update 10).
if (args.Length == 3 && args[0] == "--loop")
{
    QuickCase loopCase = AllQuickCases().First(c => c.Name == args[1]);
    var until = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) * System.Diagnostics.Stopwatch.Frequency);
    while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
    {
        for (int i = 0; i < 100; i++) loopCase.Op();
    }

    return 0;
}

if (args.Length > 0 && args[0] == "--quick")
{
    QuickHarness.Run(AllQuickCases(), args[1..], Console.Out);
    return 0;
}

// In-process toolchain for every job: the assembly is named RlExperiments.Benchmarks (so InternalsVisibleTo reaches
// the kernels) while the project file is RlExperiments.Tensors.Benchmarks.csproj, and BenchmarkDotNet's default
// out-of-process toolchain cannot find a project whose file name differs from the assembly name.
IConfig config = DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).AsDefault());
BenchmarkSwitcher.FromAssembly(typeof(GemmBenchmarks).Assembly).Run(args, config);
return 0;

// Every file that defines quick cases contributes them here (lazily: a case's set-up runs when it is reached).
static IEnumerable<QuickCase> AllQuickCases() =>
    GemmBenchmarks.QuickCases()
        .Concat(GemmBenchmarks.ThreadingQuickCases())
        .Concat(UpdateCases.QuickCases())
        .Concat(ActingCases.QuickCases())
        .Concat(DqnParts.QuickCases())
        .Concat(IqnUpdateCase.QuickCases())
        .Concat(OffPolicyUpdateCases.QuickCases())
        .Concat(DqnAgentCases.QuickCases());
