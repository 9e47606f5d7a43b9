#:property PublishAot=false
#:project ../../src/Experiments/RlExperiments.Experiments.csproj

// Restore a run directory and watch its policy: dotnet run examples/scripts/restore_and_watch.cs -- log/CartPoleDqn
// (add -c Release to build the libraries optimised; the default Debug build is several times slower).
// Without an argument it reads log/CartPoleDqn; when that holds no saved experiment it prints a hint and exits with 1.
using RlExperiments.Experiments;

var directory = args.Length > 0 ? args[0] : Path.Combine("log", "CartPoleDqn");
if (!File.Exists(Path.Combine(directory, Experiment.FileName)))
{
    Console.Error.WriteLine($"No saved experiment in '{directory}'. Run `dotnet run --project examples/CartPoleDqn -c Release` " +
        "first (it saves log/CartPoleDqn), or pass a run directory, e.g. after `dotnet run examples/scripts/cartpole_dqn.cs`: " +
        "dotnet run examples/scripts/restore_and_watch.cs -- log/script_cartpole_dqn");
    return 1;
}

var experiment = Experiment.FromDirectory(directory)
    .WithConfig(c => c with { Train = false, Watch = true, PersistenceEnabled = false });
using var result = experiment.Run();
Console.WriteLine($"Restored policy's test return: {result.PolicyTestReturn}; watch: {result.WatchResult!.Mean}");
return 0;
