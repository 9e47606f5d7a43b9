namespace RlExperiments.Testing;

/// <summary>
/// A fact that needs a PostgreSQL server: skipped, with the reason, when the environment variable
/// <c>RLX_TEST_POSTGRES</c> (a <c>postgresql://</c> URL) is unset. <c>.ci/run</c> starts a server and sets it.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (Url is null)
            Skip = "No PostgreSQL server: RLX_TEST_POSTGRES is unset. .ci/run starts one (.ci/postgres start DIR prints the URL to export).";
    }

    /// <summary>The test server's URL, or null.</summary>
    public static string? Url => Environment.GetEnvironmentVariable("RLX_TEST_POSTGRES") is { Length: > 0 } url ? url : null;

    /// <summary>A study name no other test uses.</summary>
    public static string NewStudyName(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];
}
