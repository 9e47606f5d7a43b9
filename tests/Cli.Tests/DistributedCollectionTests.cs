using System.Text.Json;
using RlExperiments.Agents.Algorithms.Dqn;
using RlExperiments.Experiments;
using RlExperiments.Experiments.Algorithms.Dqn;
using RlExperiments.Experiments.Collections;
using RlExperiments.Factories;
using RlExperiments.Tuning;

namespace RlExperiments.Cli.Tests;

/// <summary>A seed collection submitted to a run queue (PostgreSQL from RLX_TEST_POSTGRES, or an SQLite file) and run by real rlx worker processes.</summary>
public sealed class DistributedCollectionTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Experiment Template(string baseDir) =>
        new DQNExperimentBuilder(
                new EnvFactory { EnvId = "CartPole-v1", Kwargs = new Dictionary<string, object?> { ["max_episode_steps"] = 100 } },
                new ExperimentConfig { Seed = 11, PersistenceBaseDir = baseDir, Watch = false, CheckpointEveryEpochs = 1, KeepCheckpoints = 2 },
                new SamplingConfig { NumEpochs = 8, EpochNumSteps = 500, NumTestEpisodes = 2, StartTimesteps = 100, BufferSize = 2000, BatchSize = 16 })
            .WithDQNParams(new DqnParams { TrainFreq = 2, TargetUpdateInterval = 100 })
            .WithModelFactoryDefault([32])
            .Build();

    /// <summary>
    /// Five seeds of a short checkpointing DQN run, submitted to PostgreSQL; three rlx worker processes; one SIGKILLed
    /// while its run has a checkpoint. The killed run resumes from that checkpoint on another worker, collection.json and
    /// report.html are written by the last worker, and every seed's result equals a sequential local run of the same seeds.
    /// </summary>
    [PostgresFact]
    public void Three_workers_one_killed_mid_run_resume_it_from_its_checkpoint_and_match_a_sequential_run() =>
        KilledWorkerScenario(PostgresFactAttribute.Url!);

    /// <summary>The same with the queue in an SQLite file: worker processes on one machine, no server.</summary>
    [Fact]
    public void On_an_sqlite_queue_three_worker_processes_one_killed_mid_run_match_a_sequential_run() =>
        KilledWorkerScenario("sqlite:///" + _dir.Combine("queue", "runs.db"));

    private void KilledWorkerScenario(string url)
    {
        var name = PostgresFactAttribute.NewStudyName("seeds");
        var collection = ExperimentCollection.Seeded(Template(_dir.Combine("shared")), 5, name);
        collection.Submit(url);
        FluentActions.Invoking(() => collection.Submit(url)).Should().Throw<IOException>().WithMessage("*already exist*nothing was queued*");

        using var queue = RunQueue.Open(url, name);
        using var victim = new Rlx.Child(_dir.Path, "worker", "--storage", url, "--collection", name);
        var mark = $":{victim.Process.Id}:";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        QueuedRun? killed = null;
        while (killed is null)
        {
            victim.Process.HasExited.Should().BeFalse("the victim should be killed mid-run. Output:\n" + victim.Output);
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromMinutes(4));
            var mine = queue.Runs().FirstOrDefault(r => r.State == TrialState.Running && r.SessionId!.Contains(mark));
            if (mine is not null && RunCheckpoints.List(Path.Combine(mine.Directory, mine.Name)).Count >= 1
                && !File.Exists(Path.Combine(mine.Directory, mine.Name, Experiment.ResultFileName)))
                killed = mine;
            else Thread.Sleep(20);
        }
        victim.Process.Kill(); // SIGKILL
        victim.Process.WaitForExit();
        using var a = new Rlx.Child(_dir.Path, "worker", "--storage", url, "--collection", name);
        using var b = new Rlx.Child(_dir.Path, "worker", "--storage", url, "--collection", name);
        a.WaitForExit(TimeSpan.FromMinutes(8)).Should().Be(0, a.Output);
        b.WaitForExit(TimeSpan.FromMinutes(8)).Should().Be(0, b.Output);

        var runs = queue.Runs();
        runs.Should().HaveCount(5).And.OnlyContain(r => r.State == TrialState.Complete);
        runs.Single(r => r.Name == killed.Name).Attempts.Should().Be(2, "the killed run was started once more, by another worker");
        runs.Where(r => r.Name != killed.Name).Should().OnlyContain(r => r.Attempts == 1, "no other run ran twice");
        var killedDir = Path.Combine(killed.Directory, killed.Name);
        File.ReadAllText(Path.Combine(killedDir, Experiment.LogFileName)).Should().Contain("Resuming from the checkpoint");
        (a.Output + b.Output).Should().Contain($"Run {killed.Name} has a checkpoint from an earlier worker: resuming it.");

        var written = ExperimentCollection.FromDirectory(collection.Directory);
        written.Runs.Should().OnlyContain(r => r.Status == CollectionRunStatus.Succeeded);
        File.Exists(Path.Combine(collection.Directory, ExperimentCollection.ReportFileName)).Should().BeTrue();
        File.Delete(Path.Combine(collection.Directory, ExperimentCollection.ReportFileName));
        Rlx.Run("report", collection.Directory).Code.Should().Be(ExitCodes.Success);
        File.Exists(Path.Combine(collection.Directory, ExperimentCollection.ReportFileName)).Should().BeTrue("rlx report writes a collection's report too");

        // Same seeds, run sequentially here: the same result per seed.
        var local = ExperimentCollection.Seeded(Template(_dir.Combine("local")), 5, name);
        local.Seeds.Should().Equal(collection.Seeds);
        local.Run();
        for (int i = 0; i < 5; i++)
            Summary(collection.RunDirectory(i)).Should().BeEquivalentTo(Summary(local.RunDirectory(i)), $"seed {collection.Seeds[i]} gives the same result on workers, killed or not");
    }

    private static Dictionary<string, string> Summary(string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, Experiment.ResultFileName)));
        string[] keys = ["bestTestReturn", "bestEpoch", "lastTestReturn", "policyTestReturn", "envSteps", "gradientSteps"];
        var d = doc.RootElement.GetProperty("payload").EnumerateObject().Where(p => keys.Contains(p.Name)).ToDictionary(p => p.Name, p => p.Value.ToString());
        d.Should().HaveCount(keys.Length);
        return d;
    }
}
