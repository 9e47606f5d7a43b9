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
    /// With <c>--best</c>: the final evaluation uses the policy networks of the best curve point instead of the last
    /// ones, as rl-baselines3-zoo's <c>EvalCallback</c> keeps <c>best_model.zip</c> and Tianshou's trainer
    /// <c>save_best_fn</c>. Off by default (the rows report the final policy).
    /// </summary>
    public static bool SelectBest { get; set; }

    /// <summary>
    /// Trainer callbacks writing each epoch's test return as a curve point of <paramref name="name"/> (and, with
    /// <see cref="SelectBest"/>, copying the agent's policy networks into <paramref name="best"/> at a new best), or
    /// null without curves.
    /// </summary>
    public static TrainerCallbacks? Callbacks(string name, int seed, IAgent agent, Dictionary<string, Dictionary<string, Tensors.Tensor>> best)
    {
        if (Interval <= 0) return null;
        var bestReturn = double.NegativeInfinity;
        return new TrainerCallbacks
        {
            OnEpochEnd = e =>
            {
                Console.Error.WriteLine(JsonSerializer.Serialize(new
                {
                    curve = name, seed, step = e.EnvSteps, test_return = Math.Round(e.TestReturnMean, 2),
                    train_return = double.IsNaN(e.TrainReturnMean) ? (double?)null : Math.Round(e.TrainReturnMean, 2),
                }));
                if (!SelectBest || !(e.TestReturnMean > bestReturn)) return;
                bestReturn = e.TestReturnMean;
                foreach (var (key, module) in agent.Networks)
                    best[key] = module.StateDict().ToDictionary(p => p.Key, p => p.Value.Clone(), StringComparer.Ordinal);
            },
        };
    }
}
