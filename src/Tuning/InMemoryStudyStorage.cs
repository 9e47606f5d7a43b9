namespace RlExperiments.Tuning;

/// <summary>A study storage in process memory (lost when the process ends); thread-safe through one lock.</summary>
public sealed class InMemoryStudyStorage : IStudyStorage
{
    private readonly object _gate = new();
    private readonly List<StudyTrial> _trials = new();
    private readonly List<SortedDictionary<long, double>> _values = new();
    private readonly Dictionary<string, string> _attributes = new();
    private StudyInfo? _study;

    /// <inheritdoc />
    public StudyInfo? GetStudy() { lock (_gate) return _study; }

    /// <inheritdoc />
    public void CreateStudy(StudyInfo study)
    {
        ArgumentNullException.ThrowIfNull(study);
        lock (_gate)
        {
            if (_study is not null) throw new InvalidOperationException($"The storage already holds study '{_study.Name}'.");
            _study = study;
        }
    }

    /// <inheritdoc />
    public int CreateTrial(Configuration configuration, TrialState state, string? sessionId, int? requeuedFrom, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        StudyStorageChecks.NewTrial(state, sessionId);
        lock (_gate)
        {
            int number = _trials.Count;
            bool running = state == TrialState.Running;
            _trials.Add(new StudyTrial(number, state, configuration, null, null, running ? nowUtc : null, null, running ? nowUtc : null,
                running ? sessionId : null, requeuedFrom, Array.Empty<IntermediateValue>()));
            _values.Add(new SortedDictionary<long, double>());
            return number;
        }
    }

    /// <inheritdoc />
    public StudyTrial? StartNextWaitingTrial(string sessionId, DateTime nowUtc)
    {
        lock (_gate)
        {
            var t = _trials.FirstOrDefault(t => t.State == TrialState.Waiting);
            if (t is null) return null;
            _trials[t.Number] = t with { State = TrialState.Running, StartedUtc = nowUtc, HeartbeatUtc = nowUtc, SessionId = sessionId };
            return Snapshot(t.Number);
        }
    }

    /// <inheritdoc />
    public StudyTrial? ClaimTrial(int nTrials, Func<IReadOnlyList<StudyTrial>, Configuration> suggest, string sessionId, DateTime nowUtc)
    {
        StudyStorageChecks.Claim(nTrials, suggest, sessionId);
        lock (_gate)
        {
            if (StudyStorageChecks.Counted(_trials) >= nTrials) return null;
            if (StartNextWaitingTrial(sessionId, nowUtc) is { } waiting) return waiting;
            // Pruned trials carry their reports: samplers rank them by the step they reached.
            var configuration = suggest(_trials.Select(t => t.State == TrialState.Pruned ? Snapshot(t.Number) : t).ToList());
            return Snapshot(CreateTrial(configuration, TrialState.Running, sessionId, null, nowUtc));
        }
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> GetUserAttributes()
    {
        lock (_gate) return new Dictionary<string, string>(_attributes);
    }

    /// <inheritdoc />
    public void SetUserAttribute(string key, string value)
    {
        StudyStorageChecks.Attribute(key, value);
        lock (_gate)
        {
            if (_study is null) throw new InvalidOperationException("The storage holds no study yet; create it before setting its attributes.");
            _attributes[key] = value;
        }
    }

    /// <inheritdoc />
    public bool FinishTrial(int number, TrialState state, double? value, string? error, DateTime nowUtc)
    {
        StudyStorageChecks.Finish(state);
        lock (_gate)
        {
            var t = Find(number);
            if (t.State != TrialState.Running) return false;
            _trials[number] = t with { State = state, Value = value, Error = error, CompletedUtc = nowUtc, HeartbeatUtc = nowUtc };
            return true;
        }
    }

    /// <inheritdoc />
    public void ReportIntermediateValue(int number, long step, double value)
    {
        lock (_gate)
        {
            Find(number);
            _values[number].TryAdd(step, value);
        }
    }

    /// <inheritdoc />
    public void Heartbeat(IReadOnlyCollection<int> numbers, DateTime nowUtc)
    {
        lock (_gate)
            foreach (var n in numbers)
                if (Find(n) is { State: TrialState.Running } t) _trials[n] = t with { HeartbeatUtc = nowUtc };
    }

    /// <inheritdoc />
    public IReadOnlyList<StudyTrial> RequeueStaleTrials(Func<StudyTrial, string?> staleReason, string sessionId, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(staleReason);
        lock (_gate)
        {
            var added = new List<StudyTrial>();
            foreach (var t in _trials.ToList())
            {
                if (t.State != TrialState.Running || t.SessionId == sessionId) continue;
                if (staleReason(t) is not { } reason) continue;
                _trials[t.Number] = t with { State = TrialState.Failed, Error = reason, CompletedUtc = nowUtc };
                int n = CreateTrial(t.Configuration, TrialState.Waiting, null, t.Number, nowUtc);
                added.Add(Snapshot(n));
            }
            return added;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<StudyTrial> GetTrials()
    {
        lock (_gate) return Enumerable.Range(0, _trials.Count).Select(Snapshot).ToList();
    }

    /// <inheritdoc />
    public StudyTrial GetTrial(int number)
    {
        lock (_gate) { Find(number); return Snapshot(number); }
    }

    /// <summary>Nothing to release.</summary>
    public void Dispose() { }

    private StudyTrial Find(int number) =>
        number >= 0 && number < _trials.Count ? _trials[number] : throw new KeyNotFoundException($"The study has no trial number {number}.");

    private StudyTrial Snapshot(int number) =>
        _trials[number] with { IntermediateValues = _values[number].Select(p => new IntermediateValue(p.Key, p.Value)).ToArray() };
}
