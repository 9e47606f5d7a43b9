using System.CommandLine;
using RlExperiments.Tuning;

namespace RlExperiments.Cli;

/// <summary>The command tree of <c>rlx</c> and how a command's failure becomes a message and an exit code.</summary>
internal static class RlxCommand
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("rlx: train, tune and run reinforcement-learning experiments from the command line. " + ExitCodes.Help)
        {
            TrainCommand.Create(output),
            StudyCommands.Tune(output),
            StudyCommands.Worker(output),
            ReportCommand.Create(output),
            ListCommands.Algorithms(output),
            ListCommands.Environments(output),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) error.WriteLine("error: " + e.Message);
            error.WriteLine($"See '{string.Join(' ', parsed.CommandResult.Command.Name == root.Name ? ["rlx"] : ["rlx", parsed.CommandResult.Command.Name])} --help'.");
            return ExitCodes.InvalidInput;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            var (code, message) = Classify(e);
            error.WriteLine("error: " + message.ReplaceLineEndings(" "));
            return code;
        }
    }

    private static (int Code, string Message) Classify(Exception e) => e switch
    {
        CliException c => (c.ExitCode, c.Message),
        StudyStorageUnavailableException s => (ExitCodes.StorageUnavailable, s.Message),
        ArgumentException or DirectoryNotFoundException or FileNotFoundException => (ExitCodes.InvalidInput, e.Message),
        InvalidDataException => (ExitCodes.InvalidInput, e.Message),
        _ => (ExitCodes.Failed, $"{e.GetType().Name}: {e.Message}"),
    };
}
