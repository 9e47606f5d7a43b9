using System.Collections.Concurrent;
using System.Diagnostics;
using FluentAssertions;
using RlExperiments.Tuning;
using Xunit;

namespace RlExperiments.Tuning.Tests;

public sealed class HyperparameterOptimizerTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    internal static ConfigurationSpace Quadratic() => new ConfigurationSpace("quadratic")
        .Add(new FloatHyperparameter("x", -5, 5), new FloatHyperparameter("y", -5, 5));

    internal static double F(Configuration c) => Math.Pow(c.GetDouble("x") - 1, 2) + Math.Pow(c.GetDouble("y") + 2, 2);

    private HyperparameterOptimizerOptions Options(string name, int nTrials = 10) => new()
    {
        StudyDirectory = _dir.Combine(name),
        Direction = StudyDirection.Minimize,
        NTrials = nTrials,
        Seed = 7,
    };

    [Fact]
    public void Runs_n_trials_and_returns_the_best_stored_trial_for_both_directions()
    {
        var space = Quadratic();
        var min = new HyperparameterOptimizer(Options("min", 12)).Optimize(space, t => F(t.Configuration));
        min.Trials.Should().HaveCount(12);
        min.Trials.Select(t => t.Number).Should().Equal(Enumerable.Range(0, 12));
        min.Trials.Should().OnlyContain(t => t.State == TrialState.Complete && t.Value == F(t.Configuration));
        min.BestValue.Should().Be(min.Trials.Min(t => t.Value!.Value));
        min.BestConfiguration.Should().Equal(min.Trials.MinBy(t => t.Value)!.Configuration);

        var max = new HyperparameterOptimizer(Options("max", 12) with { Direction = StudyDirection.Maximize })
            .Optimize(space, t => F(t.Configuration));
        max.BestValue.Should().Be(max.Trials.Max(t => t.Value!.Value));

        var loaded = Study.Load(_dir.Combine("min"));
        loaded.Trials.Select(t => (t.Number, t.State, t.Value, t.Configuration)).Should().Equal(min.Trials.Select(t => (t.Number, t.State, t.Value, t.Configuration)));
        loaded.BestTrial!.Number.Should().Be(min.BestTrial!.Number);
        loaded.Study.Direction.Should().Be(StudyDirection.Minimize);
        loaded.Study.SpaceName.Should().Be("quadratic");
    }

    [Fact]
    public void Best_params_json_round_trips_through_the_space_and_trials_csv_has_one_row_per_trial()
    {
        var space = Quadratic();
        var result = new HyperparameterOptimizer(Options("files", 6)).Optimize(space, t => F(t.Configuration));
        var json = File.ReadAllText(Path.Combine(result.Directory, StudyFiles.BestParamsFileName));
        Configuration.FromJson(json, space).Should().Equal(result.BestConfiguration);

        var lines = File.ReadAllLines(Path.Combine(result.Directory, StudyFiles.TrialsCsvFileName));
        lines[0].Should().Be("number,state,value,duration_s,params_x,params_y");
        lines.Should().HaveCount(7);
        var cells = lines[1].Split(',');
        cells[1].Should().Be("Complete");
        double.Parse(cells[2], System.Globalization.CultureInfo.InvariantCulture).Should().Be(result.Trials[0].Value);
        double.Parse(cells[4], System.Globalization.CultureInfo.InvariantCulture).Should().Be(result.Trials[0].Configuration.GetDouble("x"));
    }

    [Fact]
    public void Tpe_through_the_optimizer_beats_random_on_most_seeds()
    {
        var space = SamplerTests.SyntheticSpace();
        int wins = 0;
        var report = new List<string>();
        for (int seed = 0; seed < 5; seed++)
        {
            double Best(SamplerKind kind) => new HyperparameterOptimizer(Options($"{kind}-{seed}", 50) with { Sampler = kind, Seed = seed })
                .Optimize(space, t => SamplerTests.Objective(t.Configuration)).BestValue!.Value;
            double tpe = Best(SamplerKind.Tpe), rnd = Best(SamplerKind.Random);
            if (tpe < rnd) wins++;
            report.Add($"seed {seed}: tpe {tpe:F3} random {rnd:F3}");
        }
        wins.Should().BeGreaterThanOrEqualTo(4, string.Join("; ", report));
    }

    [Fact]
    public void Failed_and_non_finite_trials_are_recorded_failed_and_the_study_goes_on()
    {
        var result = new HyperparameterOptimizer(Options("fail", 8)).Optimize(Quadratic(), t => t.Number switch
        {
            1 => throw new InvalidOperationException("boom"),
            3 => double.NaN,
            5 => double.PositiveInfinity,
            _ => F(t.Configuration),
        });
        result.Trials.Should().HaveCount(8);
        result.Trials[1].State.Should().Be(TrialState.Failed);
        result.Trials[1].Error.Should().Be("InvalidOperationException: boom");
        result.Trials[3].State.Should().Be(TrialState.Failed);
        result.Trials[3].Error.Should().Contain("NaN");
        result.Trials[5].State.Should().Be(TrialState.Failed);
        result.Trials[5].Value.Should().BeNull();
        result.Count(TrialState.Complete).Should().Be(5);
        result.BestTrial!.State.Should().Be(TrialState.Complete);
    }

    [Fact]
    public void Pruned_trials_are_recorded_pruned_with_their_intermediate_values()
    {
        // Intermediate value at step s is the final value plus 10/s, so good configurations stay good along the way.
        var result = new HyperparameterOptimizer(Options("prune", 12) with { Sampler = SamplerKind.Random }).Optimize(Quadratic(), t =>
        {
            double f = F(t.Configuration);
            for (long step = 1; step <= 16; step++)
            {
                t.Report(step, f + 10.0 / step);
                if (t.ShouldPrune()) throw new TrialPrunedException();
            }
            return f;
        });
        var pruned = result.Trials.Where(t => t.State == TrialState.Pruned).ToList();
        pruned.Should().NotBeEmpty();
        result.Trials[0].State.Should().Be(TrialState.Complete, "the first trial has nobody to lose against");
        foreach (var p in pruned)
        {
            p.IntermediateValues.Should().NotBeEmpty();
            p.IntermediateValues.Select(v => v.Step).Should().BeInAscendingOrder();
            p.IntermediateValues[^1].Step.Should().BeOneOf(1, 4, 16);
            p.Value.Should().Be(p.IntermediateValues[^1].Value, "a pruned trial keeps its last intermediate value");
            // It was worse than the best earlier trial at that rung.
            var rung = p.IntermediateValues[^1].Step;
            result.Trials.Where(t => t.Number < p.Number && t.IntermediateValues.Any(v => v.Step == rung))
                .Min(t => t.IntermediateValues.First(v => v.Step == rung).Value).Should().BeLessThan(p.Value!.Value);
        }
        result.Trials.Where(t => t.State == TrialState.Complete).Should().OnlyContain(t => t.IntermediateValues.Count == 16);
    }

    [Fact]
    public void Two_jobs_complete_exactly_n_trials_with_distinct_numbers_and_no_lost_writes()
    {
        var threads = new ConcurrentDictionary<int, byte>();
        var result = new HyperparameterOptimizer(Options("jobs", 16) with { NJobs = 2, Sampler = SamplerKind.Grid, GridPointsPerNumeric = 5 })
            .Optimize(Quadratic(), t =>
            {
                threads[Environment.CurrentManagedThreadId] = 0;
                for (long s = 0; s < 3; s++) t.Report(s, s);
                Thread.Sleep(5);
                return F(t.Configuration);
            });
        result.Trials.Should().HaveCount(16);
        result.Trials.Select(t => t.Number).Should().OnlyHaveUniqueItems().And.BeEquivalentTo(Enumerable.Range(0, 16));
        result.Trials.Should().OnlyContain(t => t.State == TrialState.Complete && t.IntermediateValues.Count == 3);
        result.Trials.Select(t => t.Configuration).Should().OnlyHaveUniqueItems("grid points are never handed out twice");
        threads.Count.Should().Be(2);
        Study.Load(result.Directory).Trials.Should().HaveCount(16);
        File.ReadAllLines(Path.Combine(result.Directory, StudyFiles.TrialsCsvFileName)).Should().HaveCount(17);
    }

    [Fact]
    public void Timeout_stops_starting_trials_and_cancels_the_running_ones()
    {
        var clock = Stopwatch.StartNew();
        var result = new HyperparameterOptimizer(Options("timeout", 1000) with { Timeout = TimeSpan.FromMilliseconds(1000) })
            .Optimize(Quadratic(), t =>
            {
                t.CancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(t.Number == 2 ? 10_000 : 100));
                t.CancellationToken.ThrowIfCancellationRequested();
                return F(t.Configuration);
            });
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        result.Trials.Should().HaveCount(3);
        result.Trials[2].State.Should().Be(TrialState.Failed);
        result.Trials[2].Error.Should().Contain("Timeout");
        result.Count(TrialState.Complete).Should().Be(2);
    }

    [Fact]
    public void Same_seed_gives_the_same_configurations_with_one_job_and_seeds_per_trial_are_stable()
    {
        var space = SamplerTests.SyntheticSpace();
        List<(Configuration, string)> Run(string name, int seed)
        {
            var seen = new List<(Configuration, string)>();
            new HyperparameterOptimizer(Options(name, 15) with { Seed = seed, NFit = 3 }).Optimize(space, t =>
            {
                seen.Add((t.Configuration, string.Join(",", t.Seeds)));
                t.Seeds.Should().HaveCount(3).And.OnlyHaveUniqueItems();
                return SamplerTests.Objective(t.Configuration);
            });
            return seen;
        }
        var a = Run("a", 3);
        a.Should().Equal(Run("b", 3));
        a.Select(p => p.Item1).Should().NotEqual(Run("c", 4).Select(p => p.Item1));
        a.Select(p => p.Item2).Should().OnlyHaveUniqueItems("each trial gets its own seeds");
    }

    [Fact]
    public void An_existing_study_without_continue_previous_is_a_clear_error_and_is_left_untouched()
    {
        var options = Options("exists", 3);
        new HyperparameterOptimizer(options).Optimize(Quadratic(), t => F(t.Configuration));
        var files = Directory.GetFiles(options.StudyDirectory).ToDictionary(f => f, File.ReadAllBytes);

        var act = () => new HyperparameterOptimizer(options).Optimize(Quadratic(), t => F(t.Configuration));
        act.Should().Throw<InvalidOperationException>()
            .WithMessage($"*'{Path.GetFullPath(options.StudyDirectory)}' already holds a study*ContinuePrevious = true*another StudyDirectory*");
        Directory.GetFiles(options.StudyDirectory).Should().BeEquivalentTo(files.Keys);
        foreach (var (file, bytes) in files) File.ReadAllBytes(file).Should().Equal(bytes, file);

        var more = new HyperparameterOptimizer(options with { ContinuePrevious = true, NTrials = 5 }).Optimize(Quadratic(), t => F(t.Configuration));
        more.Trials.Should().HaveCount(5, "NTrials is the total, previous trials count");

        var wrongDirection = () => new HyperparameterOptimizer(options with { ContinuePrevious = true, Direction = StudyDirection.Maximize })
            .Optimize(Quadratic(), t => F(t.Configuration));
        wrongDirection.Should().Throw<InvalidOperationException>().WithMessage("*Direction Minimize*Maximize*");
    }

    [Fact]
    public void Enqueued_configurations_run_first_and_are_not_duplicated_on_continue()
    {
        var space = Quadratic();
        var first = new Configuration([new("x", 1), new("y", -2)]); // integer literals for float hyperparameters
        var second = new Configuration([new("x", 0.0), new("y", 0.0)]);
        var firstAsStored = new Configuration([new("x", 1.0), new("y", -2.0)]);
        var options = Options("enqueue", 4);
        var result = new HyperparameterOptimizer(options).Optimize(space, t => F(t.Configuration), [first, second]);
        result.Trials[0].Configuration.Equals(firstAsStored).Should().BeTrue(result.Trials[0].Configuration.ToString());
        result.Trials[1].Configuration.Equals(second).Should().BeTrue();
        result.BestValue.Should().Be(0);
        var again = new HyperparameterOptimizer(options with { ContinuePrevious = true, NTrials = 6 }).Optimize(space, t => F(t.Configuration), [first]);
        again.Trials.Should().HaveCount(6);
        again.Trials.Count(t => t.Configuration.Equals(firstAsStored)).Should().Be(1, "an enqueued configuration the study already has is skipped");

        var outside = new Configuration([new("x", 9.0), new("y", 0.0)]);
        FluentActions.Invoking(() => new HyperparameterOptimizer(options with { ContinuePrevious = true }).Optimize(space, t => 0, [outside]))
            .Should().Throw<ArgumentException>().WithMessage("*Enqueued configuration 0*'x'*");
    }

    [Fact]
    public void Loading_a_directory_without_a_study_names_the_directory_and_the_missing_file()
    {
        FluentActions.Invoking(() => Study.Load(_dir.Combine("nothing-here"))).Should().Throw<FileNotFoundException>()
            .WithMessage("*nothing-here*study.db is missing*");
        Study.Exists(_dir.Combine("nothing-here")).Should().BeFalse();
        Directory.Exists(_dir.Combine("nothing-here")).Should().BeFalse("loading never creates anything");
    }

    [Fact]
    public void Invalid_options_name_the_field_the_value_and_what_is_allowed()
    {
        var ok = Options("x");
        FluentActions.Invoking(() => new HyperparameterOptimizer(ok with { NTrials = 0 })).Should().Throw<ArgumentException>()
            .WithMessage("*NTrials = 0 is invalid; allowed: an integer ≥ 1*");
        FluentActions.Invoking(() => new HyperparameterOptimizer(ok with { NJobs = -1 })).Should().Throw<ArgumentException>().WithMessage("*NJobs = -1*");
        FluentActions.Invoking(() => new HyperparameterOptimizer(ok with { Timeout = TimeSpan.Zero })).Should().Throw<ArgumentException>().WithMessage("*Timeout*");
        FluentActions.Invoking(() => new HyperparameterOptimizer(ok with { StaleAfter = TimeSpan.FromSeconds(5) })).Should().Throw<ArgumentException>()
            .WithMessage("*StaleAfter*longer than HeartbeatInterval*");
        FluentActions.Invoking(() => new HyperparameterOptimizer(ok with { StudyDirectory = " " })).Should().Throw<ArgumentException>().WithMessage("*StudyDirectory*");
    }
}
