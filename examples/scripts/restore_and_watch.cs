#:property PublishAot=false
#:project ../../src/Experiments/RlExperiments.Experiments.csproj

// Restore a run directory and watch its policy: dotnet run examples/scripts/restore_and_watch.cs -- log/CartPoleDqn
// (add -c Release to build the libraries optimised; the default Debug build is several times slower)
using RlExperiments.Experiments;

var directory = args.Length > 0 ? args[0] : "log/CartPoleDqn";
var experiment = Experiment.FromDirectory(directory)
    .WithConfig(c => c with { Train = false, PersistenceEnabled = false });
using var result = experiment.Run();
Console.WriteLine($"Restored policy's test return: {result.PolicyTestReturn}; watch: {result.WatchResult!.Mean}");
