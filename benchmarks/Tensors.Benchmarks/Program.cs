using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using RlExperiments.Tensors.Benchmarks;

// dotnet run -c Release --project benchmarks/Tensors.Benchmarks -- --quick [name-filter ...]
//     Stopwatch harness, one JSON line per case, same case names as shared/bench/torch_reference.py.
// dotnet run -c Release --project benchmarks/Tensors.Benchmarks -- [BenchmarkDotNet arguments, e.g. --filter *Gemm*]
if (args.Length > 0 && args[0] == "--quick")
{
    // Every file that defines quick cases contributes them here.
    IEnumerable<QuickCase> cases =
    [
        .. GemmBenchmarks.QuickCases(),
        .. GemmBenchmarks.ThreadingQuickCases(),
        .. UpdateCases.QuickCases(),
        .. ActingCases.QuickCases(),
        .. DqnParts.QuickCases(),
    ];
    QuickHarness.Run(cases, args[1..], Console.Out);
    return 0;
}

// In-process toolchain for every job: the assembly is named RlExperiments.Benchmarks (so InternalsVisibleTo reaches
// the kernels) while the project file is RlExperiments.Tensors.Benchmarks.csproj, and BenchmarkDotNet's default
// out-of-process toolchain cannot find a project whose file name differs from the assembly name.
IConfig config = DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).AsDefault());
BenchmarkSwitcher.FromAssembly(typeof(GemmBenchmarks).Assembly).Run(args, config);
return 0;
