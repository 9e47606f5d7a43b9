using BenchmarkDotNet.Running;
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
    ];
    QuickHarness.Run(cases, args[1..], Console.Out);
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(GemmBenchmarks).Assembly).Run(args);
return 0;
