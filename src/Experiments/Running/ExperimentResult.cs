using RlExperiments.Agents.Evaluation;
using RlExperiments.Agents.Training;

namespace RlExperiments.Experiments;

/// <summary>What <see cref="Experiment.Run"/> returns (Tianshou's <c>ExperimentResult</c>). Dispose it to release the environments.</summary>
public sealed class ExperimentResult : IDisposable
{
    internal ExperimentResult(World world, TrainerResult? trainerResult, double policyTestReturn, EvaluationResult? watch, RunSummary summary)
    {
        World = world;
        TrainerResult = trainerResult;
        PolicyTestReturn = policyTestReturn;
        WatchResult = watch;
        Summary = summary;
    }

    /// <summary>The live objects of the run.</summary>
    public World World { get; }

    /// <summary>The training outcome (best and last test return, steps, wall time, whether the stop callback fired), or null when the run did not train.</summary>
    public TrainerResult? TrainerResult { get; }

    /// <summary>
    /// The mean return of the policy the run ended with (the saved best policy) over the test episodes, deterministic, on
    /// test environments reset with the run's test seed; NaN without test episodes. Restoring the policy reproduces it.
    /// </summary>
    public double PolicyTestReturn { get; }

    /// <summary>The watch episodes, or null when the run did not watch.</summary>
    public EvaluationResult? WatchResult { get; }

    /// <summary>The summary written to result.json.</summary>
    public RunSummary Summary { get; }

    /// <summary>The run directory, or null without persistence.</summary>
    public string? Directory => World.PersistDirectory;

    /// <summary>Disposes the world.</summary>
    public void Dispose() => World.Dispose();
}
