using FluentAssertions;
using RlExperiments.Tuning;
using Xunit;

namespace RlExperiments.Tuning.Tests;

public sealed class StudyStorageUrlTests
{
    [Fact]
    public void Sqlite_urls_follow_sqlalchemy_relative_and_absolute_forms()
    {
        StudyStorageUrl.Parse("sqlite:///log/study.db").SqlitePath.Should().Be(Path.GetFullPath("log/study.db"));
        StudyStorageUrl.Parse("sqlite:////tmp/x/study.db").SqlitePath.Should().Be("/tmp/x/study.db");
        StudyStorageUrl.Parse("sqlite:////tmp/x/study.db").IsPostgres.Should().BeFalse();
    }

    [Fact]
    public void Postgres_urls_map_to_a_connection_string_and_never_show_the_password()
    {
        var url = StudyStorageUrl.Parse("postgresql://alice:p%40ss:w@db.example:6543/studies?sslmode=disable");
        url.IsPostgres.Should().BeTrue();
        url.ToString().Should().Be("postgresql://alice:***@db.example:6543/studies?sslmode=disable");
        var b = new Npgsql.NpgsqlConnectionStringBuilder(url.ConnectionString);
        (b.Host, b.Port, b.Database, b.Username, b.Password).Should().Be(("db.example", 6543, "studies", "alice", "p@ss:w"));
        new Npgsql.NpgsqlConnectionStringBuilder(StudyStorageUrl.Parse("postgres://bob@h/d").ConnectionString).Port.Should().Be(5432);
    }

    [Theory]
    [InlineData("mysql://u:topsecret@h/db", "*'mysql://u:***@h/db'*scheme 'mysql' is not supported*allowed: sqlite:///PATH*postgresql://USER:PASSWORD@HOST:PORT/DATABASE*")]
    [InlineData("postgresql://u:topsecret@h:5432/", "*'postgresql://u:***@h:5432/'*names no database*")]
    [InlineData("postgresql://u:topsecret@h/db?nosuchoption=1", "*'postgresql://u:***@h/db?nosuchoption=1'*nosuchoption*")]
    [InlineData("sqlite://relative.db", "*sqlite:/// followed by the file path*")]
    [InlineData("study.db", "*'study.db'*has no scheme*")]
    public void Malformed_urls_are_refused_naming_the_url_without_the_password(string url, string message)
    {
        FluentActions.Invoking(() => StudyStorageUrl.Parse(url)).Should().Throw<ArgumentException>()
            .WithMessage(message).Where(e => !e.Message.Contains("topsecret"));
    }

    [Fact]
    public void The_optimizer_validates_its_storage_url()
    {
        var options = new HyperparameterOptimizerOptions { StudyDirectory = "x", Storage = "postgresql://u:topsecret@h" };
        FluentActions.Invoking(() => new HyperparameterOptimizer(options)).Should().Throw<ArgumentException>()
            .Where(e => e.Message.Contains("postgresql://u:***@h") && !e.Message.Contains("topsecret"));
    }
}
