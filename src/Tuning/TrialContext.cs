namespace RlExperiments.Tuning;

/// <summary>What an objective gets for one trial (Optuna's <c>Trial</c>, with the configuration already suggested).</summary>
public sealed class TrialContext
{
    private readonly IStudyStorage _storage;
    private readonly IPruner _pruner;
    private readonly StudyDirection _direction;

    internal TrialContext(int number, Configuration configuration, IReadOnlyList<int> seeds, CancellationToken cancellationToken,
        IStudyStorage storage, IPruner pruner, StudyDirection direction)
    {
        Number = number; Configuration = configuration; Seeds = seeds; CancellationToken = cancellationToken;
        _storage = storage; _pruner = pruner; _direction = direction;
    }

    /// <summary>The trial number.</summary>
    public int Number { get; }

    /// <summary>The configuration to evaluate.</summary>
    public Configuration Configuration { get; }

    /// <summary>
    /// <see cref="HyperparameterOptimizerOptions.NFit"/> seeds, one per fit (train one agent per seed and return the
    /// mean), derived from <see cref="HyperparameterOptimizerOptions.Seed"/> and the trial number (a re-queued trial
    /// keeps the seeds of the trial it re-runs).
    /// </summary>
    public IReadOnlyList<int> Seeds { get; }

    /// <summary>Cancelled when the study's <see cref="HyperparameterOptimizerOptions.Timeout"/> passes: stop and return (or throw <see cref="OperationCanceledException"/>).</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Records an intermediate value at a step (e.g. the evaluation return after that many environment steps).</summary>
    /// <param name="step">Step (≥ 0), in whatever unit the objective uses consistently.</param>
    /// <param name="value">Value.</param>
    public void Report(long step, double value)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, $"step = {step} is invalid; allowed: an integer ≥ 0.");
        _storage.ReportIntermediateValue(Number, step, value);
    }

    /// <summary>Whether the pruner says this trial should stop now; if so, throw <see cref="TrialPrunedException"/>.</summary>
    public bool ShouldPrune()
    {
        var trials = _storage.GetTrials();
        var self = trials.FirstOrDefault(t => t.Number == Number) ?? _storage.GetTrial(Number);
        return _pruner.ShouldPrune(_direction, self, trials);
    }
}
