namespace RlExperiments.Docs.Tests;

/// <summary>The repository's root folder (the one holding RlExperiments.sln), found from the test's output folder.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(System.IO.Path.Combine(dir, "RlExperiments.sln")))
            dir = System.IO.Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("No RlExperiments.sln above " + AppContext.BaseDirectory);
        return dir;
    }
}
