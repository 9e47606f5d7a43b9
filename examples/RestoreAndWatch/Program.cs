// Restore a saved run and watch its policy (no training, nothing written).
//
//   dotnet run --project examples/RestoreAndWatch -c Release -- log/CartPoleDqn
using RlExperiments.Experiments;

var directory = args.Length > 0 ? args[0] : Path.Combine("log", "CartPoleDqn");
if (!File.Exists(Path.Combine(directory, Experiment.FileName)))
{
    Console.Error.WriteLine($"No saved experiment in '{directory}'. Run `dotnet run --project examples/CartPoleDqn -c Release` first, or pass a run directory.");
    return 1;
}

// Reads experiment.json (type-checked against the allow-list) and checks the policy file; creates nothing.
var experiment = Experiment.FromDirectory(directory, restorePolicy: true)
    .WithConfig(c => c with { Train = false, Watch = true, WatchNumEpisodes = 10, PersistenceEnabled = false });
Console.WriteLine($"Restored {experiment.Name}: {experiment.Definition.Algorithm.AlgorithmName} on {experiment.Definition.EnvFactory.EnvId}");

using var result = experiment.Run();
Console.WriteLine($"Test return of the restored policy: {result.PolicyTestReturn:0.##}");
Console.WriteLine($"Watch: {string.Join(", ", result.WatchResult!.Returns.Select(r => r.ToString("0.#")))}");
return 0;
