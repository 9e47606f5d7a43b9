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

    /// <summary>
    /// Trainer callbacks writing each epoch's test return as a curve point of <paramref name="name"/>, with
    /// <paramref name="step"/> as the step callback; null when there is neither.
    /// </summary>
    public static TrainerCallbacks? Callbacks(string name, int seed, IStepCallback? step)
    {
        if (Interval <= 0) return step is null ? null : new TrainerCallbacks { Step = step };
        return new TrainerCallbacks
        {
            Step = step,
            OnEpochEnd = e =>
            {
                Console.Error.WriteLine(JsonSerializer.Serialize(new
                {
                    curve = name, seed, step = e.EnvSteps, test_return = Math.Round(e.TestReturnMean, 2),
                    train_return = double.IsNaN(e.TrainReturnMean) ? (double?)null : Math.Round(e.TrainReturnMean, 2),
                }));
            },
        };
    }
}
