using RlExperiments.Environments;
using RlExperiments.Experiments.Builders;
using RlExperiments.Experiments.Collections;
using RlExperiments.Factories;
using RlExperiments.Rendering.Tests;

namespace RlExperiments.Experiments.Tests.Experiment;

/// <summary>ExperimentConfig.WatchRender: the first watch episode becomes watch.gif, which the run's and the collection's reports show.</summary>
public sealed class WatchVideoTests
{
    [Fact]
    public void WatchRender_writes_the_first_watch_episode_as_an_animated_gif()
    {
        using var tmp = new TempDir();
        using var result = Tiny.Dqn(tmp.Path, config: Tiny.Config(tmp.Path) with { WatchRender = 0.02 }).Build().Run();

        result.WatchVideoPath.Should().Be(Path.Combine(result.Directory!, "watch.gif"));
        var gif = GifFile.Read(result.WatchVideoPath!);
        gif.Width.Should().Be(600);
        gif.Height.Should().Be(400);
        var length = result.WatchResult!.Lengths[0];
        gif.Frames.Should().HaveCount(length + 1, "the reset frame and one per step of the first watch episode");
        gif.DelaysMs.Should().AllBeEquivalentTo(20);
        var changed = Enumerable.Range(1, gif.Frames.Count - 1).Count(k => !gif.Frames[k].AsSpan().SequenceEqual(gif.Frames[k - 1]));
        changed.Should().BeGreaterThan((gif.Frames.Count - 1) * 8 / 10, "the cart and pole move between frames");
        gif.Frames[^1].Should().NotEqual(gif.Frames[0]);
        Directory.GetFiles(result.Directory!, ".*.tmp").Should().BeEmpty();
    }

    [Fact]
    public void Without_WatchRender_no_video_is_written_and_the_watch_returns_are_the_same()
    {
        using var tmp = new TempDir();
        using var plain = Tiny.Dqn(tmp.Path).WithName("plain").Build().Run();
        using var filmed = Tiny.Dqn(tmp.Path, config: Tiny.Config(tmp.Path) with { WatchRender = 0.05 }).WithName("filmed").Build().Run();
        plain.WatchVideoPath.Should().BeNull();
        File.Exists(Path.Combine(plain.Directory!, "watch.gif")).Should().BeFalse();
        filmed.WatchResult!.Returns.Should().Equal(plain.WatchResult!.Returns, "recording only draws; it changes nothing the agent sees");
        filmed.Summary.BestTestReturn.Should().Be(plain.Summary.BestTestReturn);
        GifFile.Read(filmed.WatchVideoPath!).DelaysMs.Should().AllBeEquivalentTo(50);
    }

    [Fact]
    public void WatchRender_is_validated_naming_the_field()
    {
        using var tmp = new TempDir();
        FluentActions.Invoking(() => Tiny.Dqn(tmp.Path, config: Tiny.Config(tmp.Path) with { WatchRender = -0.1 }).Build())
            .Should().Throw<ArgumentException>().WithMessage("*ExperimentConfig.WatchRender*-0.1*");
        FluentActions.Invoking(() => Tiny.Dqn(tmp.Path, config: Tiny.Config(tmp.Path) with { WatchRender = 0.02, Watch = false }).Build())
            .Should().Throw<ArgumentException>().WithMessage("*WatchRender = 0.02*Watch is false*");
        FluentActions.Invoking(() => Tiny.Dqn(tmp.Path, config: Tiny.Config(tmp.Path) with { WatchRender = 0.02, PersistenceEnabled = false }).Build())
            .Should().Throw<ArgumentException>().WithMessage("*WatchRender = 0.02*PersistenceEnabled is false*");
        Directory.GetFileSystemEntries(tmp.Path).Should().BeEmpty();
    }

    [Fact]
    public void An_environment_without_a_renderer_is_refused_before_anything_is_written()
    {
        using var tmp = new TempDir();
        var registry = new EnvRegistry();
        registry.Register("Blind-v0", _ => new Blind(), maxEpisodeSteps: 20);
        var services = new ExperimentServices(registry, logging: Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var env = new EnvFactory { EnvId = "Blind-v0" };
        var experiment = new Algorithms.Dqn.DQNExperimentBuilder(env, Tiny.Config(tmp.Path) with { WatchRender = 0.02 }, Tiny.DqnSampling())
            .WithModelFactoryDefault([8]).WithServices(services).WithName("blind").Build();
        FluentActions.Invoking(() => experiment.Run()).Should().Throw<NotSupportedException>()
            .WithMessage("*WatchRender = 0.02*Blind-v0*no renderer is registered for Blind*EnvRendering.Register*");
        Directory.Exists(Path.Combine(tmp.Path, "blind")).Should().BeFalse("a refused run writes nothing");
    }

    [ChromiumFact]
    public void The_run_report_and_the_collection_report_show_the_watch_video()
    {
        using var tmp = new TempDir();
        using var result = Tiny.Dqn(tmp.Path, config: Tiny.Config(tmp.Path) with { WatchRender = 0.02 }).Build().Run();
        var report = result.WriteReport();
        report.Should().Be(Path.Combine(result.Directory!, "report.html"));
        var html = File.ReadAllText(report);
        html.Should().Contain("<section id=\"watch\">").And.Contain("data:image/gif;base64,")
            .And.Contain(Convert.ToBase64String(File.ReadAllBytes(result.WatchVideoPath!)), "the GIF is embedded, so the page stays one file");

        var png = Path.Combine(tmp.Path, "run-report.png");
        ChromiumFactAttribute.Screenshot(report, png, Path.Combine(tmp.Path, "profile"), 1280, 1500);
        var image = Png.Decode(File.ReadAllBytes(png));
        // The cart (black), the pole (Gymnasium's brown) and the axle (its blue) are on the page.
        Count(image, 202, 152, 101).Should().BeGreaterThan(300, "the pole of the watch video is drawn");
        Count(image, 129, 132, 203).Should().BeGreaterThan(20, "the axle is drawn");
        if (Environment.GetEnvironmentVariable("RLEXP_WATCH_SCREENSHOT") is { Length: > 0 } keep) File.Copy(png, keep, overwrite: true);

        var collection = Tiny.Dqn(tmp.Path, config: Tiny.Config(tmp.Path) with { WatchRender = 0.02 }).WithName("films").BuildSeededCollection(2);
        collection.Run();
        collection.WriteReport();
        var collectionHtml = File.ReadAllText(Path.Combine(collection.Directory, "report.html"));
        foreach (var seed in collection.Seeds)
            collectionHtml.Should().Contain($"DQN, seed {seed}");
        CountOccurrences(collectionHtml, "data:image/gif;base64,").Should().Be(2, "one video per seed");
    }

    private static int Count(Png image, int r, int g, int b)
    {
        var n = 0;
        for (var y = 0; y < image.Height; y++)
        for (var x = 0; x < image.Width; x++)
        {
            var p = image[x, y];
            if (Math.Abs(p.R - r) <= 6 && Math.Abs(p.G - g) <= 6 && Math.Abs(p.B - b) <= 6) n++;
        }
        return n;
    }

    private static int CountOccurrences(string text, string value)
    {
        var n = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }

    private sealed class Blind : Environments.ClassicControl.ClassicControlEnv
    {
        public Blind() : base(new Environments.Spaces.Box([-1f], [1f]), new Environments.Spaces.Discrete(2)) { }
        public override int StateSize => 1;
        protected override void ResetState(Core.Rng rng, IReadOnlyDictionary<string, object?>? options) { }
        protected override void WriteObservation(Span<float> observation) => observation[0] = 0;
        protected override void GetState(Span<double> destination) => destination[0] = 0;
        protected override void SetState(ReadOnlySpan<double> source) { }
        protected override StepResult StepCore(int action, Span<float> observation)
        {
            observation[0] = 0;
            return new StepResult(action, false, false);
        }
    }
}
