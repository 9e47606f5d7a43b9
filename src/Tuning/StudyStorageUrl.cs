using System.Globalization;
using Npgsql;

namespace RlExperiments.Tuning;

/// <summary>
/// An Optuna-style storage URL: <c>sqlite:///relative/study.db</c> or <c>sqlite:////absolute/study.db</c> (SQLAlchemy's
/// form: the path follows the third slash) for the embedded default, or
/// <c>postgresql://user:password@host:port/database[?key=value...]</c> for a server many machines share (query keys are
/// Npgsql connection-string keywords, e.g. <c>sslmode=require</c>). <see cref="ToString"/> never shows the password.
/// </summary>
public sealed record StudyStorageUrl
{
    /// <summary>The environment variable read when no storage URL is given (as Optuna's CLI reads <c>--storage</c>).</summary>
    public const string EnvironmentVariable = "RLX_STORAGE";

    private const string Allowed = "sqlite:///PATH (e.g. sqlite:///log/study.db) or postgresql://USER:PASSWORD@HOST:PORT/DATABASE";

    private StudyStorageUrl(string scheme, string redacted, string? sqlitePath, string? connectionString)
    {
        Scheme = scheme;
        Redacted = redacted;
        SqlitePath = sqlitePath;
        ConnectionString = connectionString;
    }

    /// <summary>"sqlite" or "postgresql".</summary>
    public string Scheme { get; }

    /// <summary>The URL with its password replaced by <c>***</c>: what errors and logs show.</summary>
    public string Redacted { get; }

    /// <summary>The database file of a <c>sqlite:</c> URL (full path); null otherwise.</summary>
    public string? SqlitePath { get; }

    /// <summary>The Npgsql connection string of a <c>postgresql:</c> URL; null otherwise. Holds the password: never log it.</summary>
    internal string? ConnectionString { get; }

    /// <summary>Whether the storage is a PostgreSQL server.</summary>
    public bool IsPostgres => Scheme == "postgresql";

    /// <summary>The URL in <see cref="EnvironmentVariable"/>, or null when it is unset or empty.</summary>
    public static string? FromEnvironment() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } url ? url : null;

    /// <summary>Parses <paramref name="url"/>; throws <see cref="ArgumentException"/> naming the (redacted) URL and what is allowed.</summary>
    /// <param name="url">The storage URL.</param>
    public static StudyStorageUrl Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        url = url.Trim();
        if (url.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            if (!url.StartsWith("sqlite:///", StringComparison.OrdinalIgnoreCase) || url.Length == "sqlite:///".Length)
                throw Invalid(url, "a SQLite URL is sqlite:/// followed by the file path (sqlite:////abs/path.db for an absolute path)");
            var path = Uri.UnescapeDataString(url["sqlite:///".Length..]);
            return new StudyStorageUrl("sqlite", url, Path.GetFullPath(path), null);
        }
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd < 0 ? "" : url[..schemeEnd].ToLowerInvariant();
        if (scheme is not ("postgresql" or "postgres"))
            throw Invalid(Redact(url), schemeEnd < 0 ? "it has no scheme" : $"the scheme '{scheme}' is not supported");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw Invalid(Redact(url), "it is not a well-formed URL with a host");
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0 || database.Contains('/'))
            throw Invalid(Redact(url), "it names no database (the path after host:port)");
        var b = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = database,
            // Workers wait for a busy server rather than fail fast; a dead one is reported after this.
            Timeout = 15,
            ApplicationName = "rlx",
        };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':');
            b.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0) b.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            try { b[key] = value; }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                throw Invalid(Redact(url), $"the query option '{key}={value}' is not an Npgsql connection option ({e.Message})");
            }
        }
        return new StudyStorageUrl("postgresql", Redact(url), null, b.ConnectionString);
    }

    /// <summary>A <c>sqlite:</c> URL for a database file.</summary>
    /// <param name="path">The file path.</param>
    public static StudyStorageUrl Sqlite(string path) => Parse("sqlite:///" + Path.GetFullPath(path));

    /// <summary>Opens the storage bound to study <paramref name="studyName"/> (a SQLite file holds one study; a PostgreSQL database many).</summary>
    /// <param name="studyName">The study name.</param>
    /// <exception cref="StudyStorageUnavailableException">The server cannot be reached or refuses the credentials (the message names the redacted URL).</exception>
    public IStudyStorage Open(string studyName) =>
        IsPostgres ? new PostgresStudyStorage(this, studyName) : new SqliteStudyStorage(SqlitePath!);

    /// <summary>The redacted URL.</summary>
    public override string ToString() => Redacted;

    /// <summary><paramref name="url"/> with the password of its user-info part replaced by <c>***</c>.</summary>
    /// <param name="url">A URL.</param>
    public static string Redact(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0) return url;
        var start = schemeEnd + 3;
        var at = url.LastIndexOf('@');
        if (at < start) return url;
        var colon = url.IndexOf(':', start);
        return colon < 0 || colon > at ? url : string.Concat(url.AsSpan(0, colon + 1), "***", url.AsSpan(at));
    }

    private static ArgumentException Invalid(string shown, string why) =>
        new(string.Create(CultureInfo.InvariantCulture, $"The storage URL '{shown}' is invalid: {why}; allowed: {Allowed}."), "storage");
}
