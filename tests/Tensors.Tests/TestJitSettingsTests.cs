namespace RlExperiments.Tensors.Tests;

/// <summary>
/// The allocation tests in every test project count on tests running with the JIT settings of the programs users run
/// (tests/Directory.Build.props): with tiered compilation a round of steps may allocate a few kilobytes once, while
/// quickly compiled code is swapped for optimised code, and tiered PGO can hide an allocation the programs make.
/// </summary>
public class TestJitSettingsTests
{
    [Fact]
    public void Tests_run_with_tiered_compilation_off_like_the_programs_users_run()
    {
        AppContext.GetData("System.Runtime.TieredCompilation")?.ToString().Should().BeEquivalentTo(
            "false", "tests/Directory.Build.props sets TieredCompilation=false, as ../Directory.Build.props does for examples, benchmarks and rlx");
        Environment.GetEnvironmentVariable("DOTNET_TieredCompilation").Should().NotBe(
            "1", "the environment would turn tiered compilation back on over the project's setting");
    }
}
