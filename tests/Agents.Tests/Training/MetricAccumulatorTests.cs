using System.Text.Json;
using RlExperiments.Agents.Training;

namespace RlExperiments.Agents.Tests.Training;

public sealed class MetricAccumulatorTests
{
    [Fact]
    public void Writes_the_means_in_declaration_order_then_resets()
    {
        var acc = new MetricAccumulator("train/b", "train/a", "train/c");
        acc.Add(1, 10, -1);
        acc.Add(2, 20, -2);
        acc.Add(6, 60, 0.5);
        acc.Count.Should().Be(3);
        acc.Mean("train/a").Should().Be(30);
        var sink = new RecordingSink();
        acc.WriteTo(sink, 42);
        sink.Rows.Should().Equal(("train/b", 3.0, 42L), ("train/a", 30.0, 42L), ("train/c", -2.5 / 3, 42L));

        acc.Count.Should().Be(0);
        double.IsNaN(acc.Mean("train/b")).Should().BeTrue();
        acc.WriteTo(sink, 43);
        sink.Rows.Should().HaveCount(3, "nothing is written when no update was added since the last write");
        acc.Add(4, 5, 6);
        acc.WriteTo(sink, 44);
        sink.Rows.Skip(3).Should().Equal(("train/b", 4.0, 44L), ("train/a", 5.0, 44L), ("train/c", 6.0, 44L));
    }

    [Fact]
    public void Sums_exactly_as_plain_double_additions()
    {
        // The agents' metrics must stay bit-for-bit what hand-kept sums gave: Σ in update order, then / count.
        var values = new[] { 0.1, 0.2, 0.3, 1e-17, 123.456 };
        var acc = new MetricAccumulator("x");
        double sum = 0;
        foreach (var v in values)
        {
            acc.Add(v);
            sum += v;
        }
        acc.Mean("x").Should().Be(sum / values.Length);
    }

    [Fact]
    public void State_round_trips_through_json_by_name()
    {
        var acc = new MetricAccumulator("train/loss", "train/q_mean");
        acc.Add(0.1, 3);
        acc.Add(0.2, 4);
        var json = JsonSerializer.Serialize(acc.GetState());
        json.Should().Contain("\"train/loss\"").And.Contain("\"train/q_mean\"");
        var state = JsonSerializer.Deserialize<MetricAccumulatorState>(json)!;

        // Names, not positions: a state whose entries come in another order restores the same sums.
        var restored = new MetricAccumulator("train/loss", "train/q_mean");
        restored.SetState(state with { Sums = state.Sums.Reverse().ToDictionary(p => p.Key, p => p.Value) });
        restored.Count.Should().Be(2);
        restored.Mean("train/loss").Should().Be(acc.Mean("train/loss"));
        restored.Mean("train/q_mean").Should().Be(acc.Mean("train/q_mean"));
        restored.GetState().Sums.Should().Equal(acc.GetState().Sums);
    }

    [Fact]
    public void A_state_with_other_names_is_refused_and_changes_nothing()
    {
        var acc = new MetricAccumulator("train/loss", "train/q_mean");
        acc.Add(1, 2);
        var wrong = new MetricAccumulatorState(5, new Dictionary<string, double> { ["train/loss"] = 1, ["train/td_error"] = 2 });
        acc.Invoking(a => a.SetState(wrong)).Should().Throw<ArgumentException>()
            .WithMessage("*missing train/q_mean*unexpected train/td_error*");
        acc.Invoking(a => a.SetState(new MetricAccumulatorState(-1, new() { ["train/loss"] = 0, ["train/q_mean"] = 0 })))
            .Should().Throw<ArgumentException>().WithMessage("*count is -1*");
        acc.Count.Should().Be(1);
        acc.Mean("train/q_mean").Should().Be(2);
    }

    [Fact]
    public void Misuse_is_refused()
    {
        FluentActions.Invoking(() => new MetricAccumulator()).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new MetricAccumulator("a", "a")).Should().Throw<ArgumentException>().WithMessage("*'a'*twice*");
        var acc = new MetricAccumulator("a", "b");
        acc.Invoking(a => a.Add(1)).Should().Throw<ArgumentException>().WithMessage("*2 values*got 1*");
        acc.Invoking(a => a.Mean("c")).Should().Throw<ArgumentException>().WithMessage("*'c'*");
    }

    [Fact]
    public void Adding_and_writing_allocate_nothing()
    {
        var acc = new MetricAccumulator("a", "b", "c");
        var sink = NullMetricsSink.Instance;
        acc.Add(1, 2, 3);
        acc.WriteTo(sink, 1);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            acc.Add(i, 2 * i, 3 * i);
            if (i % 10 == 0) acc.WriteTo(sink, i);
        }
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }
}
