using Exp = RlExperiments.Experiments.Experiment;
using Microsoft.Extensions.Logging;
using RlExperiments.Experiments.Algorithms.A2c;
using RlExperiments.Experiments.Algorithms.Ppo;

namespace RlExperiments.Experiments.Tests.Settings;

/// <summary>experiment.json files written before the NumEpochs → UpdateEpochs rename (real files, Fixtures/main-2ec9ed5) still load, with a note.</summary>
public class OldExperimentJsonTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "main-2ec9ed5", name);

    [Fact]
    public void An_old_ppo_experiment_loads_with_numEpochs_read_as_UpdateEpochs_and_a_logged_note()
    {
        using var dir = new TempDir();
        File.Copy(Fixture("ppo-experiment.json"), dir.Combine(Exp.FileName));
        var log = new CapturingLogger();
        var experiment = Exp.FromDirectory(dir.Path, restorePolicy: false, services: log.Services());
        var ppo = (PPOAlgorithmFactory)experiment.Definition.Algorithm;
        ppo.Params.UpdateEpochs.Should().Be(4);
        (ppo.Params.NumSteps, ppo.Params.BatchSize).Should().Be((128, 32));
        log.At(LogLevel.Warning).Should().ContainSingle().Which.Should()
            .Contain("payload.algorithm.params.numEpochs' was read as 'updateEpochs'").And.Contain("Experiment.Save");

        // Saved again, the file has the new name only and loads without a note.
        var again = dir.Combine("again");
        experiment.Save(again);
        var text = File.ReadAllText(Path.Combine(again, Exp.FileName));
        text.Should().Contain("\"updateEpochs\": 4").And.NotContain("\"numEpochs\": 4");
        var quiet = new CapturingLogger();
        ((PPOAlgorithmFactory)Exp.FromDirectory(again, restorePolicy: false, services: quiet.Services()).Definition.Algorithm).Params
            .Should().Be(ppo.Params);
        quiet.At(LogLevel.Warning).Should().BeEmpty();
    }

    [Fact]
    public void An_old_a2c_experiment_loads_too()
    {
        using var dir = new TempDir();
        File.Copy(Fixture("a2c-experiment.json"), dir.Combine(Exp.FileName));
        var log = new CapturingLogger();
        var a2c = (A2CAlgorithmFactory)Exp.FromDirectory(dir.Path, restorePolicy: false, services: log.Services()).Definition.Algorithm;
        a2c.Params.UpdateEpochs.Should().Be(2);
        log.At(LogLevel.Warning).Should().ContainSingle();
    }
}
