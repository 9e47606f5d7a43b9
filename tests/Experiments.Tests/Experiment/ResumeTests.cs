using RlExperiments.Experiments.Builders;
using RlExperiments.Factories.Logging;
using RlExperiments.Tensors.Serialization;
using Xunit;
using RlExperiments.Experiments.Algorithms.Dqn;
using RlExperiments.Experiments.Algorithms.Ppo;
using RlExperiments.Experiments.Algorithms.Sac;

namespace RlExperiments.Experiments.Tests.Experiment;

/// <summary>Resumable checkpoints: a run interrupted after a checkpoint and resumed from disk equals the uninterrupted run.</summary>
public sealed class ResumeTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static ExperimentConfig Checkpointing(ExperimentConfig c) => c with { CheckpointEveryEpochs = 1, KeepCheckpoints = 3, Watch = false };

    private Experiments.Experiment Dqn() =>
        new DQNExperimentBuilder(Tiny.CartPole, Checkpointing(Tiny.Config(_dir.Path)),
                new SamplingConfig { NumEpochs = 4, EpochNumSteps = 250, NumTestEpisodes = 2, StartTimesteps = 50, BufferSize = 1000, BatchSize = 16 })
            .WithDQNParams(new Agents.Algorithms.Dqn.DqnParams { TrainFreq = 4, TargetUpdateInterval = 50, PrioritizedReplay = true, DoubleDqn = true })
            .WithModelFactoryDefault([16])
            .WithServices(Tiny.Services)
            .WithName("dqn")
            .Build();

    private Experiments.Experiment Ppo() =>
        new PPOExperimentBuilder(Tiny.CartPole, Checkpointing(Tiny.Config(_dir.Path)),
                new SamplingConfig { NumEpochs = 4, EpochNumSteps = 128, StepPerCollect = 64, BatchSize = 32, RepeatPerCollect = 2, NumTestEpisodes = 2 })
            .WithActorFactoryDefault([16])
            .WithCriticFactoryDefault([16])
            .WithServices(Tiny.Services)
            .WithName("ppo")
            .Build();

    private Experiments.Experiment Sac() =>
        new SACExperimentBuilder(Tiny.Pendulum, Checkpointing(Tiny.Config(_dir.Path)),
                new SamplingConfig { NumEpochs = 4, EpochNumSteps = 100, StartTimesteps = 50, BufferSize = 1000, BatchSize = 32, NumTestEpisodes = 2 })
            .WithActorFactoryDefault([16])
            .WithCommonCriticFactoryDefault([16])
            .WithServices(Tiny.Services)
            .WithName("sac")
            .Build();

    /// <summary>Runs straight, then runs again but "crashes" while writing the checkpoint after epoch <paramref name="crashAtEpoch"/>, resumes from disk and compares.</summary>
    private (string Straight, string Resumed) RunStraightAndResumed(Func<Experiments.Experiment> make, int crashAtEpoch)
    {
        using (var straight = make().Run("straight")) { }

        var crashed = 0;
        RunCheckpoints.BeforeCommit.Value = tmp =>
        {
            if (++crashed == crashAtEpoch)
            {
                // Half-write: drop half the payload files, then die, as a crash mid-checkpoint would.
                var files = Directory.GetFiles(tmp, "*", SearchOption.AllDirectories);
                foreach (var f in files.Take(files.Length / 2)) File.Delete(f);
                throw new InvalidOperationException("simulated crash while checkpointing");
            }
        };
        try
        {
            var ex = Assert.Throws<InvalidOperationException>(() => make().Run("resumed"));
            Assert.Contains("simulated crash", ex.Message);
        }
        finally
        {
            RunCheckpoints.BeforeCommit.Value = null;
        }
        var resumedDir = _dir.Combine("resumed");
        Assert.Contains(Directory.GetDirectories(Path.Combine(resumedDir, RunCheckpoints.DirectoryName)), d => Path.GetFileName(d).StartsWith(".tmp-"));

        // Restore from disk only: fresh objects from experiment.json and the checkpoint.
        using (var resumed = Experiments.Experiment.FromDirectory(resumedDir, restorePolicy: false, services: Tiny.Services).Resume()) { }
        Assert.DoesNotContain(Directory.GetDirectories(Path.Combine(resumedDir, RunCheckpoints.DirectoryName)), d => Path.GetFileName(d).StartsWith(".tmp-"));
        return (_dir.Combine("straight"), resumedDir);
    }

    private static void AssertSameRun(string straight, string resumed)
    {
        Assert.Equal(ProgressRows(straight), ProgressRows(resumed));
        var a = SafeTensors.Load(Path.Combine(straight, "policy_final.safetensors")).Tensors;
        var b = SafeTensors.Load(Path.Combine(resumed, "policy_final.safetensors")).Tensors;
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var key in a.Keys) Assert.Equal(a[key].ToArray(), b[key].ToArray());
        var best = SafeTensors.Load(Path.Combine(straight, "policy.safetensors")).Tensors;
        var bestResumed = SafeTensors.Load(Path.Combine(resumed, "policy.safetensors")).Tensors;
        foreach (var key in best.Keys) Assert.Equal(best[key].ToArray(), bestResumed[key].ToArray());
    }

    /// <summary>progress.csv without the wall-clock column, as (step, cells) lines.</summary>
    private static List<string> ProgressRows(string dir)
    {
        var lines = File.ReadAllLines(Path.Combine(dir, CsvWriter.DefaultFileName));
        var header = lines[0].Split(',');
        var skip = Array.IndexOf(header, "train/steps_per_second");
        var rows = lines.Select(l => string.Join(",", l.Split(',').Where((_, i) => i != skip))).ToList();
        var steps = rows.Skip(1).Select(r => long.Parse(r.Split(',')[0])).ToList();
        Assert.Equal(steps.Distinct().Count(), steps.Count);
        Assert.Equal(steps.Order().ToList(), steps);
        return rows;
    }

    [Fact]
    public void Dqn_with_prioritised_replay_resumed_from_disk_equals_the_uninterrupted_run()
    {
        var (straight, resumed) = RunStraightAndResumed(Dqn, crashAtEpoch: 3);
        AssertSameRun(straight, resumed);
        Assert.Contains("Resuming from the checkpoint", File.ReadAllText(Path.Combine(resumed, Experiments.Experiment.LogFileName)));
        Assert.Contains("incomplete checkpoint", File.ReadAllText(Path.Combine(resumed, Experiments.Experiment.LogFileName)));
    }

    [Fact]
    public void Ppo_resumed_from_disk_equals_the_uninterrupted_run()
    {
        var (straight, resumed) = RunStraightAndResumed(Ppo, crashAtEpoch: 3);
        AssertSameRun(straight, resumed);
    }

    [Fact]
    public void Sac_resumed_from_disk_equals_the_uninterrupted_run()
    {
        var (straight, resumed) = RunStraightAndResumed(Sac, crashAtEpoch: 3);
        AssertSameRun(straight, resumed);
    }

    [Fact]
    public void A_corrupt_newest_checkpoint_is_skipped_with_a_warning_and_the_previous_one_is_used()
    {
        using (var run = Dqn().Run()) { }
        var dir = _dir.Combine("dqn");
        var rows = ProgressRows(dir);
        var final = SafeTensors.Load(Path.Combine(dir, "policy_final.safetensors")).Tensors;
        var checkpoints = RunCheckpoints.List(dir);
        Assert.Equal([1000L, 750L, 500L], checkpoints.Select(c => c.EnvStep));
        Assert.Equal("1000", File.ReadAllText(Path.Combine(dir, RunCheckpoints.DirectoryName, RunCheckpoints.LatestFileName)));

        // Flip one byte of the newest checkpoint's networks.
        var file = Path.Combine(checkpoints[0].Directory, "agent", "networks.safetensors");
        var bytes = File.ReadAllBytes(file);
        bytes[^3] ^= 0x5A;
        File.WriteAllBytes(file, bytes);
        Assert.Contains("SHA-256", RunCheckpoints.Verify(checkpoints[0].Directory));

        using (var resumed = Experiments.Experiment.FromDirectory(dir, restorePolicy: false, services: Tiny.Services).Resume()) { }
        var log = File.ReadAllText(Path.Combine(dir, Experiments.Experiment.LogFileName));
        Assert.Contains("Skipping the checkpoint", log);
        Assert.Contains("networks.safetensors' fails its SHA-256 check", log);
        Assert.Contains("env step 750", log);
        // Epoch 4 was replayed from the checkpoint at 750: the same rows and weights as before.
        Assert.Equal(rows, ProgressRows(dir));
        var again = SafeTensors.Load(Path.Combine(dir, "policy_final.safetensors")).Tensors;
        foreach (var key in final.Keys) Assert.Equal(final[key].ToArray(), again[key].ToArray());
    }

    [Fact]
    public void Resume_with_an_incompatible_experiment_is_refused_naming_the_difference()
    {
        using (var run = Dqn().Run()) { }
        var dir = _dir.Combine("dqn");
        var restored = Experiments.Experiment.FromDirectory(dir, restorePolicy: false, services: Tiny.Services);

        var seed = new Experiments.Experiment(restored.Definition with { Config = restored.Config with { Seed = 7 } }, Tiny.Services);
        var ex = Assert.Throws<InvalidOperationException>(() => seed.Resume(dir));
        Assert.Contains("config.seed: 42 → 7", ex.Message);

        var bigger = new DQNExperimentBuilder(Tiny.CartPole, Checkpointing(Tiny.Config(_dir.Path)),
                new SamplingConfig { NumEpochs = 4, EpochNumSteps = 250, NumTestEpisodes = 2, StartTimesteps = 50, BufferSize = 1000, BatchSize = 16 })
            .WithDQNParams(new Agents.Algorithms.Dqn.DqnParams { TrainFreq = 4, TargetUpdateInterval = 50, PrioritizedReplay = true, DoubleDqn = true })
            .WithModelFactoryDefault([32])
            .WithServices(Tiny.Services)
            .WithName("dqn")
            .Build();
        ex = Assert.Throws<InvalidOperationException>(() => bigger.Resume(dir));
        Assert.Matches(@"hiddenSizes\[0\]: 16 → 32", ex.Message);

        ex = Assert.Throws<InvalidOperationException>(() => Ppo().Resume(dir));
        Assert.Contains("algorithm", ex.Message);

        // Bookkeeping fields may change (e.g. watching, the checkpoint interval).
        using var ok = new Experiments.Experiment(restored.Definition with { Config = restored.Config with { Watch = true, KeepCheckpoints = 5 } }, Tiny.Services).Resume(dir);
    }

    [Fact]
    public void A_crash_while_writing_a_checkpoint_leaves_the_previous_one_whole_and_resume_uses_it()
    {
        var calls = 0;
        RunCheckpoints.BeforeCommit.Value = tmp =>
        {
            if (++calls < 2) return;
            var files = Directory.GetFiles(tmp, "*", SearchOption.AllDirectories);
            foreach (var f in files.Take(files.Length / 2)) File.Delete(f);
            throw new InvalidOperationException("simulated crash while checkpointing");
        };
        try
        {
            Assert.Throws<InvalidOperationException>(() => Dqn().Run());
        }
        finally
        {
            RunCheckpoints.BeforeCommit.Value = null;
        }
        var dir = _dir.Combine("dqn");
        var root = Path.Combine(dir, RunCheckpoints.DirectoryName);
        Assert.Equal("250", File.ReadAllText(Path.Combine(root, RunCheckpoints.LatestFileName)));
        Assert.Equal([250L], RunCheckpoints.List(dir).Select(c => c.EnvStep));
        Assert.True(Directory.Exists(Path.Combine(root, ".tmp-500")));
        Assert.Null(RunCheckpoints.Verify(Path.Combine(root, "250")));

        using var resumed = Experiments.Experiment.FromDirectory(dir, restorePolicy: false, services: Tiny.Services).Resume();
        Assert.Equal(1000, resumed.Summary.EnvSteps);
        Assert.False(Directory.Exists(Path.Combine(root, ".tmp-500")));
        var log = File.ReadAllText(Path.Combine(dir, Experiments.Experiment.LogFileName));
        Assert.Contains("Ignoring the incomplete checkpoint", log);
        Assert.Contains("epoch 1, env step 250", log);
    }

    [Fact]
    public void An_io_error_while_checkpointing_stops_training_with_a_clear_error_and_keeps_the_last_good_checkpoint()
    {
        var calls = 0;
        RunCheckpoints.BeforeCommit.Value = _ =>
        {
            if (++calls == 3) throw new IOException("No space left on device");
        };
        IOException ex;
        try
        {
            ex = Assert.Throws<IOException>(() => Dqn().Run());
        }
        finally
        {
            RunCheckpoints.BeforeCommit.Value = null;
        }
        Assert.Contains("checkpoint at env step 750 (epoch 3)", ex.Message);
        Assert.Contains("No space left on device", ex.Message);
        Assert.Contains("previous checkpoints are intact", ex.Message);
        var dir = _dir.Combine("dqn");
        Assert.Equal("500", File.ReadAllText(Path.Combine(dir, RunCheckpoints.DirectoryName, RunCheckpoints.LatestFileName)));
        Assert.Null(RunCheckpoints.Verify(RunCheckpoints.List(dir)[0].Directory));
        Assert.Equal(500, RunCheckpoints.List(dir)[0].EnvStep);
    }

    private Experiments.Experiment PpoNormalisedContinuous() =>
        new PPOExperimentBuilder(Tiny.Pendulum, Checkpointing(Tiny.Config(_dir.Path)),
                new SamplingConfig { NumEpochs = 4, EpochNumSteps = 128, NumTrainEnvs = 2, StepPerCollect = 64, BatchSize = 32, RepeatPerCollect = 2, NumTestEpisodes = 2 })
            .WithPPOParams(new Agents.Algorithms.Ppo.PpoParams { NormalizeObservations = true, NormalizeRewards = true, AnnealLearningRate = true })
            .WithActorFactoryDefault([16])
            .WithCriticFactoryDefault([16])
            .WithServices(Tiny.Services)
            .WithName("ppo-norm")
            .Build();

    [Fact]
    public void Ppo_with_normalisers_lr_annealing_and_two_envs_resumed_from_disk_equals_the_uninterrupted_run()
    {
        var (straight, resumed) = RunStraightAndResumed(PpoNormalisedContinuous, crashAtEpoch: 2);
        AssertSameRun(straight, resumed);
    }
}
