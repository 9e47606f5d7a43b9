using RlExperiments.Core;
using RlExperiments.Evaluation.Statistics;

namespace RlExperiments.Evaluation.Tests.Statistics;

public class AggregatesTests
{
    [Fact]
    public void Iqm_of_small_arrays_is_the_mean_of_the_middle_half()
    {
        // Sorted 1 2 3 4 6 7 8 100; n = 8 cuts floor(0.25*8) = 2 each side -> (3+4+6+7)/4 = 5 (scipy trim_mean: 5.0).
        Aggregates.InterquartileMean([1, 2, 3, 4, 100, 6, 7, 8]).Should().Be(5.0);
        // n = 5 cuts 1 each side: (3+5+7)/3 = 5.
        Aggregates.InterquartileMean([5, 1, 9, 3, 7]).Should().Be(5.0);
        // n = 3 cuts floor(0.75) = 0: the plain mean.
        Aggregates.InterquartileMean([1, 2, 9]).Should().Be(4.0);
        // n = 4 cuts 1: mean of the two middle values (2+10)/2.
        Aggregates.InterquartileMean([-50, 2, 10, 400]).Should().Be(6.0);
        // A single value is its own IQM.
        Aggregates.InterquartileMean([3.25]).Should().Be(3.25);
    }

    [Fact]
    public void Iqm_of_a_matrix_pools_all_runs_and_tasks()
    {
        // 3 runs x 2 tasks: values 1 2 3 4 5 60, cut 1 each side -> (2+3+4+5)/4 = 3.5 (scipy trim_mean(axis=None): 3.5).
        var m = new ScoreMatrix("A", new double[,] { { 1, 2 }, { 3, 4 }, { 5, 60 } });
        Aggregates.InterquartileMean(m).Should().Be(3.5);
        // Task means: (1+3+5)/3 = 3 and (2+4+60)/3 = 22 -> mean 12.5, median 12.5.
        Aggregates.Mean(m).Should().BeApproximately(12.5, 1e-12);
        Aggregates.Median(m).Should().BeApproximately(12.5, 1e-12);
        // Optimality gap at gamma = 4: shortfalls 3 2 1 0 0 0 -> 6/6 = 1.
        Aggregates.OptimalityGap(m, 4).Should().BeApproximately(1.0, 1e-12);
        // rliable's form gamma - mean(min(score, gamma)) gives the same: 4 - (1+2+3+4+4+4)/6 = 1.
        Aggregates.FractionAbove(m, 3).Should().BeApproximately(0.5, 1e-12);
    }

    [Fact]
    public void Median_of_task_means_with_three_tasks()
    {
        var m = new ScoreMatrix("A", new double[,] { { 1, 10, 100 }, { 3, 30, 300 } });
        Aggregates.Median(m).Should().Be(20); // task means 2, 20, 200
    }

    [Fact]
    public void Bad_scores_are_rejected_with_the_group_named()
    {
        FluentActions.Invoking(() => ScoreMatrix.FromRuns("PPO", [1, double.NaN, 3]))
            .Should().Throw<ArgumentException>().WithMessage("*'PPO'*non-finite*NaN*run 1*");
        FluentActions.Invoking(() => ScoreMatrix.FromRuns("DQN", []))
            .Should().Throw<ArgumentException>().WithMessage("*'DQN'*no scores*");
        FluentActions.Invoking(() => Aggregates.InterquartileMean([])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => Aggregates.InterquartileMean([1, double.PositiveInfinity])).Should().Throw<ArgumentException>().WithMessage("*finite*");
        FluentActions.Invoking(() => Aggregates.Compute(AggregateMetric.OptimalityGap, ScoreMatrix.FromRuns("A", [1, 2])))
            .Should().Throw<ArgumentException>().WithMessage("*threshold*");
    }
}

public class BootstrapTests
{
    [Fact]
    public void Same_seed_gives_the_same_interval_and_another_seed_a_different_one()
    {
        var scores = ScoreMatrix.FromRuns("A", [3.1, 4.5, 2.2, 8.0, 5.5, 6.1, 4.4, 3.9]);
        var a = StratifiedBootstrap.ConfidenceInterval(scores, AggregateMetric.InterquartileMean, options: new() { Seed = 7 });
        var b = StratifiedBootstrap.ConfidenceInterval(scores, AggregateMetric.InterquartileMean, options: new() { Seed = 7 });
        var c = StratifiedBootstrap.ConfidenceInterval(scores, AggregateMetric.InterquartileMean, options: new() { Seed = 8 });
        b.Should().Be(a);
        (c.Lower != a.Lower || c.Upper != a.Upper).Should().BeTrue();
        a.Value.Should().Be(Aggregates.InterquartileMean(scores));
        a.Lower.Should().BeLessThan(a.Value);
        a.Upper.Should().BeGreaterThan(a.Value);
    }

    [Fact]
    public void Percentile_interpolates_like_numpy()
    {
        // numpy.percentile([1,2,3,4], 25) = 1.75 (position 0.75), 97.5th of 0..10 = 9.75.
        StratifiedBootstrap.Percentile([1, 2, 3, 4], 0.25).Should().BeApproximately(1.75, 1e-12);
        StratifiedBootstrap.Percentile([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.975).Should().BeApproximately(9.75, 1e-12);
    }

    [Fact]
    public void Interval_of_the_iqm_covers_the_true_iqm_about_95_percent_of_the_time()
    {
        // Population N(10, 2^2): symmetric, so its interquartile mean is exactly 10. 200 seeded trials of 20 runs each,
        // 500 resamples per interval. Percentile intervals under-cover slightly at small n (about 94% here); with 200
        // trials the binomial sd of the count is sqrt(200 * 0.95 * 0.05) = 3.1, so we accept 178..199 covering trials
        // (about -4 sd to allow for that small-sample bias, +1.3 sd short of all 200).
        const double trueIqm = 10;
        var data = new Rng(2024);
        var covered = 0;
        for (var trial = 0; trial < 200; trial++)
        {
            var runs = Enumerable.Range(0, 20).Select(_ => data.Normal(10, 2)).ToArray();
            var ci = StratifiedBootstrap.ConfidenceInterval(ScoreMatrix.FromRuns("N", runs), AggregateMetric.InterquartileMean,
                options: new() { Repetitions = 500, Seed = (ulong)trial });
            if (ci.Contains(trueIqm))
                covered++;
        }
        covered.Should().BeInRange(178, 199);
    }

    [Fact]
    public void Stratified_resampling_keeps_tasks_apart()
    {
        // Task 0 is always 0 and task 1 always 100: any resample has mean 50 and task means (0, 100), so the interval is a point.
        var m = new ScoreMatrix("A", new double[,] { { 0, 100 }, { 0, 100 }, { 0, 100 } });
        var ci = StratifiedBootstrap.ConfidenceInterval(m, AggregateMetric.Mean);
        ci.Lower.Should().Be(50);
        ci.Upper.Should().Be(50);
    }

    [Fact]
    public void A_single_run_has_no_interval()
    {
        var s = AggregateSummary.Compute(ScoreMatrix.FromRuns("A", [42]), 100);
        s.InterquartileMean.Value.Should().Be(42);
        s.InterquartileMean.HasInterval.Should().BeFalse();
        s.OptimalityGap!.Value.Value.Should().Be(58);
    }

    [Fact]
    public void Summary_has_all_metrics_with_intervals_around_the_point_estimates()
    {
        var scores = ScoreMatrix.FromRuns("PPO", [480, 500, 500, 350, 420, 500, 90, 500, 470, 495]);
        var s = AggregateSummary.Compute(scores, optimalityThreshold: 475);
        s.Runs.Should().Be(10);
        // Hand: sorted 90 350 420 470 480 495 500 500 500 500, cut 2 each side -> (420+470+480+495+500+500)/6 = 477.5.
        s.InterquartileMean.Value.Should().BeApproximately(477.5, 1e-9);
        s.Mean.Value.Should().BeApproximately(430.5, 1e-9);
        s.Median.Value.Should().BeApproximately(430.5, 1e-9); // one task: the median of task means is the task mean
        // Gap at 475: shortfalls 0 0 0 125 55 0 385 0 5 0 -> 570/10 = 57.
        s.OptimalityGap!.Value.Value.Should().BeApproximately(57, 1e-9);
        foreach (var e in new[] { s.InterquartileMean, s.Mean, s.OptimalityGap.Value })
        {
            e.Lower.Should().BeLessThanOrEqualTo(e.Value);
            e.Upper.Should().BeGreaterThanOrEqualTo(e.Value);
            e.ConfidenceLevel.Should().Be(0.95);
        }
    }

    [Fact]
    public void Options_are_validated()
    {
        var scores = ScoreMatrix.FromRuns("A", [1, 2, 3]);
        FluentActions.Invoking(() => StratifiedBootstrap.ConfidenceInterval(scores, AggregateMetric.Mean, options: new() { Repetitions = 10 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*at least 100*");
        FluentActions.Invoking(() => StratifiedBootstrap.ConfidenceInterval(scores, AggregateMetric.Mean, options: new() { ConfidenceLevel = 1.5 }))
            .Should().Throw<ArgumentOutOfRangeException>();
    }
}

public class ProfileAndCurveTests
{
    [Fact]
    public void Performance_profile_counts_scores_strictly_above_each_threshold()
    {
        var scores = ScoreMatrix.FromRuns("A", [1, 2, 3, 4]);
        var profile = PerformanceProfile.Compute(scores, [4, 0, 2, 2.5]);
        profile.Thresholds.Should().Equal(0, 2, 2.5, 4); // sorted
        profile.FractionAbove.Select(e => e.Value).Should().Equal(1.0, 0.5, 0.5, 0.0);
        // Below every score each resample also has fraction 1; above every score, 0.
        profile.FractionAbove[0].Lower.Should().Be(1);
        profile.FractionAbove[3].Upper.Should().Be(0);
        profile.FractionAbove[1].Lower.Should().BeLessThan(0.5);
        profile.FractionAbove[1].Upper.Should().BeGreaterThan(0.5);
    }

    [Fact]
    public void Threshold_grid_spans_every_group_with_a_margin()
    {
        var grid = PerformanceProfile.ThresholdGrid([ScoreMatrix.FromRuns("A", [0, 10]), ScoreMatrix.FromRuns("B", [20])], 5);
        grid.Should().Equal(-1, 4.5, 10, 15.5, 21);
    }

    [Fact]
    public void Iqm_curve_on_shared_steps_is_the_pointwise_iqm()
    {
        var runs = new[]
        {
            new (double, double)[] { (1000, 10), (2000, 20), (3000, 30) },
            new (double, double)[] { (1000, 12), (2000, 25), (3000, 90) },
            new (double, double)[] { (1000, 8), (2000, 21), (3000, 31) },
            new (double, double)[] { (1000, 0), (2000, 22), (3000, 33) },
        };
        var curves = ScoreCurves.FromRuns("A", runs);
        curves.Steps.Should().Equal(1000, 2000, 3000);
        var curve = SampleEfficiencyCurve.Compute(curves);
        // n = 4 cuts 1 each side: step 1000 -> (8+10)/2 = 9; 2000 -> (21+22)/2 = 21.5; 3000 -> (31+33)/2 = 32.
        curve.Values.Select(e => e.Value).Should().Equal(9, 21.5, 32);
        curve.Values.Should().OnlyContain(e => e.Lower <= e.Value && e.Value <= e.Upper);
    }

    [Fact]
    public void Curves_at_different_steps_are_interpolated_on_the_common_range()
    {
        var runs = new[]
        {
            new (double, double)[] { (0, 0), (1000, 100), (2000, 200) },
            new (double, double)[] { (500, 10), (1500, 30) },
        };
        var curves = ScoreCurves.FromRuns("A", runs);
        // Common range [500, 1500]; union of steps inside it: 500, 1000, 1500.
        curves.Steps.Should().Equal(500, 1000, 1500);
        curves[0, 0].Should().Be(50);   // run 0 interpolated at 500
        curves[1, 1].Should().Be(20);   // run 1 interpolated at 1000
        curves[0, 2].Should().Be(150);
    }

    [Fact]
    public void Curves_that_do_not_overlap_are_an_error()
    {
        var runs = new[] { new (double, double)[] { (0, 1), (10, 2) }, new (double, double)[] { (20, 1), (30, 2) } };
        FluentActions.Invoking(() => ScoreCurves.FromRuns("SAC", runs)).Should().Throw<ArgumentException>().WithMessage("*'SAC'*do not overlap*");
        FluentActions.Invoking(() => ScoreCurves.FromRuns("SAC", [Array.Empty<(double, double)>()])).Should().Throw<ArgumentException>().WithMessage("*'SAC'*run 0 has no evaluation points*");
        FluentActions.Invoking(() => ScoreCurves.FromRuns("SAC", [new (double, double)[] { (0, double.NaN) }])).Should().Throw<ArgumentException>().WithMessage("*non-finite*");
    }
}
