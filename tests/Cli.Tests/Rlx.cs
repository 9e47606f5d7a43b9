using System.Diagnostics;
using System.Text;
using RlExperiments.Cli;

namespace RlExperiments.Cli.Tests;

/// <summary>Runs rlx in this process (quick checks) or as a child process (<c>dotnet rlx.dll</c>, for workers and kills).</summary>
internal static class Rlx
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "rlx.dll");

    private static readonly Lock Gate = new();

    /// <summary>Runs one command in process; returns its exit code and what it wrote.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        lock (Gate) // commands write the console loggers' output; one at a time keeps the captured text whole
            return (RlxCommand.Run(args, output, error), output.ToString(), error.ToString());
    }

    /// <summary>A child process running rlx; its standard output and error are collected in <see cref="Output"/>.</summary>
    public sealed class Child : IDisposable
    {
        private readonly StringBuilder _output = new();

        public Child(string workingDirectory, params string[] args)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory,
            };
            start.ArgumentList.Add(Dll);
            foreach (var a in args) start.ArgumentList.Add(a);
            start.Environment.Remove("RLX_STORAGE");
            Process = Process.Start(start)!;
            Process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
            Process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public string Output { get { lock (_output) return _output.ToString(); } }

        public int WaitForExit(TimeSpan timeout)
        {
            if (!Process.WaitForExit(timeout))
            {
                Process.Kill(entireProcessTree: true);
                throw new TimeoutException($"rlx (pid {Process.Id}) did not finish within {timeout}. Output:\n{Output}");
            }
            Process.WaitForExit();
            return Process.ExitCode;
        }

        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            Process.Dispose();
        }
    }
}
