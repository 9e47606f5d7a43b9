using System.Text.Json;
using RlExperiments.Agents.Training;

namespace RlExperiments.Agents.Benchmarks;

/// <summary>
/// Optional learning curves (<c>--curve N</c>): the off-policy rows then test 10 deterministic episodes every
/// <see cref="Interval"/> environment steps and write one JSON line per point to stderr.
/// </summary>
public static class LearningCurves
{
    /// <summary>Environment steps between curve points; 0 (the default) records no curve.</summary>
    public static int Interval { get; set; }

    /// <summary>Trainer callbacks writing each epoch's test return as a curve point of <paramref name="name"/>, or null without curves.</summary>
    public static TrainerCallbacks? Callbacks(string name, int seed) => Interval <= 0 ? null : new TrainerCallbacks
    {
        OnEpochEnd = e => Console.Error.WriteLine(JsonSerializer.Serialize(new
        {
            curve = name, seed, step = e.EnvSteps, test_return = Math.Round(e.TestReturnMean, 2),
            train_return = double.IsNaN(e.TrainReturnMean) ? (double?)null : Math.Round(e.TrainReturnMean, 2),
        })),
    };
}
