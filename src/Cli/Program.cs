namespace RlExperiments.Cli;

/// <summary>The entry point of <c>rlx</c>.</summary>
public static class Program
{
    /// <summary>Parses and runs one command; returns its exit code (<see cref="ExitCodes"/>).</summary>
    /// <param name="args">The command line.</param>
    public static int Main(string[] args) => RlxCommand.Run(args, Console.Out, Console.Error);
}
