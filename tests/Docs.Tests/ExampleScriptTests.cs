using System.Diagnostics;

namespace RlExperiments.Docs.Tests;

public class ExampleScriptTests
{
    /// <summary>
    /// Issue 18: <c>dotnet run examples/scripts/restore_and_watch.cs</c> without an argument (and no log/CartPoleDqn) must
    /// print the hint and exit with 1, not end in an unhandled exception (exit 134). Runs the real script with the SDK.
    /// </summary>
    [Fact]
    public async Task Restore_and_watch_script_without_a_saved_run_prints_the_hint_and_exits_1()
    {
        using var dir = new TempDir();
        var script = Path.Combine(RepositoryRoot.Path, "examples", "scripts", "restore_and_watch.cs");
        var start = new ProcessStartInfo("dotnet", ["run", "-c", "Release", script])
        {
            WorkingDirectory = dir.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        var stderrTask = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(timeout.Token);
        var (stdout, stderr) = (await stdoutTask, await stderrTask);
        var output = stdout + stderr;
        process.ExitCode.Should().Be(1, output);
        stderr.Should().Contain("No saved experiment in 'log/CartPoleDqn'").And.Contain("dotnet run --project examples/CartPoleDqn");
        output.Should().NotContain("Unhandled exception");
    }
}
