using System.Globalization;

namespace RlExperiments.Tuning;

/// <summary>Argument checks and messages shared by the storages.</summary>
internal static class StudyStorageChecks
{
    /// <summary>Trials that count toward NTrials: everything but waiting trials and stale trials that were re-queued (their re-run counts instead).</summary>
    public static int Counted(IReadOnlyList<StudyTrial> trials)
    {
        var requeued = trials.Where(t => t.RequeuedFrom is not null).Select(t => t.RequeuedFrom!.Value).ToHashSet();
        return trials.Count(t => t.State != TrialState.Waiting && !(t.State == TrialState.Failed && requeued.Contains(t.Number)));
    }

    public static void Claim(int nTrials, Func<IReadOnlyList<StudyTrial>, Configuration> suggest, string sessionId)
    {
        if (nTrials < 1) throw new ArgumentOutOfRangeException(nameof(nTrials), nTrials, $"nTrials = {nTrials} is invalid; allowed: an integer ≥ 1.");
        ArgumentNullException.ThrowIfNull(suggest);
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
    }

    public static void Attribute(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
    }

    public static void NewTrial(TrialState state, string? sessionId)
    {
        if (state is not (TrialState.Running or TrialState.Waiting))
            throw new ArgumentOutOfRangeException(nameof(state), state, $"A new trial's state = {state} is invalid; allowed: Running, Waiting.");
        if (state == TrialState.Running && string.IsNullOrEmpty(sessionId))
            throw new ArgumentException("A running trial needs the session id of the process running it.", nameof(sessionId));
    }

    public static void Finish(TrialState state)
    {
        if (state is not (TrialState.Complete or TrialState.Pruned or TrialState.Failed))
            throw new ArgumentOutOfRangeException(nameof(state), state, $"A finished trial's state = {state} is invalid; allowed: Complete, Pruned, Failed.");
    }

    /// <summary>The error of a trial whose session's process is gone.</summary>
    public static string ProcessGoneMessage(string? sessionId, string owner) =>
        $"stale: left running by session {sessionId ?? "(none)"}, whose {owner} is no longer running; the configuration was re-queued";

    /// <summary>Why a running trial is stale, or null: its heartbeat is older than <paramref name="staleBeforeUtc"/>, or its session's process on this machine is gone.</summary>
    public static string? StaleReason(StudyTrial trial, DateTime staleBeforeUtc)
    {
        var beat = trial.HeartbeatUtc ?? trial.StartedUtc ?? DateTime.MinValue;
        if (beat < staleBeforeUtc) return StaleMessage(trial.SessionId, beat);
        return SessionOwner.ProcessIsGone(trial.SessionId, out var owner) ? ProcessGoneMessage(trial.SessionId, owner) : null;
    }

    /// <summary>The error of a trial whose session stopped sending heartbeats.</summary>
    public static string StaleMessage(string? sessionId, DateTime lastBeatUtc) =>
        $"stale: left running by session {sessionId ?? "(none)"} whose last heartbeat was at {lastBeatUtc.ToString("O", CultureInfo.InvariantCulture)}; "
        + "the process presumably crashed, the configuration was re-queued";
}
