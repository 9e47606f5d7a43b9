// Writes the parameter reference docs/algorithms/*.md from the code (see ParamDocsGenerator).
//   dotnet run --project tools/ParamDocs -c Release             regenerate
//   dotnet run --project tools/ParamDocs -c Release -- --check  exit 1 and list the differences when out of date
using ParamDocs;
using RlExperiments.Experiments.Algorithms;

var check = args.Contains("--check");
var root = Directory.GetCurrentDirectory();
while (!File.Exists(Path.Combine(root, "RlExperiments.sln")))
    root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Run this inside the repository (no RlExperiments.sln above the current directory).");
var directory = Path.Combine(root, ParamDocsGenerator.Folder);
var pages = ParamDocsGenerator.Generate(AlgorithmRegistry.Default);
if (check)
{
    var differences = ParamDocsGenerator.Differences(directory, pages);
    foreach (var d in differences) Console.Error.WriteLine($"{ParamDocsGenerator.Folder}/{d}");
    if (differences.Count > 0) Console.Error.WriteLine($"Regenerate with: {ParamDocsGenerator.Command}");
    return differences.Count > 0 ? 1 : 0;
}
ParamDocsGenerator.Write(directory, pages);
Console.WriteLine($"Wrote {pages.Count} pages to {directory}");
return 0;
