namespace RlExperiments.Cli;

/// <summary>The exit codes of <c>rlx</c> (also listed by <c>rlx --help</c>).</summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>The work failed while running (training diverged, a file could not be written, a study stopped on an error).</summary>
    public const int Failed = 1;

    /// <summary>Invalid command line or input: unknown command, option, algorithm, environment, hyperparameter key or value, malformed storage URL, missing directory, a storage written by a newer schema.</summary>
    public const int InvalidInput = 2;

    /// <summary>The storage could not be used: server unreachable, wrong password, no such study.</summary>
    public const int StorageUnavailable = 3;

    /// <summary>The text <c>rlx --help</c> shows.</summary>
    public const string Help = "Exit codes: 0 success; 1 the work failed while running; 2 invalid command line or input; 3 storage unavailable (unreachable, wrong password, no such study).";
}
