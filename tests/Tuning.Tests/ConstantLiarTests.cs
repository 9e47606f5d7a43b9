using RlExperiments.Tuning;

namespace RlExperiments.Tuning.Tests;

/// <summary>
/// The constant liar through the real optimizer: trials claimed through the study storage by eight worker threads at
/// once see each other's running trials, and the liar spreads their suggestions.
/// </summary>
public sealed class ConstantLiarTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// Ten sequential trials, then eight workers (threads) that each claim a trial and hold it until all eight are
    /// running, so every claim after the first is made while the earlier ones still run. Returns the eight x values.
    /// </summary>
    private List<double> EightAtOnce(string name, bool liar, int seed)
    {
        var space = HyperparameterOptimizerTests.Quadratic();
        var options = new HyperparameterOptimizerOptions
        {
            StudyDirectory = _dir.Combine(name),
            Direction = StudyDirection.Minimize,
            NTrials = 10,
            Seed = seed,
            Tpe = new TpeSamplerOptions { ConstantLiar = liar },
        };
        new HyperparameterOptimizer(options).Optimize(space, t => HyperparameterOptimizerTests.F(t.Configuration));
        using var allRunning = new CountdownEvent(8);
        var result = new HyperparameterOptimizer(options with { NTrials = 18, NJobs = 8, ContinuePrevious = true }).Optimize(space, t =>
        {
            allRunning.Signal();
            allRunning.Wait(TimeSpan.FromSeconds(60)).Should().BeTrue("all eight workers claim a trial");
            return HyperparameterOptimizerTests.F(t.Configuration);
        });
        result.Trials.Should().HaveCount(18);
        return result.Trials.Skip(10).Select(t => t.Configuration.GetDouble("x")).ToList();
    }

    [Fact]
    public void Eight_workers_suggesting_at_once_spread_out_with_the_liar()
    {
        static double Spread(List<double> v) { double m = v.Average(); return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / v.Count); }
        var without = new List<double>();
        var with = new List<double>();
        for (int seed = 1; seed <= 4; seed++)
        {
            without.Add(Spread(EightAtOnce($"plain{seed}", false, seed)));
            with.Add(Spread(EightAtOnce($"liar{seed}", true, seed)));
        }
        var report = $"standard deviation of the eight workers' x without the liar {string.Join(", ", without.Select(v => v.ToString("F2")))}; with {string.Join(", ", with.Select(v => v.ToString("F2")))}";
        with.Average().Should().BeGreaterThan(1.4 * without.Average(), report);
        with.Zip(without).Count(p => p.First > p.Second).Should().BeGreaterThanOrEqualTo(3, report);
    }
}
