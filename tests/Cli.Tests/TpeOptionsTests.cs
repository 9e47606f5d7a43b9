using RlExperiments.Tuning;

namespace RlExperiments.Cli.Tests;

/// <summary>The TPE's options travel with the study: rlx tune stores them, rlx worker (on any machine) reads them back.</summary>
public sealed class TpeOptionsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Tune_stores_the_tpe_options_in_the_study_and_refuses_other_ones_on_continue()
    {
        var dir = _dir.Combine("studies", "t");
        string[] tune = ["tune", "--algo", "dqn", "--env", "CartPole-v1", "--study", "t", "--trials", "1", "--steps", "2000", "--pruner", "none", "--dir", dir];
        var first = Rlx.Run([.. tune, "--multivariate", "--group", "--constant-liar"]);
        first.Code.Should().Be(ExitCodes.Success, first.Err);
        using (var storage = StudyStorageUrl.Sqlite(Path.Combine(dir, "study.db")).Open("t"))
        {
            var spec = StudySpec.Load(storage)!;
            spec.Tpe.Should().Be(new TpeSamplerOptions { Multivariate = true, Group = true, ConstantLiar = true });
            storage.GetUserAttributes()["rlx.tpe.constant_liar"].Should().Be("true");
        }
        var other = Rlx.Run(tune);
        other.Code.Should().Be(ExitCodes.InvalidInput);
        other.Err.Should().Contain("Study 't'").And.Contain("Multivariate = True").And.Contain("only --trials may change");
    }

    [Fact]
    public void A_study_stored_before_the_tpe_options_reads_back_optunas_defaults()
    {
        using var storage = new InMemoryStudyStorage();
        storage.CreateStudy(new StudyInfo("old", StudyDirection.Maximize, "space", DateTime.UtcNow));
        foreach (var (k, v) in new[] { ("algo", "dqn"), ("env", "CartPole-v1"), ("steps", "2000"), ("sampler", "tpe"), ("pruner", "none"), ("seeds", "1"), ("trials", "3"), ("seed", "42") })
            storage.SetUserAttribute("rlx." + k, v);
        var spec = StudySpec.Load(storage)!;
        spec.Tpe.Should().Be(new TpeSamplerOptions());
        spec.Save(storage);
        StudySpec.Load(storage).Should().Be(spec);
        var liar = spec with { Tpe = new TpeSamplerOptions { ConstantLiar = true } };
        liar.Save(storage);
        StudySpec.Load(storage).Should().Be(liar);
    }
}
