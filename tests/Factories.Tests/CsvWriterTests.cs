using System.Globalization;
using RlExperiments.Factories.Logging;

namespace RlExperiments.Factories.Tests;

public class CsvWriterTests
{
    [Fact]
    public void One_row_per_step_with_columns_in_first_seen_order()
    {
        using var dir = new TempDir();
        using var csv = new CsvWriter(dir.Path) { FlushInterval = Timeout.InfiniteTimeSpan };
        csv.Write("train/loss", 0.5, 100);
        csv.Write("train/return", 10, 100);
        csv.Write("train/loss", 0.25, 200);
        File.ReadAllText(csv.FilePath).Should().BeEmpty("without a flush interval, rows are written on Flush");
        csv.Flush();

        File.ReadAllText(csv.FilePath).Should().Be(
            "env_step,train/loss,train/return\n" +
            "100,0.5,10\n" +
            "200,0.25,\n");
        Path.GetFileName(csv.FilePath).Should().Be("progress.csv");
    }

    [Fact]
    public void Finished_rows_are_appended_while_writing_once_the_flush_interval_has_passed()
    {
        using var dir = new TempDir();
        var csv = new CsvWriter(dir.Path) { FlushInterval = TimeSpan.Zero };
        using (var defaults = new CsvWriter(dir.Path, "default.csv"))
            defaults.FlushInterval.Should().Be(TimeSpan.FromSeconds(2));
        csv.Write("a", 1, 10);
        csv.Write("b", 2, 10);
        File.ReadAllText(csv.FilePath).Should().BeEmpty("step 10 may still get values");
        csv.Write("a", 3, 20);
        File.ReadAllText(csv.FilePath).Should().Be("env_step,a,b\n10,1,2\n", "a later step finishes step 10's row, which is appended at once");
        csv.Write("b", 4, 20);
        csv.Write("b", 6, 20);
        csv.Write("a", 5, 30);
        File.ReadAllText(csv.FilePath).Should().Be("env_step,a,b\n10,1,2\n20,3,5\n", "the newest step's row stays open until a later step starts");
        csv.Write("c", 7, 40);
        File.ReadAllText(csv.FilePath).Should().Be("env_step,a,b,c\n10,1,2,\n20,3,5,\n30,5,,\n", "a new tag widens the header of the rows already written");
        csv.Dispose();
        File.ReadAllText(csv.FilePath).Should().Be("env_step,a,b,c\n10,1,2,\n20,3,5,\n30,5,,\n40,,,7\n");
    }

    [Fact]
    public void Timed_appends_give_the_same_file_as_one_flush_at_the_end()
    {
        using var dir = new TempDir();
        var rng = new RlExperiments.Core.Rng(3);
        var eager = new CsvWriter(dir.Path, "eager.csv") { FlushInterval = TimeSpan.Zero };
        var lazy = new CsvWriter(dir.Path, "lazy.csv") { FlushInterval = Timeout.InfiniteTimeSpan };
        for (var step = 1; step <= 300; step++)
        {
            foreach (var tag in new[] { "x", "y", "z" })
            {
                if (rng.NextDouble() < 0.5) continue;
                var v = Math.Round(rng.NextDouble(), 3);
                eager.Write(tag, v, step);
                lazy.Write(tag, v, step);
            }
            if (step % 97 == 0) { eager.Flush(); lazy.Flush(); } // epoch ends
        }
        eager.Dispose();
        lazy.Dispose();
        File.ReadAllText(eager.FilePath).Should().Be(File.ReadAllText(lazy.FilePath));
    }

    [Fact]
    public void A_tag_appearing_later_widens_the_header_and_pads_earlier_rows()
    {
        using var dir = new TempDir();
        using var csv = new CsvWriter(dir.Path);
        csv.Write("a", 1, 1);
        csv.Write("b", 2, 1);
        csv.Flush();
        csv.Write("a", 3, 2);
        csv.Flush();
        csv.Write("c", 5, 3);
        csv.Write("a", 4, 3);
        csv.Flush();

        File.ReadAllText(csv.FilePath).Should().Be(
            "env_step,a,b,c\n" +
            "1,1,2,\n" +
            "2,3,,\n" +
            "3,4,,5\n");
        csv.Tags.Should().Equal("a", "b", "c");
        Directory.GetFiles(dir.Path).Should().ContainSingle("the atomic rewrite leaves no temporary file");
    }

    [Fact]
    public void Rows_are_sorted_by_step_and_repeated_values_at_a_step_are_averaged()
    {
        using var dir = new TempDir();
        using var csv = new CsvWriter(dir.Path);
        csv.Write("ret", 10, 300);
        csv.Write("ret", 1, 100);
        csv.Write("ret", 2, 100);
        csv.Flush();
        File.ReadAllLines(csv.FilePath).Should().Equal("env_step,ret", "100,1.5", "300,10");
    }

    [Fact]
    public void A_step_flushed_again_is_merged_into_its_row()
    {
        using var dir = new TempDir();
        using var csv = new CsvWriter(dir.Path);
        csv.Write("train/loss", 1, 1000);
        csv.Write("train/loss", 3, 2000);
        csv.Flush();
        csv.Write("test/return", 50, 2000);
        csv.Write("train/loss", 5, 2000);
        csv.Flush();
        csv.Write("train/loss", 7, 3000);
        csv.Flush();
        File.ReadAllLines(csv.FilePath).Should().Equal(
            "env_step,train/loss,test/return",
            "1000,1,",
            "2000,4,50",
            "3000,7,");
    }

    [Fact]
    public void Numbers_round_trip_in_the_invariant_culture()
    {
        double[] values = [0.1, 0.1 + 0.2, 1e-300, -123456789.123456789, double.Epsilon, double.MaxValue, 3e-4];
        using var dir = new TempDir();
        using var csv = new CsvWriter(dir.Path);
        for (var i = 0; i < values.Length; i++)
            csv.Write("v", values[i], i);
        csv.Write("v", double.NaN, 100);
        csv.Write("v", double.PositiveInfinity, 101);
        csv.Write("v", double.NegativeInfinity, 102);
        csv.Flush();

        var lines = File.ReadAllLines(csv.FilePath);
        for (var i = 0; i < values.Length; i++)
            double.Parse(lines[1 + i].Split(',')[1], NumberStyles.Float, CultureInfo.InvariantCulture).Should().Be(values[i]);
        lines[^3..].Should().Equal("100,nan", "101,inf", "102,-inf");
    }

    [Fact]
    public void Tags_with_commas_or_quotes_are_quoted()
    {
        using var dir = new TempDir();
        using var csv = new CsvWriter(dir.Path, "x.csv");
        csv.Write("a,b", 1, 1);
        csv.Write("say \"hi\"", 2, 1);
        csv.Flush();
        File.ReadAllLines(csv.FilePath)[0].Should().Be("env_step,\"a,b\",\"say \"\"hi\"\"\"");
    }

    [Fact]
    public void An_existing_file_is_replaced_and_flush_without_writes_does_nothing()
    {
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Path, "progress.csv"), "old");
        using var csv = new CsvWriter(dir.Path);
        File.ReadAllText(csv.FilePath).Should().BeEmpty();
        csv.Flush();
        File.ReadAllText(csv.FilePath).Should().BeEmpty();
    }

    [Fact]
    public void A_file_deleted_from_outside_is_started_again_with_its_header()
    {
        using var dir = new TempDir();
        using var csv = new CsvWriter(dir.Path);
        csv.Write("a", 1, 1);
        csv.Flush();
        File.Delete(csv.FilePath);
        csv.Write("a", 2, 2);
        csv.Flush();
        File.ReadAllLines(csv.FilePath).Should().Equal("env_step,a", "2,2");
    }

    [Fact]
    public void Dispose_flushes_pending_rows_and_later_writes_throw()
    {
        using var dir = new TempDir();
        var csv = new CsvWriter(dir.Path);
        csv.Write("a", 1, 1);
        csv.Dispose();
        File.ReadAllLines(csv.FilePath).Should().Equal("env_step,a", "1,1");
        var act = () => csv.Write("a", 1, 2);
        act.Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public void File_name_with_directory_parts_is_rejected()
    {
        using var dir = new TempDir();
        var act = () => new CsvWriter(dir.Path, "../escape.csv");
        act.Should().Throw<ArgumentException>().WithMessage("*fileName*\"../escape.csv\"*plain file name*");
    }

    [Fact]
    public void Resuming_keeps_rows_up_to_the_checkpoint_step_drops_later_and_cut_rows_and_continues()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, CsvWriter.DefaultFileName);
        File.WriteAllText(path, "env_step,a,\"b,c\"\n100,1,2\n200,3,\n300,5,6\n40");
        using (var csv = new CsvWriter(dir.Path, CsvWriter.DefaultFileName, resumeAfterStep: 200))
        {
            csv.Tags.Should().Equal("a", "b,c");
            File.ReadAllText(path).Should().Be("env_step,a,\"b,c\"\n100,1,2\n200,3,\n");
            csv.Write("a", 7, 300);
            csv.Write("d", 8, 300);
        }
        File.ReadAllText(path).Should().Be("env_step,a,\"b,c\",d\n100,1,2,\n200,3,,\n300,7,,8\n");
    }
}
