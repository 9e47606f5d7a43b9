using System.Diagnostics;
using FluentAssertions;
namespace RlExperiments.Testing;

/// <summary>
/// A fact that needs headless Chromium: skipped, with the reason, when no Chromium binary is installed
/// (CI installs it with <c>apt-get install -y --no-install-recommends chromium fonts-liberation fonts-dejavu-core</c>).
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    public ChromiumFactAttribute()
    {
        if (Executable is null)
            Skip = "Chromium is not installed (none of " + string.Join(", ", Candidates) + " exists); install it with 'apt-get install -y --no-install-recommends chromium fonts-liberation fonts-dejavu-core' to run the screenshot test.";
    }

    /// <summary>The first Chromium binary found, or null.</summary>
    public static string? Executable => Candidates.FirstOrDefault(File.Exists);

    /// <summary>Renders <paramref name="html"/> in headless Chromium and writes a <paramref name="width"/>×<paramref name="height"/> screenshot to <paramref name="png"/>.</summary>
    public static void Screenshot(string html, string png, string profile, int width, int height)
    {
        var start = new ProcessStartInfo(Executable!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--hide-scrollbars", $"--user-data-dir={profile}",
                     $"--window-size={width},{height}", $"--screenshot={png}", "file://" + html,
                 })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("Chromium did not finish the screenshot within 120 s.");
        }
        File.Exists(png).Should().BeTrue($"Chromium should write the screenshot (exit code {process.ExitCode}; stderr: {stderr.Result})");
        _ = stdout.Result;
    }
}
