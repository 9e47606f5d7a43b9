using System.CommandLine;
using RlExperiments.Environments;
using RlExperiments.Experiments.Algorithms;

namespace RlExperiments.Cli;

/// <summary><c>rlx list-algos</c> and <c>rlx list-envs</c>.</summary>
internal static class ListCommands
{
    public static Command Algorithms(TextWriter output)
    {
        var command = new Command("list-algos", "List the registered algorithms, what they are, and the environments with a tuned preset.");
        command.SetAction(_ =>
        {
            foreach (var m in AlgorithmRegistry.Default.Modules)
                output.WriteLine($"{m.Name.ToLowerInvariant(),-6} {m.Description}" + (m.PresetEnvIds.Count > 0 ? $" [presets: {string.Join(", ", m.PresetEnvIds)}]" : ""));
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Environments(TextWriter output)
    {
        var command = new Command("list-envs", "List the registered environment ids.");
        command.SetAction(_ =>
        {
            foreach (var id in EnvRegistry.Default.Ids) output.WriteLine(id);
            return ExitCodes.Success;
        });
        return command;
    }
}
