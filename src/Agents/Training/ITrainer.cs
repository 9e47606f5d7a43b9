namespace RlExperiments.Agents.Training;

/// <summary>
/// A training loop (<see cref="OffPolicyTrainer"/>, <see cref="OnPolicyTrainer"/>): runs its epochs once, and can be
/// checkpointed and resumed through its counters. Experiments, AutoRL and callbacks use only this, so they work for
/// every algorithm.
/// </summary>
public interface ITrainer
{
    /// <summary>Runs all epochs (or until the stop callback says so) and returns the outcome. Can be called once.</summary>
    TrainerResult Run();

    /// <summary>The counters now (call at the end of an epoch, e.g. from <see cref="TrainerCallbacks.OnEpochEnd"/>).</summary>
    TrainerState GetState();

    /// <summary>Continue after <paramref name="state"/>'s epoch when run (the caller restores the agent and environments).</summary>
    void Resume(TrainerState state);

    /// <summary>
    /// Makes the run a new segment on top of <paramref name="state"/>'s counters instead of a fresh start: environment
    /// and gradient steps continue from the state, the environments are not reset (they keep running, or the caller
    /// restores them), epochs count from 1 again and epoch e ends at <c>state.EnvSteps + e · EpochNumSteps</c>. This is how
    /// an AutoRL step trains its budget with a new configuration and the carried-over agent.
    /// </summary>
    void ContinueFrom(TrainerState state);

    /// <summary>
    /// The environment steps, counted from the very start, over which the schedules anneal (ε, PER β, learning-rate and
    /// other annealed schedules). Default: null, meaning the run's own end (<see cref="TrainerConfig.TotalSteps"/>, after the
    /// steps of a <see cref="ContinueFrom"/> state). Set it before running; it must not end before the run does.
    /// </summary>
    long? ScheduleTotalSteps { get; set; }

    /// <summary>Environment steps taken (summed over the training environments).</summary>
    long EnvSteps { get; }

    /// <summary>Gradient updates applied.</summary>
    long GradientSteps { get; }

    /// <summary>Wall-clock time spent in test phases so far (included in <see cref="TrainerResult.WallTime"/>).</summary>
    TimeSpan TestTime { get; }
}
