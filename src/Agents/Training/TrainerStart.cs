namespace RlExperiments.Agents.Training;

/// <summary>
/// How a trainer's single run starts, used by <see cref="Trainer"/>: fresh,
/// resumed after a checkpoint's epoch (<see cref="ITrainer.Resume"/>), or as a new segment on top of a state
/// (<see cref="ITrainer.ContinueFrom"/>), and over how many environment steps the schedules anneal.
/// </summary>
internal sealed class TrainerStart
{
    private long? _scheduleTotal;

    /// <summary>Whether the run has started (a trainer runs once).</summary>
    public bool Ran { get; private set; }

    /// <summary>The state to continue from, or null for a fresh start.</summary>
    public TrainerState? State { get; private set; }

    /// <summary>Environment steps before this run's first epoch (epoch e ends at <c>StepOffset + e · EpochNumSteps</c>).</summary>
    public long StepOffset { get; private set; }

    /// <inheritdoc cref="ITrainer.Resume"/>
    public void Resume(TrainerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ThrowIfRan();
        State = state;
        StepOffset = 0;
    }

    /// <inheritdoc cref="ITrainer.ContinueFrom"/>
    public void ContinueFrom(TrainerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ThrowIfRan();
        State = state with { Epoch = 0 };
        StepOffset = state.EnvSteps;
    }

    /// <inheritdoc cref="ITrainer.ScheduleTotalSteps"/>
    public long? ScheduleTotalSteps
    {
        get => _scheduleTotal;
        set
        {
            ThrowIfRan();
            if (value is < 1) throw new ArgumentOutOfRangeException(nameof(ScheduleTotalSteps), value, $"ScheduleTotalSteps = {value} is invalid; allowed: null or ≥ 1.");
            _scheduleTotal = value;
        }
    }

    /// <summary>Marks the run as started; throws when it already was.</summary>
    public void Begin()
    {
        if (Ran) throw new InvalidOperationException("This trainer has already run; create a new one (with a new agent) to train again.");
        Ran = true;
    }

    /// <summary>The schedules' total for a run of <paramref name="runSteps"/> environment steps, checked against the run's end.</summary>
    public long ScheduleTotal(long runSteps)
    {
        var end = StepOffset + runSteps;
        if (_scheduleTotal is { } planned && planned < end)
            throw new InvalidOperationException($"ScheduleTotalSteps = {planned} ends before this run does (at {end} environment steps); allowed: null or ≥ {end}.");
        return _scheduleTotal ?? end;
    }

    private void ThrowIfRan()
    {
        if (Ran) throw new InvalidOperationException("This trainer has already run.");
    }
}
