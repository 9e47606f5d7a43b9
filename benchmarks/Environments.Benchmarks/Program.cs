using BenchmarkDotNet.Running;
using RlExperiments.Environments.Benchmarks;

// dotnet run -c Release --project benchmarks/Environments.Benchmarks -- --quick      (one JSON line per case)
// dotnet run -c Release --project benchmarks/Environments.Benchmarks -- --filter '*'  (BenchmarkDotNet, ShortRun jobs)
if (args.Contains("--quick"))
{
    QuickRunner.Run(TimeSpan.FromSeconds(1));
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(StepCase).Assembly).Run(args);
