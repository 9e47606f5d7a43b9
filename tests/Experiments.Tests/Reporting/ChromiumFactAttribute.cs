namespace RlExperiments.Experiments.Tests.Reporting;

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
}
