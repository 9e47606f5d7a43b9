using RlExperiments.Core;
using RlExperiments.Experiments.Builders;
using RlExperiments.Experiments.Collections;
using RlExperiments.Experiments.Tests.Experiment;
using RlExperiments.Factories;

namespace RlExperiments.Experiments.Tests.Collections;

public class CollectionTests
{
    [Fact]
    public void Spawned_seeds_are_reproducible_distinct_and_depend_on_the_root_seed()
    {
        var a = SeedStreams.RunSeeds(42, 5);
        var b = SeedStreams.RunSeeds(42, 5);
        var c = SeedStreams.RunSeeds(43, 5);
        a.Should().Equal(b);
        a.Should().OnlyHaveUniqueItems();
        a.Should().NotIntersectWith(c);
        a.Should().NotContain(42);
        SeedStreams.RunSeeds(42, 8).Take(5).Should().Equal(a);
        a.Should().OnlyContain(s => s >= 0 && s < (1 << 30));
    }

    [Fact]
    public void BuildSeededCollection_names_runs_by_seed_under_the_collection_directory()
    {
        using var tmp = new TempDir();
        var builder = Tiny.Ppo(tmp.Path);
        builder.ExperimentConfig = builder.ExperimentConfig with { Seed = 7 };
        var collection = builder.WithName("study").BuildSeededCollection(3);

        collection.Seeds.Should().Equal(SeedStreams.RunSeeds(7, 3));
        collection.RootSeed.Should().Be(7);
        collection.Directory.Should().Be(Path.Combine(tmp.Path, "study"));
        collection.Label.Should().Be("PPO");
        for (var i = 0; i < 3; i++)
        {
            var e = collection.Experiments[i];
            e.Name.Should().Be($"seed_{collection.Seeds[i]}");
            e.Config.Seed.Should().Be(collection.Seeds[i]);
            e.Config.PersistenceBaseDir.Should().Be(Path.Combine(tmp.Path, "study"));
            e.Definition.Algorithm.Should().Be(collection.Experiments[0].Definition.Algorithm);
        }
        FluentActions.Invoking(() => builder.BuildSeededCollection(0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*numExperiments*");
    }

    [Fact]
    public void Parallel_and_sequential_runs_give_identical_per_seed_results_and_restorable_directories()
    {
        using var tmp = new TempDir();
        var sequential = Tiny.Dqn(tmp.Path).WithName("seq").BuildSeededCollection(3).Run(new SequentialLauncher());
        var parallel = Tiny.Dqn(tmp.Path).WithName("par").BuildSeededCollection(3).Run(new ParallelLauncher(maxWorkers: 3));

        sequential.AllSucceeded.Should().BeTrue(string.Join("; ", sequential.Failed.Select(f => f.Error)));
        parallel.AllSucceeded.Should().BeTrue(string.Join("; ", parallel.Failed.Select(f => f.Error)));
        sequential.Runs.Select(r => r.Seed).Should().Equal(parallel.Runs.Select(r => r.Seed));
        for (var i = 0; i < 3; i++)
        {
            var s = sequential.Runs[i].Summary!;
            var p = parallel.Runs[i].Summary!;
            p.Seed.Should().Be(s.Seed);
            p.LastTestReturn.Should().Be(s.LastTestReturn);
            p.BestTestReturn.Should().Be(s.BestTestReturn);
            p.PolicyTestReturn.Should().Be(s.PolicyTestReturn);
            p.WatchReturnMean.Should().Be(s.WatchReturnMean);
            p.GradientSteps.Should().Be(s.GradientSteps);
            File.ReadAllBytes(Path.Combine(parallel.Directory, parallel.Runs[i].Name, "policy_final.safetensors"))
                .Should().Equal(File.ReadAllBytes(Path.Combine(sequential.Directory, sequential.Runs[i].Name, "policy_final.safetensors")));
            var restored = Experiments.Experiment.FromDirectory(Path.Combine(parallel.Directory, parallel.Runs[i].Name), services: Tiny.Services);
            restored.Config.Seed.Should().Be(p.Seed);
        }
        // Different seeds train differently.
        sequential.Runs.Select(r => File.ReadAllBytes(Path.Combine(sequential.Directory, r.Name, "policy_final.safetensors")))
            .Select(Convert.ToBase64String).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void A_failed_run_is_recorded_with_its_error_and_the_others_complete()
    {
        using var tmp = new TempDir();
        var good = Tiny.Ppo(tmp.Path).Build();
        var bad = new Experiments.Experiment(good.Definition with
        {
            EnvFactory = new EnvFactory { EnvId = "CartPole-v1", Kwargs = new Dictionary<string, object?> { ["no_such_kwarg"] = 1L } },
            Config = good.Config with { Seed = 2 },
        }, good.Services);
        var collection = new ExperimentCollection("mixed",
            [good.WithConfig(c => c with { Seed = 1 }), bad, good.WithConfig(c => c with { Seed = 3 })]);

        var result = collection.Run(new ParallelLauncher(2));

        result.AllSucceeded.Should().BeFalse();
        result.Failed.Should().ContainSingle().Which.Seed.Should().Be(2);
        result.Failed[0].Error.Should().Contain("no_such_kwarg");
        result.Failed[0].ErrorType.Should().Be(typeof(ArgumentException).FullName);
        result.Succeeded.Select(r => r.Seed).Should().Equal(1, 3);
        result.Summary.Should().Match<CollectionSummary>(s => s.Runs == 3 && s.Succeeded == 2 && s.Failed == 1 && s.NotFinished == 0);
        foreach (var ok in result.Succeeded)
            File.Exists(Path.Combine(result.Directory, ok.Name, "result.json")).Should().BeTrue();

        var manifest = Tiny.Services.Json.ReadFile<CollectionManifest>(result.ManifestPath, CollectionManifest.Kind);
        manifest.Runs.Single(r => r.Seed == 2).Status.Should().Be(CollectionRunStatus.Failed);
        manifest.Runs.Single(r => r.Seed == 2).Error.Should().Contain("no_such_kwarg");
        manifest.Summary.Failed.Should().Be(1);

        // The failed run's experiment.json was written, so the whole collection restores.
        var restored = ExperimentCollection.FromDirectory(result.Directory, Tiny.Services);
        restored.Runs.Select(r => r.Status).Should().Equal(CollectionRunStatus.Succeeded, CollectionRunStatus.Failed, CollectionRunStatus.Succeeded);
        FluentActions.Invoking(() => collection.Run()).Should().Throw<IOException>().WithMessage("*already exist*");
    }

    [Fact]
    public void Resume_reruns_only_the_runs_that_did_not_succeed()
    {
        using var tmp = new TempDir();
        var collection = Tiny.Ppo(tmp.Path).WithName("resume").BuildSeededCollection(2);
        collection.Run().AllSucceeded.Should().BeTrue();
        var kept = File.GetLastWriteTimeUtc(Path.Combine(collection.RunDirectory(0), "result.json"));
        var first = collection.Runs;

        // Simulate a crash during the second run: its record says Running and its result is gone.
        var manifestPath = collection.ManifestPath;
        var manifest = Tiny.Services.Json.ReadFile<CollectionManifest>(manifestPath, CollectionManifest.Kind);
        Tiny.Services.Json.WriteFile(manifestPath, manifest with
        {
            Runs = [manifest.Runs[0], manifest.Runs[1] with { Status = CollectionRunStatus.Running, Summary = null, FinishedUtc = null }],
        }, CollectionManifest.Kind);
        File.Delete(Path.Combine(collection.RunDirectory(1), "result.json"));

        var restored = ExperimentCollection.FromDirectory(collection.Directory, Tiny.Services);
        restored.Runs[1].Status.Should().Be(CollectionRunStatus.Running);
        var result = restored.Resume(new ParallelLauncher(2));

        result.AllSucceeded.Should().BeTrue();
        File.GetLastWriteTimeUtc(Path.Combine(collection.RunDirectory(0), "result.json")).Should().Be(kept);
        result.Runs[0].Should().Be(first[0]);
        result.Runs[1].Summary!.LastTestReturn.Should().Be(first[1].Summary!.LastTestReturn);
        File.Exists(Path.Combine(collection.RunDirectory(1), "result.json")).Should().BeTrue();
    }

    [Fact]
    public void Collection_json_round_trips_and_the_report_is_written_next_to_it()
    {
        using var tmp = new TempDir();
        var collection = Tiny.Ppo(tmp.Path).WithName("ppo-study").BuildSeededCollection(2);
        var result = collection.Run(new ParallelLauncher());
        result.AllSucceeded.Should().BeTrue();

        var restored = ExperimentCollection.FromDirectory(collection.Directory, Tiny.Services);
        restored.Name.Should().Be("ppo-study");
        restored.RootSeed.Should().Be(collection.RootSeed);
        restored.Seeds.Should().Equal(collection.Seeds);
        restored.Label.Should().Be("PPO");
        restored.Runs.Should().Equal(collection.Runs);
        restored.Manifest.Summary.Should().Be(collection.Manifest.Summary);
        for (var i = 0; i < 2; i++)
            restored.Experiments[i].Definition.Should().Be(collection.Experiments[i].Definition);

        var group = restored.ToReportGroup();
        group.Runs.Should().HaveCount(2);
        group.Runs.Should().OnlyContain(r => r.LearningCurve.Count > 0);
        group.Runs[0].FinalReturn.Should().Be(collection.Runs[0].Summary!.LastTestReturn);

        var stats = restored.WriteReport();
        var html = File.ReadAllText(Path.Combine(collection.Directory, "report.html"));
        html.Should().Contain("PPO").And.Contain("Learning curves");
        stats.Summaries.Should().ContainSingle();
    }

    [Fact]
    public void Compare_writes_a_report_with_both_groups_and_the_comparison_table()
    {
        using var tmp = new TempDir();
        var ppo = Tiny.Ppo(tmp.Path).WithName("ppo").BuildSeededCollection(2);
        var dqn = Tiny.Dqn(tmp.Path).WithName("dqn").BuildSeededCollection(2);
        ppo.Run(new ParallelLauncher(2)).AllSucceeded.Should().BeTrue();
        dqn.Run(new ParallelLauncher(2)).AllSucceeded.Should().BeTrue();

        var path = Path.Combine(tmp.Path, "ppo_vs_dqn.html");
        var stats = ppo.Compare(path, dqn);

        stats.Summaries.Select(s => s.Group).Should().Equal("PPO", "DQN");
        stats.Comparisons.Should().NotBeEmpty();
        stats.Comparisons[0].Comparisons.Should().ContainSingle().Which.GroupA.Should().Be("PPO");
        var html = File.ReadAllText(path);
        html.Should().Contain("PPO vs DQN on CartPole-v1").And.Contain("Welch");
        var text = ComparisonText.Format(stats);
        text.Should().Contain("PPO").And.Contain("DQN").And.Contain("p =").And.NotContain("Δmean");
    }
}
