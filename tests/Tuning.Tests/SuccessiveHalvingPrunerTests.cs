using FluentAssertions;
using RlExperiments.Tuning;
using Xunit;

namespace RlExperiments.Tuning.Tests;

public class SuccessiveHalvingPrunerTests
{
    private static readonly Configuration Empty = new(Array.Empty<KeyValuePair<string, object>>());

    private static StudyTrial T(int number, params (long Step, double Value)[] values) =>
        new(number, TrialState.Complete, Empty, null, null, null, null, null, null, null,
            values.Select(v => new IntermediateValue(v.Step, v.Value)).ToArray());

    /// <summary>8 earlier trials that reported 1..8 at step 1, plus the candidate (number 8).</summary>
    private static bool Decide(StudyDirection direction, double candidate, SuccessiveHalvingPruner? pruner = null)
    {
        var trials = Enumerable.Range(0, 8).Select(i => T(i, (1, i + 1.0))).ToList();
        var me = T(8, (1, candidate));
        trials.Add(me);
        return (pruner ?? new SuccessiveHalvingPruner()).ShouldPrune(direction, me, trials);
    }

    [Fact]
    public void Maximize_keeps_the_top_quarter_of_the_rung_and_prunes_the_rest()
    {
        // 9 values at rung 0, eta = 4: the best floor(9/4) = 2 continue.
        Decide(StudyDirection.Maximize, 8.5).Should().BeFalse("it is the best");
        Decide(StudyDirection.Maximize, 7.5).Should().BeFalse("it is second of nine");
        Decide(StudyDirection.Maximize, 6.5).Should().BeTrue("it is third of nine");
        Decide(StudyDirection.Maximize, 0.5).Should().BeTrue();
    }

    [Fact]
    public void Minimize_keeps_the_lowest_quarter()
    {
        Decide(StudyDirection.Minimize, 0.5).Should().BeFalse();
        Decide(StudyDirection.Minimize, 1.5).Should().BeFalse();
        Decide(StudyDirection.Minimize, 2.5).Should().BeTrue();
        Decide(StudyDirection.Minimize, 9).Should().BeTrue();
    }

    [Fact]
    public void Eta_two_keeps_the_better_half()
    {
        var eta2 = new SuccessiveHalvingPruner(reductionFactor: 2);
        // 9 values, keep floor(9/2) = 4: 5.5 is 4th (8, 7, 6, 5.5), 4.5 is 5th.
        Decide(StudyDirection.Maximize, 5.5, eta2).Should().BeFalse();
        Decide(StudyDirection.Maximize, 4.5, eta2).Should().BeTrue();
    }

    [Fact]
    public void Never_prunes_before_the_first_rung_or_between_rungs()
    {
        var others = Enumerable.Range(0, 8).Select(i => T(i, (1, 100.0 + i), (4, 100.0 + i), (5, 100.0), (10, 100.0))).ToList();
        var late = new SuccessiveHalvingPruner(minResource: 5);
        var me = T(8, (3, -1000.0));
        late.ShouldPrune(StudyDirection.Maximize, me, [.. others, me]).Should().BeFalse("step 3 < minResource 5");

        var rate = new SuccessiveHalvingPruner(minEarlyStoppingRate: 1); // first rung at 1 * 4^1 = 4
        me = T(8, (1, -1000.0), (2, -1000.0));
        rate.ShouldPrune(StudyDirection.Maximize, me, [.. others, me]).Should().BeFalse("the first rung is at step 4");
        rate.RungStep(0).Should().Be(4);
        rate.RungStep(1).Should().Be(16);

        // Promoted at rung 0 (step 1) when it was good; a bad value at step 2 is between rungs (next rung at step 4).
        var halving = new SuccessiveHalvingPruner();
        me = T(8, (1, 1000.0), (2, -1000.0));
        halving.ShouldPrune(StudyDirection.Maximize, me, [.. others, me]).Should().BeFalse();
        // At step 4 it reaches rung 1 and is compared there.
        me = T(8, (1, 1000.0), (2, -1000.0), (4, -1000.0));
        halving.ShouldPrune(StudyDirection.Maximize, me, [.. others, me]).Should().BeTrue();
    }

    [Fact]
    public void A_rung_reached_at_an_unaligned_step_uses_the_first_report_at_or_after_it_and_is_not_rechecked()
    {
        var pruner = new SuccessiveHalvingPruner();
        var others = Enumerable.Range(0, 8).Select(i => T(i, (3, i + 1.0))).ToList(); // rung 0 values 1..8 (first report >= 1 is step 3)
        var me = T(8, (3, 0.0));
        pruner.ShouldPrune(StudyDirection.Maximize, me, [.. others, me]).Should().BeTrue();
        // Rung 0 was reached at step 2 with a good value (promoted then); a bad value at step 3 does not re-check rung 0.
        me = T(8, (2, 9.0), (3, -100.0));
        pruner.ShouldPrune(StudyDirection.Maximize, me, [.. others, me]).Should().BeFalse();
    }

    [Fact]
    public void The_first_trial_at_a_rung_continues_and_nan_is_pruned()
    {
        var pruner = new SuccessiveHalvingPruner();
        var me = T(0, (1, -5.0));
        pruner.ShouldPrune(StudyDirection.Maximize, me, [me]).Should().BeFalse();
        me = T(0, (1, double.NaN));
        pruner.ShouldPrune(StudyDirection.Maximize, me, [me]).Should().BeTrue();
        me = T(0);
        pruner.ShouldPrune(StudyDirection.Maximize, me, [me]).Should().BeFalse("nothing was reported");
    }

    [Fact]
    public void Invalid_settings_and_names_are_rejected_with_the_field_name()
    {
        FluentActions.Invoking(() => new SuccessiveHalvingPruner(reductionFactor: 1)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*reductionFactor = 1*");
        FluentActions.Invoking(() => new SuccessiveHalvingPruner(minResource: 0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*minResource = 0*");
        IPruner.FromName("halving").Should().BeOfType<SuccessiveHalvingPruner>();
        IPruner.FromName("None").Should().BeOfType<NopPruner>();
        FluentActions.Invoking(() => IPruner.FromName("median")).Should().Throw<ArgumentException>().WithMessage("*'median'*'none', 'halving'*");
    }
}
