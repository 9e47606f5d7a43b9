using System.Diagnostics;
using System.Text.RegularExpressions;
using RlExperiments.Evaluation.Reporting;
using RlExperiments.Evaluation.Statistics;

namespace RlExperiments.Evaluation.Tests.Reporting;

public class AxisTicksTests
{
    [Fact]
    public void Ticks_are_one_two_or_five_times_a_power_of_ten()
    {
        AxisTicks.Ticks(0, 200_000, 5).Should().Equal(0, 50_000, 100_000, 150_000, 200_000);
        AxisTicks.Ticks(0, 1, 5).Should().Equal(0, 0.2, 0.4, 0.6, 0.8, 1.0);
        AxisTicks.Ticks(-3, 17, 4).Should().Equal(0, 5, 10, 15);
        AxisTicks.NiceRange(9.4, 497, 6).Should().Be((0, 500));
        AxisTicks.NiceRange(0.3, 0.3, 6).Min.Should().BeLessThan(0.3);
    }

    [Theory]
    [InlineData(1000, 1000, "1k")]
    [InlineData(10_000, 10_000, "10k")]
    [InlineData(100_000, 50_000, "100k")]
    [InlineData(2500, 500, "2.5k")]
    [InlineData(1_500_000, 500_000, "1.5M")]
    [InlineData(2_000_000_000, 1e9, "2G")]
    [InlineData(0.25, 0.25, "0.25")]
    [InlineData(0.5, 0.25, "0.5")]
    [InlineData(-200, 100, "\u2212200")]
    [InlineData(0, 100, "0")]
    [InlineData(475, 25, "475")]
    public void Labels_use_si_suffixes_and_the_decimals_the_step_needs(double value, double step, string expected)
    {
        AxisTicks.Format(value, step).Should().Be(expected);
    }
}

public class ReportWriterTests
{
    [Fact]
    public void Report_has_every_section_axis_label_and_group()
    {
        var html = new ReportWriter(new ReportOptions { Bootstrap = new BootstrapOptions { Repetitions = 500 } }).Render(ExampleReport.Create());
        foreach (var id in new[] { "learning-curves", "aggregates", "performance-profile", "final-returns", "hypothesis-tests", "methods" })
            html.Should().Contain($"id=\"{id}\"");
        html.Should().Contain("environment steps").And.Contain("test return").And.Contain("PPO vs DQN on CartPole-v1");
        html.Should().Contain("IQM").And.Contain("Optimality gap (γ = 475)").And.Contain("reward threshold 475");
        html.Should().Contain("Welch&#39;s t-test").And.Contain("Permutation test");
        html.Should().Contain("PPO: IQM of 5 runs, 95% CI").And.Contain("DQN: IQM of 5 runs, 95% CI");
        // x ticks of the learning curves in k units; every seed's final return in the table.
        html.Should().Contain(">100k<").And.Contain(">200k<");
        Regex.Matches(html, "<tr><td class=\"group\"><span class=\"swatch\"").Count.Should().Be(2 + 10);
        // Okabe-Ito colours for the two groups.
        html.Should().Contain("#0072B2").And.Contain("#D55E00");
    }

    [Fact]
    public void The_median_is_explained_as_rliables_median_of_task_means_and_equals_the_mean_for_one_task()
    {
        var data = ExampleReport.Create();
        var statistics = ReportStatistics.Compute(data, new ReportOptions { Bootstrap = new BootstrapOptions { Repetitions = 200 } });
        foreach (var s in statistics.Summaries)
            s.Median.Value.Should().Be(s.Mean.Value, "a collection is one task, and rliable's median is over task means");
        var html = new ReportWriter(new ReportOptions { Bootstrap = new BootstrapOptions { Repetitions = 200 } }).Render(data);
        html.Should().Contain("median over tasks of the mean score of each task")
            .And.Contain("its median is the mean over its runs");
    }

    [Fact]
    public void Report_is_self_contained()
    {
        var html = new ReportWriter(new ReportOptions { Bootstrap = new BootstrapOptions { Repetitions = 200 } }).Render(ExampleReport.Create());
        html.Should().NotContain("<script").And.NotContain("<link").And.NotContain("<img").And.NotContain("@import").And.NotContain("url(http");
        Regex.Matches(html, "(?:src|href)=\"").Count.Should().Be(0);
        Regex.Matches(html, "https?://").Cast<Match>().Should().OnlyContain(m => html.Substring(m.Index, 26) == "http://www.w3.org/2000/svg");
    }

    [Fact]
    public void Every_user_string_is_escaped()
    {
        const string evil = "<script>alert('x')</script>&\"";
        var data = new ReportData
        {
            Title = "Title " + evil,
            Description = "Desc " + evil,
            Metadata = [new("key " + evil, "value " + evil)],
            StepAxisLabel = "steps " + evil,
            ReturnAxisLabel = "return " + evil,
            Groups =
            [
                new ReportGroup("A " + evil, [new ReportRun(1, [new(0, 1), new(10, 2)], 2), new ReportRun(2, [new(0, 1.5), new(10, 3)], 3)]),
                new ReportGroup("B <b>", [new ReportRun(1, [new(0, 0), new(10, 1)], 1), new ReportRun(2, [new(0, 0.5), new(10, 1.5)], 1.5)]),
            ],
        };
        var html = new ReportWriter(new ReportOptions { Bootstrap = new BootstrapOptions { Repetitions = 100 } }).Render(data);
        html.Should().NotContain("<script").And.NotContain("<b>").And.NotContain("alert('x')");
        html.Should().Contain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;");
        html.Should().Contain("B &lt;b&gt;");
    }

    [Fact]
    public void Degenerate_data_gives_warnings_not_errors()
    {
        var data = new ReportData
        {
            Title = "one seed",
            Groups = [new ReportGroup("PPO", [new ReportRun(0, [], 200)]), new ReportGroup("DQN", [new ReportRun(0, [new(0, 10), new(1000, 50)], 50), new ReportRun(1, [new(0, 12), new(1000, 60)], 60)])],
        };
        var statistics = ReportStatistics.Compute(data);
        statistics.Warnings.Should().Contain(w => w.Contains("'PPO' has a single run"));
        statistics.Warnings.Should().Contain(w => w.Contains("'PPO' has no learning curves"));
        statistics.Comparisons.Should().BeEmpty();
        statistics.IqmCurves[0].Should().BeNull();
        statistics.IqmCurves[1]!.Values.Should().HaveCount(2);
        var html = new ReportWriter().Render(data, statistics);
        html.Should().Contain("id=\"warnings\"").And.Contain("(no CI)");
    }

    [Fact]
    public void Three_groups_get_tukey_and_holm_adjusted_welch()
    {
        var baseData = ExampleReport.Create();
        var third = new ReportGroup("SAC", baseData.Groups[0].Runs.Select(r => r with { FinalReturn = r.FinalReturn - 100 }).ToArray());
        var statistics = ReportStatistics.Compute(baseData with { Groups = [.. baseData.Groups, third] },
            new ReportOptions { Bootstrap = new BootstrapOptions { Repetitions = 200 } });
        statistics.Comparisons.Select(c => c.Method).Should().Equal(ComparisonMethod.TukeyHsd, ComparisonMethod.WelchTTest);
        statistics.Comparisons[0].Comparisons.Should().HaveCount(3);
    }

    [Fact]
    public void Invalid_data_names_the_group_and_seed()
    {
        var data = new ReportData { Title = "x", Groups = [new ReportGroup("PPO", [new ReportRun(7, [], double.NaN)])] };
        FluentActions.Invoking(() => new ReportWriter().Render(data)).Should().Throw<ArgumentException>().WithMessage("*'PPO', seed 7*final return*NaN*");
        var curveNaN = new ReportData { Title = "x", Groups = [new ReportGroup("DQN", [new ReportRun(3, [new(100, double.PositiveInfinity)], 1)])] };
        FluentActions.Invoking(() => new ReportWriter().Render(curveNaN)).Should().Throw<ArgumentException>().WithMessage("*'DQN', seed 3*step 100*");
        FluentActions.Invoking(() => new ReportWriter().Render(new ReportData { Title = "x", Groups = [] })).Should().Throw<ArgumentException>().WithMessage("*at least one group*");
        var duplicate = new ReportData { Title = "x", Groups = [new ReportGroup("A", [new ReportRun(1, [], 1)]), new ReportGroup("A", [new ReportRun(1, [], 1)])] };
        FluentActions.Invoking(() => new ReportWriter().Render(duplicate)).Should().Throw<ArgumentException>().WithMessage("*'A' appears more than once*");
    }

    [Fact]
    public void Write_puts_the_report_on_disk()
    {
        var dir = Directory.CreateTempSubdirectory("rlexp-report-");
        try
        {
            var path = Path.Combine(dir.FullName, "nested", "report.html");
            var statistics = new ReportWriter(new ReportOptions { Bootstrap = new BootstrapOptions { Repetitions = 200 } }).Write(ExampleReport.Create(), path);
            File.ReadAllText(path).Should().StartWith("<!DOCTYPE html>");
            statistics.Summaries.Should().HaveCount(2);
            Directory.GetFiles(Path.GetDirectoryName(path)!).Should().ContainSingle(); // no temporary file left behind
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [ChromiumFact]
    public void Report_renders_in_headless_chromium()
    {
        var dir = Directory.CreateTempSubdirectory("rlexp-report-shot-");
        try
        {
            var html = Path.Combine(dir.FullName, "report.html");
            var png = Path.Combine(dir.FullName, "report.png");
            new ReportWriter().Write(ExampleReport.Create(), html);
            ChromiumFactAttribute.Screenshot(html, png, Path.Combine(dir.FullName, "profile"), 1280, 2000);

            var image = Png.Decode(File.ReadAllBytes(png));
            image.Width.Should().Be(1280);
            image.Height.Should().Be(2000);
            int nonWhite = 0, blue = 0, vermillion = 0;
            var colours = new HashSet<int>();
            for (var y = 0; y < image.Height; y++)
            for (var x = 0; x < image.Width; x++)
            {
                var (r, g, b, _) = image[x, y];
                colours.Add((r << 16) | (g << 8) | b);
                if (r < 235 || g < 235 || b < 235)
                    nonWhite++;
                if (Near(r, g, b, 0x00, 0x72, 0xB2))
                    blue++;
                if (Near(r, g, b, 0xD5, 0x5E, 0x00))
                    vermillion++;
            }
            // Page background, cards, text, grid lines and coloured curves: far from blank.
            ((double)nonWhite / (image.Width * image.Height)).Should().BeGreaterThan(0.05);
            colours.Count.Should().BeGreaterThan(200);
            // Both groups' curves (Okabe-Ito blue and vermillion) were drawn.
            blue.Should().BeGreaterThan(500);
            vermillion.Should().BeGreaterThan(500);

            // Regenerating docs/report-example.png: RLEXP_REPORT_EXAMPLE_DIR=docs (the whole page, re-encoded compactly).
            if (Environment.GetEnvironmentVariable("RLEXP_REPORT_EXAMPLE_DIR") is { Length: > 0 } keep)
            {
                Directory.CreateDirectory(keep);
                var height = int.TryParse(Environment.GetEnvironmentVariable("RLEXP_REPORT_EXAMPLE_HEIGHT"), out var h) ? h : 2000;
                var full = Path.Combine(dir.FullName, "full.png");
                ChromiumFactAttribute.Screenshot(html, full, Path.Combine(dir.FullName, "profile-full"), 1280, height);
                var decoded = Png.Decode(File.ReadAllBytes(full));
                var rgb = decoded.EncodeRgb();
                Png.Decode(rgb).Rgba.Should().Equal(decoded.Rgba.Select((v, i) => i % 4 == 3 ? (byte)255 : v));
                File.WriteAllBytes(Path.Combine(keep, "report-example.png"), decoded.EncodeIndexed());
                File.Copy(html, Path.Combine(keep, "report-example.html"), overwrite: true);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static bool Near(byte r, byte g, byte b, int er, int eg, int eb) =>
        Math.Abs(r - er) <= 12 && Math.Abs(g - eg) <= 12 && Math.Abs(b - eb) <= 12;
}
