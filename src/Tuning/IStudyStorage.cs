namespace RlExperiments.Tuning;

/// <summary>
/// Where a study's trials live (Optuna's storage). One storage object holds one study (a PostgreSQL database holds many,
/// and its storage object is bound to one of them by name). Implementations are safe to call from several threads at
/// once; every method is atomic, also across processes sharing the storage (a trial number is never handed out twice, a
/// waiting trial is started once). <see cref="StudyStorageUrl"/> opens one from an Optuna-style URL.
/// </summary>
public interface IStudyStorage : IDisposable
{
    /// <summary>The stored study, or null when none was created yet.</summary>
    StudyInfo? GetStudy();

    /// <summary>Records the study; throws <see cref="InvalidOperationException"/> when the storage already holds one.</summary>
    /// <param name="study">The study.</param>
    void CreateStudy(StudyInfo study);

    /// <summary>Adds a trial with the next number and returns that number.</summary>
    /// <param name="configuration">The configuration.</param>
    /// <param name="state"><see cref="TrialState.Running"/> (started now by <paramref name="sessionId"/>) or <see cref="TrialState.Waiting"/>.</param>
    /// <param name="sessionId">Session running it (required for running trials).</param>
    /// <param name="requeuedFrom">Number of the stale trial it re-runs, if any.</param>
    /// <param name="nowUtc">Current time (start and heartbeat of a running trial).</param>
    int CreateTrial(Configuration configuration, TrialState state, string? sessionId, int? requeuedFrom, DateTime nowUtc);

    /// <summary>Starts the waiting trial with the lowest number (marks it running by <paramref name="sessionId"/>); null when none waits.</summary>
    /// <param name="sessionId">Session that runs it.</param>
    /// <param name="nowUtc">Current time.</param>
    StudyTrial? StartNextWaitingTrial(string sessionId, DateTime nowUtc);

    /// <summary>
    /// The one way workers take work, atomic across threads, processes and machines: when fewer than
    /// <paramref name="nTrials"/> trials count (<see cref="StudyStorageChecks.Counted"/>: all but waiting trials and
    /// stale trials that were re-queued), starts the waiting trial with the lowest number, or else creates a running trial
    /// with the configuration <paramref name="suggest"/> returns given all trials (without intermediate values). Returns
    /// the started trial, or null when the study already has <paramref name="nTrials"/> counted trials; so concurrent
    /// workers never overshoot <paramref name="nTrials"/>. An exception from <paramref name="suggest"/> changes nothing.
    /// </summary>
    /// <param name="nTrials">The study's total number of trials.</param>
    /// <param name="suggest">The sampler: called at most once, inside the claim, with every trial of the study.</param>
    /// <param name="sessionId">Session that runs the claimed trial.</param>
    /// <param name="nowUtc">Current time.</param>
    StudyTrial? ClaimTrial(int nTrials, Func<IReadOnlyList<StudyTrial>, Configuration> suggest, string sessionId, DateTime nowUtc);

    /// <summary>The study's user attributes (Optuna's <c>user_attrs</c>), e.g. what the command line needs to join it as a worker.</summary>
    IReadOnlyDictionary<string, string> GetUserAttributes();

    /// <summary>Sets one user attribute of the study (which must exist); a later value replaces an earlier one.</summary>
    /// <param name="key">Attribute name.</param>
    /// <param name="value">Attribute value.</param>
    void SetUserAttribute(string key, string value);

    /// <summary>
    /// Finishes a running trial. Returns false (and changes nothing) when the trial is no longer running, e.g. because
    /// another process declared it stale.
    /// </summary>
    /// <param name="number">Trial number.</param>
    /// <param name="state"><see cref="TrialState.Complete"/>, <see cref="TrialState.Pruned"/> or <see cref="TrialState.Failed"/>.</param>
    /// <param name="value">Objective value (complete) or last intermediate value (pruned).</param>
    /// <param name="error">Failure message.</param>
    /// <param name="nowUtc">Completion time.</param>
    bool FinishTrial(int number, TrialState state, double? value, string? error, DateTime nowUtc);

    /// <summary>Records an intermediate value; a second report at the same step is ignored (as in Optuna).</summary>
    /// <param name="number">Trial number.</param>
    /// <param name="step">Step.</param>
    /// <param name="value">Value (NaN allowed).</param>
    void ReportIntermediateValue(int number, long step, double value);

    /// <summary>Refreshes the heartbeat of running trials.</summary>
    /// <param name="numbers">Trial numbers.</param>
    /// <param name="nowUtc">Current time.</param>
    void Heartbeat(IReadOnlyCollection<int> numbers, DateTime nowUtc);

    /// <summary>
    /// In one transaction: marks every running trial of another session for which <paramref name="staleReason"/> gives a
    /// reason as failed with that reason as its error (it should start with "stale: "), and adds a waiting trial with the
    /// same configuration and <see cref="StudyTrial.RequeuedFrom"/> set. Returns the new waiting trials.
    /// </summary>
    /// <param name="staleReason">Why a running trial of another session is stale (its heartbeat is too old, its process is gone), or null when it is alive.</param>
    /// <param name="sessionId">The calling session (its own trials are never stale).</param>
    /// <param name="nowUtc">Current time.</param>
    IReadOnlyList<StudyTrial> RequeueStaleTrials(Func<StudyTrial, string?> staleReason, string sessionId, DateTime nowUtc);

    /// <summary>All trials ordered by number, with their intermediate values.</summary>
    IReadOnlyList<StudyTrial> GetTrials();

    /// <summary>One trial with its intermediate values; throws <see cref="KeyNotFoundException"/> when there is none with that number.</summary>
    /// <param name="number">Trial number.</param>
    StudyTrial GetTrial(int number);
}
