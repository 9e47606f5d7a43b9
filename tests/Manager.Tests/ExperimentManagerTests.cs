using RlExperiments.Core;
using System.Text.RegularExpressions;
using RlExperiments.Experiments.Collections;
using RlExperiments.Experiments.Tests.Experiment;

namespace RlExperiments.Manager.Tests;

public class ExperimentManagerTests
{
    [Fact]
    public void Output_directory_follows_the_id_style()
    {
        using var tmp = new TempDir();
        var experiment = Tiny.Ppo(tmp.Path).Build();
        new ExperimentManager(experiment, 2, tmp.Path, OutputDirIdStyle.None).Directory.Should().Be(Path.Combine(tmp.Path, "PPO"));
        Path.GetFileName(new ExperimentManager(experiment, 2, tmp.Path, OutputDirIdStyle.Unique).Directory).Should().MatchRegex("^PPO_[0-9a-f]{32}$");
        Path.GetFileName(new ExperimentManager(experiment, 2, tmp.Path).Directory).Should().MatchRegex(@"^PPO_\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d_[0-9a-f]{8}$");
        new ExperimentManager(experiment, 2, tmp.Path, agentName: "ppo-small", outputDirIdStyle: OutputDirIdStyle.None).Directory
            .Should().EndWith("ppo-small");
    }

    [Fact]
    public void FromBuilder_takes_the_builder_name_as_the_directory_prefix_unless_agentName_is_given()
    {
        using var tmp = new TempDir();
        var named = ExperimentManager.FromBuilder(Tiny.Dqn(tmp.Path).WithName("cartpole-small"), nFit: 2, outputDir: tmp.Path,
            outputDirIdStyle: OutputDirIdStyle.None);
        named.AgentName.Should().Be("cartpole-small");
        named.Directory.Should().Be(Path.Combine(tmp.Path, "cartpole-small"));
        ExperimentManager.FromBuilder(Tiny.Dqn(tmp.Path).WithName("cartpole-small"), nFit: 2, outputDir: tmp.Path,
            outputDirIdStyle: OutputDirIdStyle.None, agentName: "explicit").Directory.Should().Be(Path.Combine(tmp.Path, "explicit"));
        var builder = Tiny.Dqn(tmp.Path);
        builder.Name.Should().NotBeNull();
        ExperimentManager.FromBuilder(builder, nFit: 2, outputDir: tmp.Path, outputDirIdStyle: OutputDirIdStyle.None)
            .AgentName.Should().Be(builder.Name);
    }

    [Fact]
    public void Fit_eval_writer_data_and_save_load_round_trip()
    {
        using var tmp = new TempDir();
        var manager = ExperimentManager.FromBuilder(Tiny.Dqn(tmp.Path), nFit: 2, outputDir: tmp.Path, outputDirIdStyle: OutputDirIdStyle.Unique,
            launcher: new ParallelLauncher(2));
        manager.Seeds.Should().Equal(SeedStreams.RunSeeds(42, 2));

        var fit = manager.Fit();
        fit.AllSucceeded.Should().BeTrue(string.Join("; ", fit.Failed.Select(f => f.Error)));
        manager.IsFitted.Should().BeTrue();
        FluentActions.Invoking(() => manager.Fit()).Should().Throw<InvalidOperationException>();
        foreach (var file in new[] { "manager.json", "collection.json", "data.csv" })
            File.Exists(Path.Combine(manager.Directory, file)).Should().BeTrue(file);
        foreach (var seed in manager.Seeds)
            File.Exists(Path.Combine(manager.Directory, $"seed_{seed}", "result.json")).Should().BeTrue();

        // Evaluation: nSimulations deterministic returns, reproducible.
        var returns = manager.EvalAgents(5);
        returns.Should().HaveCount(5).And.OnlyContain(r => double.IsFinite(r) && r > 0);
        manager.EvalAgents(5).Should().Equal(returns);
        manager.EvalAgents().Should().HaveCount(4);
        manager.EvalAgents(3, agentId: 1).Should().HaveCount(3);

        // Writer data: a long table with the run, tag, value, step and wall time; also data.csv.
        var data = manager.GetWriterData();
        data.Select(r => r.Run).Distinct().Should().BeEquivalentTo(manager.Seeds.Select(s => $"seed_{s}"));
        data.Should().Contain(r => r.Tag == "test/return_mean");
        data.Should().OnlyContain(r => double.IsFinite(r.WallTime) && r.WallTime >= 0);
        var lines = File.ReadAllLines(Path.Combine(manager.Directory, "data.csv"));
        lines[0].Should().Be("run,seed,tag,value,env_step,wall_time");
        lines.Should().HaveCount(data.Count + 1);
        manager.GetWriterData("test/return_mean").Should().OnlyContain(r => r.Tag == "test/return_mean").And.HaveCount(2);

        // Save/Load.
        var path = manager.Save();
        var loaded = ExperimentManager.Load(manager.Directory, Tiny.Services);
        ExperimentManager.Load(path, Tiny.Services).Manifest.Should().Be(loaded.Manifest);
        loaded.Manifest.Should().Be(manager.Manifest);
        loaded.IsFitted.Should().BeTrue();
        loaded.Seeds.Should().Equal(manager.Seeds);
        loaded.Collection.Runs.Should().Equal(manager.Collection.Runs);
        loaded.EvalAgents(5).Should().Equal(returns);
        loaded.GetWriterData().Should().HaveCount(data.Count);
        FluentActions.Invoking(() => ExperimentManager.Load(tmp.Path, Tiny.Services)).Should().Throw<FileNotFoundException>().WithMessage("*manager.json*");
    }

    [Fact]
    public void A_factory_gets_each_spawned_seed_and_an_unfitted_manager_cannot_evaluate()
    {
        using var tmp = new TempDir();
        var seen = new List<int>();
        var manager = new ExperimentManager(s => { seen.Add(s); return Tiny.Ppo(tmp.Path).Build(); }, seed: 5, nFit: 3, outputDir: tmp.Path,
            outputDirIdStyle: OutputDirIdStyle.None);
        seen.Should().Equal(SeedStreams.RunSeeds(5, 3));
        manager.Collection.Experiments.Select(e => e.Config.Seed).Should().Equal(seen);
        FluentActions.Invoking(() => manager.EvalAgents(2)).Should().Throw<InvalidOperationException>().WithMessage("*Fit()*");
        Regex.IsMatch(manager.ToString(), "3 × PPO, seed 5").Should().BeTrue();
    }
}
