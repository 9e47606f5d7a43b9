using RlExperiments.Core;
using RlExperiments.Evaluation.Reporting;

namespace RlExperiments.Evaluation.Tests.Reporting;

/// <summary>A realistic synthetic comparison: PPO and DQN on a CartPole-like task, 5 seeds each, noisy learning curves.</summary>
internal static class ExampleReport
{
    public static ReportData Create()
    {
        var rng = new Rng(20251121);
        return new ReportData
        {
            Title = "PPO vs DQN on CartPole-v1",
            Description = "Synthetic example data: two algorithms, five seeds each, evaluated every 10,000 environment steps with 10 test episodes.",
            RewardThreshold = 475,
            Metadata =
            [
                new("environment", "CartPole-v1"),
                new("budget", "200,000 steps per run"),
                new("evaluation", "10 episodes every 10k steps"),
                new("seeds", "0–4"),
            ],
            CreatedAt = new DateTimeOffset(2025, 11, 21, 12, 0, 0, TimeSpan.Zero),
            Groups =
            [
                Group("PPO", rng.SpawnOne(), midpoints: [55_000, 62_000, 70_000, 48_000, 90_000], plateaus: [500, 500, 498, 500, 470], noise: 25),
                Group("DQN", rng.SpawnOne(), midpoints: [80_000, 95_000, 70_000, 120_000, 105_000], plateaus: [470, 420, 500, 160, 455], noise: 45),
            ],
        };
    }

    private static ReportGroup Group(string name, Rng rng, double[] midpoints, double[] plateaus, double noise)
    {
        var runs = new List<ReportRun>();
        for (var seed = 0; seed < midpoints.Length; seed++)
        {
            var curve = new List<LearningCurvePoint>();
            for (long step = 0; step <= 200_000; step += 10_000)
            {
                var progress = 1 / (1 + Math.Exp(-(step - midpoints[seed]) / 14_000.0));
                var value = 9.4 + (plateaus[seed] - 9.4) * progress + rng.Normal(0, noise * Math.Sqrt(progress * (1 - progress) + 0.05));
                curve.Add(new LearningCurvePoint(step, Math.Clamp(value, 8, 500)));
            }
            runs.Add(new ReportRun(seed, curve, curve[^1].TestReturn));
        }
        return new ReportGroup(name, runs);
    }
}
