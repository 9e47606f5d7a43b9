using BenchmarkDotNet.Running;
using RlExperiments.Environments.Benchmarks;

// dotnet run -c Release --project benchmarks/Environments.Benchmarks -- --quick [name-filter]  (one JSON line per case)
// dotnet run -c Release --project benchmarks/Environments.Benchmarks -- --filter '*'  (BenchmarkDotNet, ShortRun jobs)
if (args.Contains("--quick"))
{
    var at = Array.IndexOf(args, "--quick");
    QuickRunner.Run(TimeSpan.FromSeconds(1), at + 1 < args.Length ? args[at + 1] : null);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(StepCase).Assembly).Run(args);
