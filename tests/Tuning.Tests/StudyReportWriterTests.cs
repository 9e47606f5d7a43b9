using System.Globalization;
using System.Text.RegularExpressions;
using RlExperiments.Core;
using RlExperiments.Evaluation.Reporting;
using RlExperiments.Tuning;
using RlExperiments.Tuning.Reporting;

namespace RlExperiments.Tuning.Tests;

public class StudyReportWriterTests
{
    private static readonly DateTime T0 = new(2026, 11, 21, 12, 0, 0, DateTimeKind.Utc);

    private static StudyTrial Trial(int number, TrialState state, double? value, IEnumerable<KeyValuePair<string, object>> config,
        IReadOnlyList<IntermediateValue>? intermediate = null, string? error = null) =>
        new(number, state, new Configuration(config), value, error,
            state == TrialState.Waiting ? null : T0.AddMinutes(number),
            state is TrialState.Complete or TrialState.Pruned or TrialState.Failed ? T0.AddMinutes(number).AddSeconds(30 + number) : null,
            null, "s1", null, intermediate ?? []);

    private static KeyValuePair<string, object> P(string name, object value) => new(name, value);

    private static StudyResult Study(StudyDirection direction, params StudyTrial[] trials) =>
        new("/tmp/study", new StudyInfo("ppo-cartpole", direction, "ppo-space", T0), trials);

    /// <summary>A realistic study: PPO on CartPole, log-scaled learning rate, integer batch size, categorical activation, boolean flag.</summary>
    internal static (StudyResult Study, ConfigurationSpace Space) Example(StudyDirection direction = StudyDirection.Maximize, int count = 40)
    {
        var space = new ConfigurationSpace("ppo-space").Add(
            new FloatHyperparameter("lr", 1e-5, 1e-2, log: true),
            new IntegerHyperparameter("batch_size", 16, 512, log: true),
            new FloatHyperparameter("gamma", 0.9, 0.9999),
            new CategoricalHyperparameter("activation", ["tanh", "relu", "elu"]),
            new CategoricalHyperparameter("normalize", [false, true]));
        var rng = new Rng(7);
        var trials = new List<StudyTrial>();
        for (var n = 0; n < count; n++)
        {
            var config = space.Sample(rng);
            var lr = config.GetDouble("lr");
            var quality = Math.Exp(-Math.Pow(Math.Log10(lr) + 3.3, 2)) * (config.GetString("activation") == "tanh" ? 1 : 0.8);
            var final = 20 + 470 * quality + rng.Normal(0, 15);
            var curve = Enumerable.Range(1, 10).Select(k => new IntermediateValue(k * 10_000, 10 + (final - 10) * (1 - Math.Exp(-k / 3.0)) + rng.Normal(0, 8))).ToList();
            var signed = direction == StudyDirection.Maximize ? 1 : -1;
            StudyTrial trial = (n % 9) switch
            {
                4 => Trial(n, TrialState.Failed, null, config, curve.Take(2).ToList(), "InvalidOperationException: the <policy> diverged (loss = NaN)"),
                2 or 6 => Trial(n, TrialState.Pruned, signed * curve[3].Value, config, curve.Take(4).Select(v => v with { Value = signed * v.Value }).ToList()),
                _ => Trial(n, TrialState.Complete, signed * final, config, curve.Select(v => v with { Value = signed * v.Value }).ToList()),
            };
            trials.Add(trial);
        }
        trials.Add(Trial(count, TrialState.Running, null, space.Sample(rng)));
        return (new StudyResult("/tmp/study", new StudyInfo("ppo-cartpole", direction, "ppo-space", T0), trials), space);
    }

    private static double[] PolylineYs(string svg, string cssClass)
    {
        var m = Regex.Match(svg, $"<polyline class=\"{cssClass}\" points=\"([^\"]*)\"");
        m.Success.Should().BeTrue($"the SVG should contain a {cssClass} polyline");
        return m.Groups[1].Value.Split(' ').Select(p => double.Parse(p.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
    }

    private static double[] CircleXs(string svg, string cssClass) =>
        Regex.Matches(svg, $"<circle class=\"{cssClass}\" cx=\"([^\"]*)\"").Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();

    private static string Svg(string html, string idPrefix)
    {
        var start = html.IndexOf($"aria-labelledby=\"{idPrefix}-title\"", StringComparison.Ordinal);
        start.Should().BePositive($"the report should contain the {idPrefix} chart");
        start = html.LastIndexOf("<svg", start, StringComparison.Ordinal);
        return html[start..(html.IndexOf("</svg>", start, StringComparison.Ordinal) + 6)];
    }

    [Theory]
    [InlineData(StudyDirection.Maximize)]
    [InlineData(StudyDirection.Minimize)]
    public void Best_so_far_line_is_monotone_in_the_direction(StudyDirection direction)
    {
        var (study, space) = Example(direction);
        var complete = StudyReportWriter.CompleteTrials(study);
        var series = StudyReportWriter.BestSoFar(direction, complete, study.Trials.Max(t => t.Number));
        var ys = series.Select(p => p.Y).ToArray();
        ys.Should().HaveCountGreaterThan(3);
        for (var i = 1; i < ys.Length; i++)
            (direction == StudyDirection.Maximize ? ys[i] >= ys[i - 1] : ys[i] <= ys[i - 1]).Should().BeTrue($"step {i} of the best-so-far line must not get worse");
        ys[^1].Should().Be(study.BestValue!.Value);
        // A step line: x never decreases, and every change of value happens at a complete trial's number.
        series.Select(p => p.X).Should().BeInAscendingOrder();

        // The same in the rendered SVG: y pixels grow downwards, so a rising maximum means falling pixel y.
        var pixels = PolylineYs(Svg(StudyReportWriter.Render(study, space), "history"), "best-so-far");
        pixels.Should().HaveCount(ys.Length);
        if (direction == StudyDirection.Maximize)
            pixels.Should().BeInDescendingOrder();
        else
            pixels.Should().BeInAscendingOrder();
        pixels[0].Should().NotBe(pixels[^1]);
    }

    [Fact]
    public void Best_so_far_only_steps_at_improvements()
    {
        var trials = new[]
        {
            Trial(0, TrialState.Complete, 5, [P("x", 1.0)]), Trial(1, TrialState.Complete, 7, [P("x", 2.0)]),
            Trial(2, TrialState.Complete, 3, [P("x", 3.0)]), Trial(3, TrialState.Complete, 4, [P("x", 4.0)]),
        };
        StudyReportWriter.BestSoFar(StudyDirection.Minimize, trials, 3).Should().Equal((0, 5), (2, 5), (2, 3), (3, 3));
        StudyReportWriter.BestSoFar(StudyDirection.Maximize, trials, 3).Should().Equal((0, 5), (1, 5), (1, 7), (3, 7));
    }

    [Fact]
    public void Log_scaled_hyperparameter_positions_follow_log_values()
    {
        var space = new ConfigurationSpace("s").Add(new FloatHyperparameter("lr", 1e-6, 1, log: true));
        double[] lrs = [1e-2, 1e-5, 1e-3, 1e-4, 1e-1];
        var trials = lrs.Select((lr, i) => Trial(i, TrialState.Complete, i, [P("lr", lr)])).Append(Trial(5, TrialState.Complete, 10, [P("lr", 1e-6)])).ToArray();
        var html = StudyReportWriter.Render(Study(StudyDirection.Minimize, trials), space);
        var svg = Svg(html, "param-1");
        var xs = CircleXs(svg, "trial"); // the best trial (#0, lr 1e-2) is drawn separately
        xs.Should().HaveCount(5);
        // In trial order: 1e-5, 1e-3, 1e-4, 1e-1, 1e-6 — one decade apart must be equally far apart.
        var decade = (xs[1] - xs[0]) / 2;
        decade.Should().BePositive();
        xs[2].Should().BeApproximately(xs[0] + decade, 0.05);
        xs[3].Should().BeApproximately(xs[0] + 4 * decade, 0.05);
        xs[4].Should().BeApproximately(xs[0] - decade, 0.05);
        CircleXs(svg, "best").Should().ContainSingle().Which.Should().BeApproximately(xs[0] + 3 * decade, 0.05);
        svg.Should().Contain("lr (log scale)");

        // Without the space, the same values lie on a linear axis: 1e-6 .. 1e-4 crowd together at the left.
        var linear = CircleXs(Svg(StudyReportWriter.Render(Study(StudyDirection.Minimize, trials)), "param-1"), "trial");
        (linear[2] - linear[0]).Should().BeLessThan(1);
    }

    [Fact]
    public void Categorical_and_boolean_values_get_labelled_positions()
    {
        var space = new ConfigurationSpace("s").Add(new CategoricalHyperparameter("activation", ["tanh", "relu", "elu"]));
        var trials = new[]
        {
            Trial(0, TrialState.Complete, 1, [P("activation", "relu"), P("normalize", true)]),
            Trial(1, TrialState.Complete, 2, [P("activation", "elu"), P("normalize", false)]),
            Trial(2, TrialState.Complete, 3, [P("activation", "relu"), P("normalize", false)]),
        };
        var html = StudyReportWriter.Render(Study(StudyDirection.Maximize, trials), space);
        var activation = Svg(html, "param-1");
        // The space's choices in order, also the one no trial used, as tick labels.
        var labels = Regex.Matches(activation, "class=\"tick\" text-anchor=\"middle\">([^<]*)<").Select(m => m.Groups[1].Value).ToArray();
        labels.Should().Equal("tanh", "relu", "elu");
        var normalize = Svg(html, "param-2");
        Regex.Matches(normalize, "class=\"tick\" text-anchor=\"middle\">([^<]*)<").Select(m => m.Groups[1].Value).Should().Equal("false", "true");
        // Each dot sits near its category's tick: #0 (relu) and #1 (elu) as trials, #2 (relu, the best when maximising) highlighted.
        var ticks = Regex.Matches(activation, "<text x=\"([^\"]*)\"[^>]*class=\"tick\" text-anchor=\"middle\">([^<]*)<")
            .ToDictionary(m => m.Groups[2].Value, m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        var spacing = ticks["relu"] - ticks["tanh"];
        spacing.Should().BeApproximately(ticks["elu"] - ticks["relu"], 0.05).And.BePositive();
        var dots = CircleXs(activation, "trial");
        dots.Should().HaveCount(2);
        dots[0].Should().BeApproximately(ticks["relu"], 0.2 * spacing);
        dots[1].Should().BeApproximately(ticks["elu"], 0.2 * spacing);
        CircleXs(activation, "best").Should().ContainSingle().Which.Should().BeApproximately(ticks["relu"], 0.2 * spacing);
    }

    [Theory]
    [InlineData(1e-5, 1e-2, new[] { 1e-5, 1e-4, 1e-3, 1e-2 })]
    [InlineData(16, 512, new[] { 20.0, 50, 100, 200, 500 })]
    [InlineData(3, 7, new[] { 3.0, 4, 5, 6, 7 })]
    public void Log_ticks_are_powers_of_ten_or_their_multiples(double min, double max, double[] expected)
    {
        AxisTicks.LogTicks(min, max, 6).Should().Equal(expected);
    }

    [Theory]
    [InlineData(1e-5, "1e\u22125")]
    [InlineData(2e-4, "2e\u22124")]
    [InlineData(0.001, "0.001")]
    [InlineData(0.05, "0.05")]
    [InlineData(20, "20")]
    [InlineData(10_000, "10k")]
    public void Log_tick_labels_are_compact(double value, string expected)
    {
        AxisTicks.FormatLog(value).Should().Be(expected);
    }

    [Fact]
    public void Pruned_trials_appear_in_the_parameter_plots_at_their_last_intermediate_value()
    {
        var space = new ConfigurationSpace("s").Add(new FloatHyperparameter("lr", 1e-6, 1, log: true));
        var trials = new[]
        {
            Trial(0, TrialState.Complete, 100, [P("lr", 1e-3)]),
            Trial(1, TrialState.Complete, 50, [P("lr", 1e-2)]),
            Trial(2, TrialState.Pruned, 20, [P("lr", 1e-5)], [new IntermediateValue(1000, 30), new IntermediateValue(2000, 20)]),
            Trial(3, TrialState.Pruned, 10, [P("lr", 1e-1)], [new IntermediateValue(1000, 10)]),
        };
        var svg = Svg(StudyReportWriter.Render(Study(StudyDirection.Maximize, trials), space), "param-1");
        var pruned = CircleXs(svg, "pruned");
        pruned.Should().HaveCount(2);
        var complete = CircleXs(svg, "trial").Single(); // lr 1e-2; the best (1e-3) is drawn separately
        pruned[0].Should().BeLessThan(CircleXs(svg, "best").Single(), "lr 1e-5 lies left of 1e-3 on the log axis");
        pruned[1].Should().BeGreaterThan(complete, "lr 1e-1 lies right of 1e-2");
    }

    [Fact]
    public void Failed_trials_are_counted_but_not_plotted()
    {
        var trials = new[]
        {
            Trial(0, TrialState.Complete, 1.5, [P("x", 1.0)]),
            Trial(1, TrialState.Failed, null, [P("x", 2.0)], error: "boom"),
            Trial(2, TrialState.Failed, null, [P("x", 3.0)], [new IntermediateValue(1, 9)], error: "bang"),
            Trial(3, TrialState.Complete, 0.5, [P("x", 4.0)]),
            Trial(4, TrialState.Pruned, 2.5, [P("x", 5.0)], [new IntermediateValue(1, 3), new IntermediateValue(2, 2.5)]),
            Trial(5, TrialState.Complete, double.NaN, [P("x", 6.0)]),
        };
        var html = StudyReportWriter.Render(Study(StudyDirection.Minimize, trials));
        html.Should().Contain("<dt>failed</dt><dd>2</dd>").And.Contain("<dt>complete</dt><dd>3</dd>").And.Contain("<dt>pruned</dt><dd>1</dd>");
        html.Should().Contain("Not plotted: 2 failed trials, 1 complete trial without a finite value.");
        var history = Svg(html, "history");
        CircleXs(history, "complete").Should().HaveCount(2);
        CircleXs(history, "pruned").Should().HaveCount(1);
        // Only one x per plotted trial: trials 0, 3 (complete) and 4 (pruned); the failed 1 and 2 are not at any x.
        var scatter = Svg(html, "param-1");
        (CircleXs(scatter, "trial").Length + CircleXs(scatter, "best").Length).Should().Be(2);
        // The failed trial's intermediate values are not drawn; the pruned trial's are, dashed.
        var intermediate = Svg(html, "intermediate");
        Regex.Matches(intermediate, "<polyline class=\"pruned\"[^>]*stroke-dasharray").Count.Should().Be(1);
        Regex.Matches(intermediate, "<(polyline|circle) class=\"(complete|best)\"").Count.Should().Be(0);
        // Both errors are in the table; NaN never reaches an SVG.
        html.Should().Contain(">boom<").And.Contain(">bang<");
        Regex.Matches(html, "<svg[\\s\\S]*?</svg>").Should().OnlyContain(m => !m.Value.Contains("NaN") && !m.Value.Contains("Infinity") && !m.Value.Contains('∞'));
    }

    [Fact]
    public void Names_values_errors_and_titles_are_escaped()
    {
        var trials = new[]
        {
            Trial(0, TrialState.Complete, 1, [P("<lr>", 0.1), P("act", "<script>alert('x')</script>")]),
            Trial(1, TrialState.Failed, null, [P("<lr>", 0.2), P("act", "a&b")], error: "Oops <b>bold</b> & \"quoted\""),
        };
        var study = new StudyResult("/tmp/s", new StudyInfo("study <i>x</i>", StudyDirection.Maximize, "<space>", T0), trials);
        var html = StudyReportWriter.Render(study, title: "Title <h1>");
        html.Should().NotContain("<lr>").And.NotContain("<script").And.NotContain("<b>").And.NotContain("<i>").And.NotContain("<space>").And.NotContain("Title <h1>");
        html.Should().Contain("&lt;lr&gt;").And.Contain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;").And.Contain("a&amp;b")
            .And.Contain("Oops &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;").And.Contain("study &lt;i&gt;x&lt;/i&gt;").And.Contain("Title &lt;h1&gt;");
    }

    [Fact]
    public void Study_without_complete_trials_renders_the_message_instead_of_charts()
    {
        foreach (var study in new[]
                 {
                     Study(StudyDirection.Minimize),
                     Study(StudyDirection.Minimize, Trial(0, TrialState.Failed, null, [P("x", 1.0)], error: "boom"), Trial(1, TrialState.Running, null, [P("x", 2.0)])),
                 })
        {
            var html = StudyReportWriter.Render(study);
            html.Should().Contain("id=\"no-complete-trials\"").And.Contain("No trial completed");
            html.Should().NotContain("<svg").And.NotContain("id=\"history\"").And.NotContain("Best configuration");
            html.Should().Contain("id=\"trials\"");
        }
    }

    [Fact]
    public void Trial_table_lists_every_trial_best_first()
    {
        var (study, space) = Example(StudyDirection.Minimize);
        var html = StudyReportWriter.Render(study, space);
        var table = html[html.IndexOf("id=\"trials\"", StringComparison.Ordinal)..];
        var numbers = Regex.Matches(table, "<tr(?: class=\"best-row\")?><td class=\"group\">(\\d+)</td>").Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
        numbers.Should().HaveCount(study.Trials.Count).And.OnlyHaveUniqueItems();
        numbers[0].Should().Be(study.BestTrial!.Number);
        table.Should().Contain("<tr class=\"best-row\"><td class=\"group\">" + study.BestTrial.Number + "</td>");
        var completeOrder = numbers.Select(n => study.Trials.Single(t => t.Number == n)).TakeWhile(t => t.State == TrialState.Complete).Select(t => t.Value!.Value).ToArray();
        completeOrder.Should().HaveCount(study.Count(TrialState.Complete)).And.BeInAscendingOrder();
        foreach (var name in new[] { "lr", "batch_size", "gamma", "activation", "normalize" })
            table.Should().Contain($"<th>{name}</th>");
    }

    [Fact]
    public void Write_puts_html_and_one_svg_per_chart_next_to_it()
    {
        var dir = Directory.CreateTempSubdirectory("rlexp-study-report-");
        try
        {
            var (study, space) = Example();
            var html = Path.Combine(dir.FullName, "nested", "study.html");
            var svgs = StudyReportWriter.Write(study, html, space);
            File.ReadAllText(html).Should().StartWith("<!DOCTYPE html>");
            svgs.Should().HaveCount(1 + 1 + 5 + 1);
            svgs.Should().OnlyContain(p => Path.GetDirectoryName(p) == Path.GetDirectoryName(html) && File.Exists(p));
            Path.GetFileName(svgs[0]).Should().Be("study-history.svg");
            Path.GetFileName(svgs[1]).Should().Be("study-parallel.svg");
            Path.GetFileName(svgs[2]).Should().Be("study-param-1-lr.svg");
            Path.GetFileName(svgs[^1]).Should().Be("study-intermediate.svg");
            var svg = File.ReadAllText(svgs[0]);
            svg.Should().StartWith("<?xml").And.Contain("<svg xmlns=\"http://www.w3.org/2000/svg\"").And.Contain("<style>").And.Contain(".frame { fill: none;");
            System.Xml.Linq.XDocument.Parse(svg).Root!.Name.LocalName.Should().Be("svg");
            Directory.GetFiles(Path.GetDirectoryName(html)!).Should().HaveCount(1 + svgs.Count); // no temporary files left

            var only = Path.Combine(dir.FullName, "only", "study.html");
            var logged = new List<string>();
            StudyReportWriter.Write(study, only, space, writeSvgFiles: false, logger: new ListLogger(logged)).Should().BeEmpty();
            logged.Should().Equal($"Study {study.Study.Name}: wrote the report {only}");
            Directory.GetFiles(Path.GetDirectoryName(only)!).Should().ContainSingle();
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Report_is_self_contained_and_every_chart_is_well_formed()
    {
        var (study, space) = Example();
        var html = StudyReportWriter.Render(study, space);
        html.Should().NotContain("<script").And.NotContain("<link").And.NotContain("<img").And.NotContain("@import");
        Regex.Matches(html, "(?:src|href)=\"").Count.Should().Be(0);
        var svgs = Regex.Matches(html, "<svg[\\s\\S]*?</svg>").Select(m => m.Value).ToArray();
        svgs.Should().HaveCount(1 + 1 + 5 + 1);
        foreach (var svg in svgs)
            System.Xml.Linq.XDocument.Parse(svg.Replace("&nbsp;", " ")).Root!.Name.LocalName.Should().Be("svg");
        html.Should().Contain("id=\"history\"").And.Contain("id=\"parameters\"").And.Contain("id=\"intermediate\"").And.Contain("Best configuration");
    }

    [Fact]
    public void Single_step_trials_get_a_note_instead_of_an_intermediate_chart()
    {
        var (full, space) = Example();
        // What NopPruner gives: each trial reports once, at the end (step 5000).
        var trials = full.Trials.Select(t => t with { IntermediateValues = t.Value is { } v ? [new IntermediateValue(5000, v)] : [] }).ToList();
        var study = new StudyResult(full.Directory, full.Study, trials);
        var report = StudyReportWriter.Build(study, space, "single", null);
        report.Charts.Select(c => c.FileKey).Should().NotContain("intermediate");
        report.Html.Should().Contain("Each trial reported a single intermediate value (at step 5,000), so there are no learning curves to draw");
        // With curves, the chart is drawn.
        StudyReportWriter.Build(full, space, "curves", null).Charts.Select(c => c.FileKey).Should().Contain("intermediate");
    }

    [Fact]
    public void The_objective_is_named_in_the_summary_and_on_the_value_axes()
    {
        var (study, space) = Example();
        var html = StudyReportWriter.Render(study, space, objective: "mean test return (CartPole-v1, last evaluation)");
        html.Should().Contain("<strong>Objective</strong> (maximized): mean test return (CartPole-v1, last evaluation).");
        Svg(html, "history").Should().Contain(">mean test return (CartPole-v1, last evaluation)</text>");
        StudyReportWriter.Render(study, space).Should().Contain("the study did not say what it measures");
    }

    [Fact]
    public void Importance_ranks_the_hyperparameter_the_objective_depends_on_first()
    {
        // Example(): the value is a bump in log10(lr), scaled by 0.8 unless activation is tanh, plus noise.
        var (study, space) = Example(count: 90);
        var importances = ParameterImportance.Compute(study, space);
        importances.Select(i => i.Name).Should().BeEquivalentTo(["lr", "batch_size", "gamma", "activation", "normalize"]);
        importances[0].Name.Should().Be("lr");
        importances[0].Importance.Should().BeGreaterThan(0.5);
        importances.Sum(i => i.Importance).Should().BeApproximately(1, 1e-9);
        importances.Single(i => i.Name == "batch_size").Importance.Should().BeLessThan(0.15, "batch_size does not enter the objective");

        // A categorical that decides everything takes all the importance.
        var trials = Enumerable.Range(0, 12).Select(n => Trial(n, TrialState.Complete, n % 3 * 10.0,
            new Configuration(new Dictionary<string, object> { ["a"] = (n % 3).ToString(CultureInfo.InvariantCulture), ["b"] = (double)(n % 4) }), [])).ToList();
        var decided = ParameterImportance.Compute(new StudyResult("/tmp/s", new StudyInfo("s", StudyDirection.Maximize, "x", T0), trials));
        decided[0].Should().Be(("a", 1.0));
        decided[1].Should().Be(("b", 0.0));
    }

    [Fact]
    public void Parallel_coordinates_draw_one_line_per_complete_trial_through_every_axis()
    {
        var (study, space) = Example();
        var svg = Svg(StudyReportWriter.Render(study, space), "parallel");
        var complete = StudyReportWriter.CompleteTrials(study).Count;
        Regex.Matches(svg, "<polyline class=\"(trial|best)\"").Count.Should().Be(complete);
        Regex.Matches(svg, "<polyline class=\"best\"").Count.Should().Be(1);
        // Six axes (five hyperparameters and the objective), so six points per line.
        var best = Regex.Match(svg, "<polyline class=\"best\" points=\"([^\"]*)\"").Groups[1].Value.Split(' ');
        best.Should().HaveCount(6);
        // The best trial's objective point is the top of the objective axis (maximize).
        var lastY = double.Parse(best[^1].Split(',')[1], CultureInfo.InvariantCulture);
        var trialYs = Regex.Matches(svg, "<polyline class=\"trial\" points=\"([^\"]*)\"").Select(m => double.Parse(m.Groups[1].Value.Split(' ')[^1].Split(',')[1], CultureInfo.InvariantCulture));
        trialYs.Should().OnlyContain(y => y >= lastY);
    }

    [ChromiumFact]
    public void Study_report_renders_in_headless_chromium()
    {
        var dir = Directory.CreateTempSubdirectory("rlexp-study-shot-");
        try
        {
            var (study, space) = Example();
            var html = Path.Combine(dir.FullName, "study.html");
            var png = Path.Combine(dir.FullName, "study.png");
            StudyReportWriter.Write(study, html, space, title: "PPO on CartPole-v1: hyperparameter study");
            ChromiumFactAttribute.Screenshot(html, png, Path.Combine(dir.FullName, "profile"), 1280, 2400);

            // Keeping an example: RLEXP_STUDY_REPORT_EXAMPLE_DIR=/some/dir.
            if (Environment.GetEnvironmentVariable("RLEXP_STUDY_REPORT_EXAMPLE_DIR") is { Length: > 0 } keep)
            {
                Directory.CreateDirectory(keep);
                foreach (var file in Directory.GetFiles(dir.FullName, "study*"))
                    File.Copy(file, Path.Combine(keep, Path.GetFileName(file)), overwrite: true);
            }

            var image = Png.Decode(File.ReadAllBytes(png));
            image.Width.Should().Be(1280);
            image.Height.Should().Be(2400);
            int nonWhite = 0, blue = 0, vermillion = 0;
            for (var y = 0; y < image.Height; y++)
            for (var x = 0; x < image.Width; x++)
            {
                var (r, g, b, _) = image[x, y];
                if (r < 235 || g < 235 || b < 235)
                    nonWhite++;
                if (Near(r, g, b, 0x00, 0x72, 0xB2))
                    blue++;
                if (Near(r, g, b, 0xD5, 0x5E, 0x00))
                    vermillion++;
            }
            ((double)nonWhite / (image.Width * image.Height)).Should().BeGreaterThan(0.02, "text, grid lines, dots and lines are drawn");
            blue.Should().BeGreaterThan(500, "the complete trials' dots in the history are Okabe-Ito blue");
            vermillion.Should().BeGreaterThan(200, "the best-so-far line and the best trial are vermillion");

        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [ChromiumFact]
    public void A_wide_study_fits_1280_px_and_shows_importance_and_parallel_coordinates_in_chromium()
    {
        var dir = Directory.CreateTempSubdirectory("rlexp-study-wide-");
        try
        {
            // The example plus seven more hyperparameters with long names: twelve columns and an error column.
            var (example, space) = Example();
            var rng = new Rng(11);
            var trials = example.Trials.Select(t => t with
            {
                Configuration = new Configuration(t.Configuration.Concat(Enumerable.Range(1, 7)
                    .Select(k => P($"policy_kwargs.net_arch_layer_{k}_width", Math.Round(rng.Uniform(16, 1024), 3))))),
            }).ToList();
            var study = new StudyResult(example.Directory, example.Study, trials);
            var html = Path.Combine(dir.FullName, "study.html");
            StudyReportWriter.Write(study, html, space, writeSvgFiles: false, title: "A wide study", objective: "mean test return (last evaluation)");

            // Measured in the browser: nothing on the page scrolls sideways at 1280 px.
            var probe = Path.Combine(dir.FullName, "probe.html");
            File.WriteAllText(probe, File.ReadAllText(html).Replace("</body>",
                "<script>document.body.setAttribute('data-overflow', [document.documentElement, ...document.querySelectorAll('.scroll, table')]" +
                ".map(e => e.scrollWidth - e.clientWidth).reduce((a, b) => Math.max(a, b), 0));</script></body>"));
            var dom = DumpDom(probe, Path.Combine(dir.FullName, "profile-dom"));
            var overflow = Regex.Match(dom, "data-overflow=\"(-?\\d+)\"");
            overflow.Success.Should().BeTrue("the probe script ran in Chromium");
            int.Parse(overflow.Groups[1].Value, CultureInfo.InvariantCulture).Should().BeLessThanOrEqualTo(0, "the trial table fits the page at 1280 px");

            var png = Path.Combine(dir.FullName, "study.png");
            ChromiumFactAttribute.Screenshot(html, png, Path.Combine(dir.FullName, "profile"), 1280, 3400);
            if (Environment.GetEnvironmentVariable("RLEXP_STUDY_WIDE_SCREENSHOT") is { Length: > 0 } keep)
                File.Copy(png, keep, overwrite: true);
            var image = Png.Decode(File.ReadAllBytes(png));
            int darkBlue = 0, bars = 0;
            for (var y = 0; y < image.Height; y++)
            for (var x = 0; x < image.Width; x++)
            {
                var (r, g, b, _) = image[x, y];
                if (r < 100 && g < 125 && b is >= 120 and <= 172 && b > r + 40) darkBlue++; // navy: the better trials' lines, not Okabe-Ito blue (0, 114, 178)
                if (Near(r, g, b, 0x00, 0x72, 0xB2)) bars++;
            }
            darkBlue.Should().BeGreaterThan(1000, "the parallel-coordinates plot draws the better trials in navy");
            bars.Should().BeGreaterThan(1000, "the importance bars and the history's dots are blue");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>The DOM after scripts ran, from headless Chromium at 1280 px.</summary>
    private static string DumpDom(string html, string profile)
    {
        var start = new System.Diagnostics.ProcessStartInfo(ChromiumFactAttribute.Executable!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--hide-scrollbars", $"--user-data-dir={profile}", "--window-size=1280,2000", "--virtual-time-budget=3000", "--dump-dom", "file://" + html })
            start.ArgumentList.Add(arg);
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("Chromium did not dump the DOM within 120 s.");
        }
        _ = stderr.Result;
        return stdout.Result;
    }

    private static bool Near(byte r, byte g, byte b, int er, int eg, int eb) =>
        Math.Abs(r - er) <= 12 && Math.Abs(g - eg) <= 12 && Math.Abs(b - eb) <= 12;

    private sealed class ListLogger(List<string> lines) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) => lines.Add(formatter(state, exception));
    }
}
