namespace RlExperiments.Cli;

/// <summary>An error the command reports as one line and an exit code (no stack trace): bad input, missing study.</summary>
/// <param name="message">What is wrong, naming the thing and what is allowed.</param>
/// <param name="exitCode">One of <see cref="ExitCodes"/>.</param>
internal sealed class CliException(string message, int exitCode = ExitCodes.InvalidInput) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
